// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt: the notifications of one side (notify.h). The module counts
 * interrupts on each attached device's vectors and its NAPI polls, and a
 * PF or a tap its hypervisor events; the ethtool family reports each
 * device's interrupt moderation. A socket of its own for each read: the
 * reflector's records socket is subscribed to the records group.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/ethtool_netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include <linux/sriov_rtt.h>

#include "lib/nlmsg.h"
#include "lib/notify.h"

struct notify_req {
	int			err;	/* > 0 while waiting, then 0 or -errno */
	int			(*parse)(struct nlmsghdr *nlh, void *arg);
	void			*arg;
};

static int req_valid(struct nl_msg *msg, void *arg)
{
	struct notify_req *r = arg;
	int err = r->parse(nlmsg_hdr(msg), r->arg);

	if (err && r->err > 0)
		r->err = err;
	return NL_OK;
}

static int req_done(struct nl_msg *msg, void *arg)
{
	struct notify_req *r = arg;

	(void)msg;
	if (r->err > 0)
		r->err = 0;
	return NL_STOP;
}

static int req_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct notify_req *r = arg;

	(void)who;
	r->err = e->error ? e->error : -EPROTO;
	return NL_STOP;
}

/* @msg sent on @sk, every reply to @parse until the dump's end or the ACK */
static int request(struct nl_sock *sk, struct nl_msg *msg,
		   int (*parse)(struct nlmsghdr *nlh, void *arg), void *arg)
{
	struct notify_req r = { .err = 1, .parse = parse, .arg = arg };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int err;

	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, req_valid, &r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, req_done, &r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, req_done, &r);
	nl_cb_err(cb, NL_CB_CUSTOM, req_error, &r);
	err = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	while (err >= 0 && r.err > 0)
		err = nl_recvmsgs(sk, cb);
	nl_cb_put(cb);
	if (err < 0 && r.err > 0)
		return -EIO;
	return r.err;
}

static struct nl_msg *msg_new(int family, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				flags, cmd, 1)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static struct srtt_notify_dev *by_id(struct srtt_notify *nt, int dev_id)
{
	unsigned int i;

	for (i = 0; i < nt->n; i++)
		if (nt->dev[i].dev_id == dev_id)
			return &nt->dev[i];
	return NULL;
}

static uint64_t event_count(const struct srtt_stats_msg *s, int event)
{
	const struct srtt_stage_stats *e = &s->event[event - SRTT_EVENT_FIRST];

	return e->hits + e->lost;
}

static int parse_stats(struct nlmsghdr *nlh, void *arg)
{
	struct srtt_notify *nt = arg;
	struct srtt_notify_dev *d;
	struct srtt_stats_msg s;

	if (srtt_parse_stats_msg(nlh, &s, NULL, 0))
		return -EPROTO;
	if (nt->n == SRTT_NOTIFY_DEVS) {
		nt->more++;
		return 0;
	}
	d = &nt->dev[nt->n++];
	memset(d, 0, sizeof(*d));
	snprintf(d->ifname, sizeof(d->ifname), "%s", s.ifname);
	d->dev_id = s.dev_id;
	d->irqs = s.irqs;
	d->napi_polls = s.napi_polls;
	d->hv = s.event[SRTT_EVENT_HV_IRQ - SRTT_EVENT_FIRST].present;
	d->hv_irq = event_count(&s, SRTT_EVENT_HV_IRQ);
	d->hv_inject = event_count(&s, SRTT_EVENT_HV_INJECT);
	d->hv_signal = event_count(&s, SRTT_EVENT_HV_SIGNAL);
	d->co.err = ENODEV;	/* until the device is found here */
	return 0;
}

struct dev_walk {
	struct srtt_notify	*nt;
	uint32_t		netns_ino;
	uint32_t		ifindex[SRTT_NOTIFY_DEVS];
};

/* which devices are in this namespace: their moderation can be asked */
static int parse_dev(struct nlmsghdr *nlh, void *arg)
{
	struct dev_walk *w = arg;
	struct srtt_notify_dev *d;
	struct srtt_dev_msg m;

	if (srtt_parse_dev_msg(nlh, &m, NULL, 0))
		return -EPROTO;
	d = by_id(w->nt, m.dev_id);
	if (!d)
		return 0;
	if (m.netns_ino && w->netns_ino && m.netns_ino != w->netns_ino) {
		d->co.err = EXDEV;
		return 0;
	}
	w->ifindex[d - w->nt->dev] = m.ifindex;
	return 0;
}

static int u32_of(struct nlattr **tb, int type, uint32_t *v)
{
	if (!tb[type])
		return 0;
	*v = nla_get_u32(tb[type]);
	return 1;
}

static int parse_coalesce(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[ETHTOOL_A_COALESCE_USE_ADAPTIVE_TX + 1];
	static struct nla_policy pol[ETHTOOL_A_COALESCE_USE_ADAPTIVE_TX + 1] = {
		[ETHTOOL_A_COALESCE_RX_USECS]		= { .type = NLA_U32 },
		[ETHTOOL_A_COALESCE_RX_MAX_FRAMES]	= { .type = NLA_U32 },
		[ETHTOOL_A_COALESCE_TX_USECS]		= { .type = NLA_U32 },
		[ETHTOOL_A_COALESCE_TX_MAX_FRAMES]	= { .type = NLA_U32 },
		[ETHTOOL_A_COALESCE_USE_ADAPTIVE_RX]	= { .type = NLA_U8 },
		[ETHTOOL_A_COALESCE_USE_ADAPTIVE_TX]	= { .type = NLA_U8 },
	};
	struct srtt_coalesce *c = arg;

	/* attributes past USE_ADAPTIVE_TX (newer kernels) are not read */
	if (genlmsg_parse(nlh, 0, tb, ETHTOOL_A_COALESCE_USE_ADAPTIVE_TX, pol))
		return -EPROTO;
	c->have = 0;
	c->have |= u32_of(tb, ETHTOOL_A_COALESCE_RX_USECS, &c->rx_usecs) ?
		   SRTT_CO_RX_USECS : 0;
	c->have |= u32_of(tb, ETHTOOL_A_COALESCE_RX_MAX_FRAMES, &c->rx_frames) ?
		   SRTT_CO_RX_FRAMES : 0;
	c->have |= u32_of(tb, ETHTOOL_A_COALESCE_TX_USECS, &c->tx_usecs) ?
		   SRTT_CO_TX_USECS : 0;
	c->have |= u32_of(tb, ETHTOOL_A_COALESCE_TX_MAX_FRAMES, &c->tx_frames) ?
		   SRTT_CO_TX_FRAMES : 0;
	if (tb[ETHTOOL_A_COALESCE_USE_ADAPTIVE_RX]) {
		c->have |= SRTT_CO_ADAPTIVE_RX;
		c->adaptive_rx = nla_get_u8(tb[ETHTOOL_A_COALESCE_USE_ADAPTIVE_RX]);
	}
	if (tb[ETHTOOL_A_COALESCE_USE_ADAPTIVE_TX]) {
		c->have |= SRTT_CO_ADAPTIVE_TX;
		c->adaptive_tx = nla_get_u8(tb[ETHTOOL_A_COALESCE_USE_ADAPTIVE_TX]);
	}
	return 0;
}

static void coalesce_get(struct nl_sock *sk, int family, uint32_t ifindex,
			 struct srtt_coalesce *c)
{
	struct nl_msg *msg;
	struct nlattr *hdr;
	int err;

	msg = msg_new(family, ETHTOOL_MSG_COALESCE_GET, NLM_F_ACK);
	if (!msg) {
		c->err = ENOMEM;
		return;
	}
	hdr = nla_nest_start(msg, ETHTOOL_A_COALESCE_HEADER);
	if (!hdr || nla_put_u32(msg, ETHTOOL_A_HEADER_DEV_INDEX, ifindex)) {
		nlmsg_free(msg);
		c->err = ENOMEM;
		return;
	}
	nla_nest_end(msg, hdr);
	err = request(sk, msg, parse_coalesce, c);
	c->err = -err;
}

static uint32_t netns_ino(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) ? 0 : (uint32_t)st.st_ino;
}

void srtt_notify_read(struct srtt_notify *nt)
{
	struct dev_walk w = { .nt = nt, .netns_ino = netns_ino() };
	struct nl_sock *sk = nl_socket_alloc();
	int family, ethtool, err;
	struct nl_msg *msg;
	unsigned int i;

	memset(nt, 0, sizeof(*nt));
	nt->err = ENOMEM;
	if (!sk)
		return;
	err = genl_connect(sk);
	family = err ? err : genl_ctrl_resolve(sk, SRTT_GENL_NAME);
	if (family < 0) {
		nt->err = family == -NLE_OBJ_NOTFOUND ? ENOENT : EIO;
		goto out;
	}
	msg = msg_new(family, SRTT_CMD_STATS_GET, NLM_F_DUMP);
	err = msg ? request(sk, msg, parse_stats, nt) : -ENOMEM;
	msg = err ? NULL : msg_new(family, SRTT_CMD_DEV_GET, NLM_F_DUMP);
	if (!err)
		err = msg ? request(sk, msg, parse_dev, &w) : -ENOMEM;
	nt->err = -err;
	if (err)
		goto out;
	ethtool = genl_ctrl_resolve(sk, ETHTOOL_GENL_NAME);
	for (i = 0; i < nt->n; i++) {
		struct srtt_coalesce *c = &nt->dev[i].co;

		if (c->err == EXDEV || !w.ifindex[i])
			continue;
		if (ethtool < 0)
			c->err = EPROTONOSUPPORT;
		else
			coalesce_get(sk, ethtool, w.ifindex[i], c);
	}
out:
	nl_socket_free(sk);
}

void srtt_notify_since(struct srtt_notify *after,
		       const struct srtt_notify *before)
{
	unsigned int i, n = 0;

	for (i = 0; i < after->n; i++) {
		struct srtt_notify_dev d = after->dev[i];
		const struct srtt_notify_dev *b;

		b = by_id((struct srtt_notify *)before, d.dev_id);
		if (!b || strcmp(b->ifname, d.ifname) || b->irqs > d.irqs ||
		    b->napi_polls > d.napi_polls)
			continue;	/* attached (again) during the run */
		d.irqs -= b->irqs;
		d.napi_polls -= b->napi_polls;
		d.hv_irq -= b->hv_irq < d.hv_irq ? b->hv_irq : d.hv_irq;
		d.hv_inject -= b->hv_inject < d.hv_inject ? b->hv_inject :
			       d.hv_inject;
		d.hv_signal -= b->hv_signal < d.hv_signal ? b->hv_signal :
			       d.hv_signal;
		after->dev[n++] = d;
	}
	after->n = n;
	if (before->err && !after->err)
		after->err = before->err;
}

const char *srtt_coalesce_str(const struct srtt_coalesce *c, char *buf,
			      size_t len)
{
	static const struct {
		uint32_t	bit;
		const char	*name;
	} names[] = {
		{ SRTT_CO_RX_USECS, "rx-usecs" },
		{ SRTT_CO_RX_FRAMES, "rx-frames" },
		{ SRTT_CO_TX_USECS, "tx-usecs" },
		{ SRTT_CO_TX_FRAMES, "tx-frames" },
		{ SRTT_CO_ADAPTIVE_RX, "adaptive-rx" },
		{ SRTT_CO_ADAPTIVE_TX, "adaptive-tx" },
	};
	const uint32_t val[] = {
		c->rx_usecs, c->rx_frames, c->tx_usecs, c->tx_frames,
		c->adaptive_rx, c->adaptive_tx,
	};
	size_t i, o = 0;

	if (c->err || !c->have) {
		snprintf(buf, len, "not reported (%s)",
			 c->err == EXDEV ? "another network namespace" :
			 c->err == EOPNOTSUPP || !c->err ?
			 "the driver has no coalescing settings" :
			 strerror(c->err));
		return buf;
	}
	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && o < len; i++) {
		if (!(c->have & names[i].bit))
			continue;
		if (names[i].bit & (SRTT_CO_ADAPTIVE_RX | SRTT_CO_ADAPTIVE_TX))
			o += (size_t)snprintf(buf + o, len - o, "%s%s %s",
					      o ? " " : "", names[i].name,
					      val[i] ? "on" : "off");
		else
			o += (size_t)snprintf(buf + o, len - o, "%s%s %" PRIu32,
					      o ? " " : "", names[i].name,
					      val[i]);
	}
	return buf;
}
