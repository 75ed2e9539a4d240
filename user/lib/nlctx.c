// SPDX-License-Identifier: GPL-2.0
/* sriov-rtt: context, requests and reply parsing for the sriov_rtt family. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <linux/netlink.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <netlink/route/link.h>

#include "args.h"
#include "nlctx.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/* Every attribute the family sends, as the uapi header types it. */
const struct nla_policy srtt_policy[SRTT_A_MAX + 1] = {
	[SRTT_A_IFINDEX]	= { .type = NLA_U32 },
	[SRTT_A_IFNAME]		= { .type = NLA_STRING, .maxlen = IFNAMSIZ },
	[SRTT_A_DEV_ID]		= { .type = NLA_U8 },
	[SRTT_A_DEV_ROLE]	= { .type = NLA_U8 },
	[SRTT_A_DEV_VF_INDEX]	= { .type = NLA_U32 },
	[SRTT_A_DEV_NUM_VFS]	= { .type = NLA_U32 },
	[SRTT_A_DEV_PCI]	= { .type = NLA_STRING, .maxlen = 32 },
	[SRTT_A_DEV_PF_PCI]	= { .type = NLA_STRING, .maxlen = 32 },
	[SRTT_A_DEV_DRIVER]	= { .type = NLA_STRING, .maxlen = 64 },
	[SRTT_A_DEV_NETNS_INO]	= { .type = NLA_U32 },
	[SRTT_A_DEV_IRQ]	= { .type = NLA_U32 },
	[SRTT_A_CFG_STAMP_PORT]	= { .type = NLA_U16 },
	[SRTT_A_CFG_SAMPLE]	= { .type = NLA_U32 },
	[SRTT_A_CFG_RING_SIZE]	= { .type = NLA_U32 },
	[SRTT_A_STAGE_STATS]	= { .type = NLA_NESTED },
	[SRTT_A_IMPOSSIBLE]	= { .type = NLA_U64 },
	[SRTT_A_TRACK_BUSY]	= { .type = NLA_U64 },
	[SRTT_A_TRACK_RESTART]	= { .type = NLA_U64 },
	[SRTT_A_TRACK_EVICT]	= { .type = NLA_U64 },
	[SRTT_A_HIST_FROM]	= { .type = NLA_U8 },
	[SRTT_A_HIST_TO]	= { .type = NLA_U8 },
	[SRTT_A_HIST_COUNT]	= { .type = NLA_U64 },
	[SRTT_A_HIST_OVER]	= { .type = NLA_U64 },
	[SRTT_A_HIST_MIN]	= { .type = NLA_U64 },
	[SRTT_A_HIST_MAX]	= { .type = NLA_U64 },
	[SRTT_A_HIST_SUM]	= { .type = NLA_U64 },
	[SRTT_A_HIST_BUCKET]	= { .type = NLA_NESTED },
	[SRTT_A_RECORDS]	= { .type = NLA_UNSPEC },
	[SRTT_A_LOST]		= { .type = NLA_U64 },
};

const struct nla_policy srtt_ss_policy[SRTT_A_SS_MAX + 1] = {
	[SRTT_A_SS_STAGE]	= { .type = NLA_U8 },
	[SRTT_A_SS_HITS]	= { .type = NLA_U64 },
	[SRTT_A_SS_LOST]	= { .type = NLA_U64 },
	[SRTT_A_SS_BAD]		= { .type = NLA_U64 },
};

const struct nla_policy srtt_hb_policy[SRTT_A_HB_MAX + 1] = {
	[SRTT_A_HB_INDEX]	= { .type = NLA_U32 },
	[SRTT_A_HB_COUNT]	= { .type = NLA_U64 },
};

/* The extended ACK of an NLMSG_ERROR or NLMSG_DONE. */
static const struct nla_policy extack_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG]	= { .type = NLA_STRING },
	[NLMSGERR_ATTR_OFFS]	= { .type = NLA_U32 },
};

/* ---- context ---- */

static uint32_t netns_inode(void)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st))
		return 0;
	return (uint32_t)st.st_ino;
}

static int genl_open(struct srtt_ctx *ctx, unsigned int need)
{
	int one = 1, err;

	ctx->genl = nl_socket_alloc();
	if (!ctx->genl) {
		fprintf(stderr, "out of memory\n");
		return SRTT_EXIT_ERROR;
	}
	err = genl_connect(ctx->genl);
	if (err) {
		fprintf(stderr, "cannot open a generic netlink socket: %s\n",
			nl_geterror(err));
		goto err_free_sock;
	}
	/* error messages of the kernel (extack); old kernels lack it */
	setsockopt(nl_socket_get_fd(ctx->genl), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	nl_socket_enable_msg_peek(ctx->genl);

	ctx->family = genl_ctrl_resolve(ctx->genl, SRTT_GENL_NAME);
	if (ctx->family < 0) {
		err = ctx->family;
		ctx->family = -1;
		if (err != -NLE_OBJ_NOTFOUND) {
			fprintf(stderr,
				"cannot look up the generic netlink family %s: %s\n",
				SRTT_GENL_NAME, nl_geterror(err));
			goto err_free_sock;
		}
		if (need & SRTT_CTX_FAMILY) {
			srtt_report_no_module();
			nl_socket_free(ctx->genl);
			ctx->genl = NULL;
			return SRTT_EXIT_NOMODULE;
		}
	}
	/* srtt_request() asks for ACKs itself and checks sequence numbers */
	nl_socket_disable_auto_ack(ctx->genl);
	return SRTT_EXIT_OK;

err_free_sock:
	nl_socket_free(ctx->genl);
	ctx->genl = NULL;
	return SRTT_EXIT_ERROR;
}

static void genl_close(struct srtt_ctx *ctx)
{
	nl_socket_free(ctx->genl);
	ctx->genl = NULL;
	ctx->family = -1;
}

static int route_open(struct srtt_ctx *ctx, unsigned int need)
{
	int err;

	ctx->route = nl_socket_alloc();
	if (!ctx->route) {
		fprintf(stderr, "out of memory\n");
		return SRTT_EXIT_ERROR;
	}
	err = nl_connect(ctx->route, NETLINK_ROUTE);
	if (err) {
		fprintf(stderr, "cannot open an rtnetlink socket: %s\n",
			nl_geterror(err));
		goto err_free_sock;
	}
	/* a PF with many VFs makes a long RTM_NEWLINK */
	nl_socket_enable_msg_peek(ctx->route);
	if (need & SRTT_CTX_LINKS) {
		err = rtnl_link_alloc_cache(ctx->route, AF_UNSPEC, &ctx->links);
		if (err) {
			fprintf(stderr, "cannot list network devices: %s\n",
				nl_geterror(err));
			goto err_free_sock;
		}
	}
	return SRTT_EXIT_OK;

err_free_sock:
	nl_socket_free(ctx->route);
	ctx->route = NULL;
	return SRTT_EXIT_ERROR;
}

static void route_close(struct srtt_ctx *ctx)
{
	if (ctx->links)
		nl_cache_free(ctx->links);
	ctx->links = NULL;
	nl_socket_free(ctx->route);
	ctx->route = NULL;
}

int srtt_ctx_init(struct srtt_ctx *ctx, bool json, bool pretty,
		  unsigned int need)
{
	int err = SRTT_EXIT_OK;

	memset(ctx, 0, sizeof(*ctx));
	ctx->family = -1;
	ctx->json = json || pretty;
	ctx->pretty = pretty;
	srtt_out_init(&ctx->out, stdout, ctx->json, ctx->pretty);
	ctx->netns_ino = netns_inode();

	if (need & (SRTT_CTX_FAMILY | SRTT_CTX_FAMILY_OPT)) {
		err = genl_open(ctx, need);
		if (err)
			goto err_out;
	}
	if (need & (SRTT_CTX_ROUTE | SRTT_CTX_LINKS)) {
		err = route_open(ctx, need);
		if (err)
			goto err_close_genl;
	}
	return SRTT_EXIT_OK;

err_close_genl:
	genl_close(ctx);
err_out:
	return err;
}

void srtt_ctx_fini(struct srtt_ctx *ctx)
{
	fflush(ctx->out.fp);
	route_close(ctx);
	genl_close(ctx);
}

/* ---- requests ---- */

int srtt_ctx_fail(struct srtt_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	ctx->err = err;
	ctx->kernel_err = false;
	va_start(ap, fmt);
	vsnprintf(ctx->extack, sizeof(ctx->extack), fmt, ap);
	va_end(ap);
	return -err;
}

struct nl_msg *srtt_msg_new(struct srtt_ctx *ctx, uint8_t cmd, bool dump)
{
	struct nl_msg *msg;

	msg = nlmsg_alloc();
	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, ctx->family, 0,
			 dump ? NLM_F_DUMP : NLM_F_ACK, cmd,
			 SRTT_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

struct srtt_req {
	struct srtt_ctx	*ctx;
	srtt_reply_cb	cb;
	void		*arg;
	uint32_t	seq;
	bool		done;
	int		err;	/* negative errno */
};

int srtt_nlmsg_error(struct nlmsghdr *nlh, char *text, size_t len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off, hdr = NLMSG_HDRLEN;
	int error;

	if (len)
		text[0] = '\0';
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		struct nlmsgerr e;

		if (nlh->nlmsg_len < hdr + sizeof(e))
			return -EPROTO;
		memcpy(&e, NLMSG_DATA(nlh), sizeof(e));
		error = e.error;
		/* the request follows unless the kernel capped it */
		off = sizeof(e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e.msg.nlmsg_len >= hdr)
			off += e.msg.nlmsg_len - hdr;
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		/* a dump that failed says so in its DONE message */
		if (nlh->nlmsg_len < hdr + sizeof(error))
			return 0;
		memcpy(&error, NLMSG_DATA(nlh), sizeof(error));
		off = sizeof(error);
	} else {
		return 0;
	}
	if (error > 0)
		error = -error;
	if (!len || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return error;
	off = NLMSG_ALIGN(off);
	if (nlh->nlmsg_len < hdr + off)
		return error;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)NLMSG_DATA(nlh) + off),
		      (int)(nlh->nlmsg_len - hdr - off), extack_policy) < 0)
		return error;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(text, tb[NLMSGERR_ATTR_MSG], len);
	return error;
}

static int req_seq_check(struct nl_msg *msg, void *arg)
{
	struct srtt_req *req = arg;

	return nlmsg_hdr(msg)->nlmsg_seq == req->seq ? NL_OK : NL_SKIP;
}

static int req_valid(struct nl_msg *msg, void *arg)
{
	struct srtt_req *req = arg;
	int err;

	if (!req->cb)
		return NL_OK;
	err = req->cb(req->ctx, nlmsg_hdr(msg), req->arg);
	if (err < 0) {
		req->err = err;
		req->done = true;
		return NL_STOP;
	}
	return NL_OK;
}

static int req_ack(struct nl_msg *msg, void *arg)
{
	struct srtt_req *req = arg;

	(void)msg;
	req->done = true;
	return NL_STOP;
}

/* libnl ignores the error code of NLMSG_DONE: a dump may fail there. */
static int req_finish(struct nl_msg *msg, void *arg)
{
	struct srtt_req *req = arg;
	int error;

	req->done = true;
	error = srtt_nlmsg_error(nlmsg_hdr(msg), req->ctx->extack,
				 sizeof(req->ctx->extack));
	if (error < 0) {
		req->ctx->err = -error;
		req->ctx->kernel_err = true;
		req->err = error;
	}
	return NL_STOP;
}

static int req_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	/* libnl hands over the payload; the header is right before it */
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct srtt_req *req = arg;
	int error;

	(void)who;
	if (nlh->nlmsg_seq != req->seq)
		return NL_SKIP;
	error = srtt_nlmsg_error(nlh, req->ctx->extack,
				 sizeof(req->ctx->extack));
	req->ctx->err = error < 0 ? -error : EPROTO;
	req->ctx->kernel_err = true;
	req->err = -req->ctx->err;
	req->done = true;
	return NL_STOP;
}

int srtt_request(struct srtt_ctx *ctx, struct nl_msg *msg, srtt_reply_cb cb,
		 void *arg)
{
	struct srtt_req req = { .ctx = ctx, .cb = cb, .arg = arg };
	struct nl_cb *nlcb;
	int err;

	ctx->err = 0;
	ctx->kernel_err = false;
	ctx->extack[0] = '\0';
	if (!msg)
		return srtt_ctx_fail(ctx, ENOMEM, "out of memory");

	nlcb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nlcb) {
		nlmsg_free(msg);
		return srtt_ctx_fail(ctx, ENOMEM, "out of memory");
	}
	nl_cb_set(nlcb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, req_seq_check, &req);
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, req_valid, &req);
	nl_cb_set(nlcb, NL_CB_ACK, NL_CB_CUSTOM, req_ack, &req);
	nl_cb_set(nlcb, NL_CB_FINISH, NL_CB_CUSTOM, req_finish, &req);
	nl_cb_err(nlcb, NL_CB_CUSTOM, req_error, &req);

	err = nl_send_auto(ctx->genl, msg);
	req.seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);
	if (err < 0) {
		err = srtt_ctx_fail(ctx, EIO, "cannot send to the kernel: %s",
				    nl_geterror(err));
		goto out;
	}

	err = 0;
	while (!req.done) {
		err = nl_recvmsgs(ctx->genl, nlcb);
		if (req.done)
			break;
		if (err < 0) {
			err = srtt_ctx_fail(ctx, EIO,
					    "cannot read the kernel's reply: %s",
					    nl_geterror(err));
			goto out;
		}
	}
	err = req.err;
out:
	nl_cb_put(nlcb);
	return err;
}

/* ---- errors ---- */

int srtt_report_no_module(void)
{
	fprintf(stderr,
		"the sriov_rtt module is not loaded: run 'modprobe sriov_rtt' or 'insmod module/sriov_rtt.ko'\n");
	return SRTT_EXIT_NOMODULE;
}

int srtt_report(struct srtt_ctx *ctx, const struct srtt_what *w)
{
	int err = ctx->err;

	if (ctx->kernel_err && (err == EPERM || err == EACCES)) {
		fprintf(stderr, "%s needs CAP_NET_ADMIN: run as root\n",
			w->cmd);
		return SRTT_EXIT_PERM;
	}
	if (ctx->kernel_err && w->dev && w->dev_known &&
	    (err == ENODEV || err == ENOENT)) {
		fprintf(stderr, "%s is not attached; run: sriov-rtt attach %s\n",
			w->dev, w->dev);
		return SRTT_EXIT_NOTATTACHED;
	}
	if (ctx->extack[0])
		fprintf(stderr, "%s failed: %s: %s\n", w->action, ctx->extack,
			strerror(err));
	else
		fprintf(stderr, "%s failed: %s\n", w->action, strerror(err));
	return SRTT_EXIT_ERROR;
}

/* ---- devices in this namespace ---- */

int srtt_link_ifindex(struct srtt_ctx *ctx, const char *name)
{
	struct rtnl_link *link = NULL;
	int err, ifindex;

	err = rtnl_link_get_kernel(ctx->route, 0, name, &link);
	if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV)
		return 0;
	if (err < 0)
		return srtt_ctx_fail(ctx, EIO, "cannot look up %s: %s", name,
				     nl_geterror(err));
	ifindex = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return ifindex;
}

/* ---- replies ---- */

static int bad_msg(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad_msg(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (why && len) {
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return -EPROTO;
}

static int parse_top(struct nlmsghdr *nlh, struct nlattr **tb, const char *what,
		     char *why, size_t len)
{
	int err;

	if (!genlmsg_valid_hdr(nlh, 0))
		return bad_msg(why, len, "a %s message without a header",
			       what);
	err = genlmsg_parse(nlh, 0, tb, SRTT_A_MAX, srtt_policy);
	if (err < 0)
		return bad_msg(why, len, "a malformed %s message: %s", what,
			       nl_geterror(err));
	return 0;
}

static void get_ifname(struct nlattr **tb, char *ifname)
{
	ifname[0] = '\0';
	if (tb[SRTT_A_IFNAME])
		nla_strlcpy(ifname, tb[SRTT_A_IFNAME], IFNAMSIZ);
}

static uint64_t get_u64(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u64(tb[type]) : 0;
}

int srtt_parse_dev_msg(struct nlmsghdr *nlh, struct srtt_dev_msg *d,
		       char *why, size_t len)
{
	struct nlattr *tb[SRTT_A_MAX + 1];
	int err;

	memset(d, 0, sizeof(*d));
	err = parse_top(nlh, tb, "device", why, len);
	if (err)
		return err;
	get_ifname(tb, d->ifname);
	d->ifindex = tb[SRTT_A_IFINDEX] ? nla_get_u32(tb[SRTT_A_IFINDEX]) : 0;
	d->dev_id = tb[SRTT_A_DEV_ID] ? nla_get_u8(tb[SRTT_A_DEV_ID]) : -1;
	d->role = tb[SRTT_A_DEV_ROLE] ? nla_get_u8(tb[SRTT_A_DEV_ROLE]) : -1;
	d->netns_ino = tb[SRTT_A_DEV_NETNS_INO] ?
		       nla_get_u32(tb[SRTT_A_DEV_NETNS_INO]) : 0;
	if (tb[SRTT_A_DEV_PCI])
		nla_strlcpy(d->pci, tb[SRTT_A_DEV_PCI], sizeof(d->pci));
	return 0;
}

int srtt_parse_stats_msg(struct nlmsghdr *nlh, struct srtt_stats_msg *s,
			 char *why, size_t len)
{
	struct nlattr *tb[SRTT_A_MAX + 1], *ss[SRTT_A_SS_MAX + 1], *nla;
	struct genlmsghdr *gnlh;
	int err, rem;

	memset(s, 0, sizeof(*s));
	err = parse_top(nlh, tb, "statistics", why, len);
	if (err)
		return err;
	get_ifname(tb, s->ifname);
	s->dev_id = tb[SRTT_A_DEV_ID] ? nla_get_u8(tb[SRTT_A_DEV_ID]) : -1;
	s->impossible = get_u64(tb, SRTT_A_IMPOSSIBLE);
	s->track_busy = get_u64(tb, SRTT_A_TRACK_BUSY);
	s->track_restart = get_u64(tb, SRTT_A_TRACK_RESTART);
	s->track_evict = get_u64(tb, SRTT_A_TRACK_EVICT);

	/* one SRTT_A_STAGE_STATS nest per stage: walk them all */
	gnlh = genlmsg_hdr(nlh);
	nla_for_each_attr(nla, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), rem) {
		struct srtt_stage_stats *st;
		unsigned int stage;

		if (nla_type(nla) != SRTT_A_STAGE_STATS)
			continue;
		err = nla_parse_nested(ss, SRTT_A_SS_MAX, nla, srtt_ss_policy);
		if (err < 0)
			return bad_msg(why, len,
				       "a malformed stage statistics nest: %s",
				       nl_geterror(err));
		if (!ss[SRTT_A_SS_STAGE])
			return bad_msg(why, len,
				       "stage statistics without a stage");
		stage = nla_get_u8(ss[SRTT_A_SS_STAGE]);
		if (stage >= SRTT_EVENT_FIRST && stage < __SRTT_EVENT_MAX)
			st = &s->event[stage - SRTT_EVENT_FIRST];
		else if (stage < __SRTT_STAGE_MAX)
			st = &s->stage[stage];
		else
			continue;	/* a newer module's stage */
		st->present = true;
		st->hits = get_u64(ss, SRTT_A_SS_HITS);
		st->lost = get_u64(ss, SRTT_A_SS_LOST);
		st->bad = get_u64(ss, SRTT_A_SS_BAD);
	}
	return 0;
}

void srtt_nlhist_init(struct srtt_hist *h, uint64_t over, uint64_t min,
		      uint64_t max, uint64_t sum)
{
	memset(h, 0, sizeof(*h));
	h->over = over;
	h->min = min;
	h->max = max;
	h->sum = sum;
}

int srtt_nlhist_put(struct srtt_hist *h, uint32_t idx, uint64_t count)
{
	if (idx >= SRTT_HIST_BUCKETS)
		return -ERANGE;
	h->bucket[idx] += count;
	h->count += count;
	return 0;
}

int srtt_parse_hist_msg(struct nlmsghdr *nlh, struct srtt_hist_msg *m,
			char *why, size_t len)
{
	struct nlattr *tb[SRTT_A_MAX + 1], *hb[SRTT_A_HB_MAX + 1], *nla;
	struct genlmsghdr *gnlh;
	int err, rem;

	memset(m, 0, sizeof(*m));
	err = parse_top(nlh, tb, "histogram", why, len);
	if (err)
		return err;
	get_ifname(tb, m->ifname);
	m->dev_id = tb[SRTT_A_DEV_ID] ? nla_get_u8(tb[SRTT_A_DEV_ID]) : -1;
	if (!tb[SRTT_A_HIST_FROM] || !tb[SRTT_A_HIST_TO])
		return bad_msg(why, len, "a histogram without its stages");
	m->from = nla_get_u8(tb[SRTT_A_HIST_FROM]);
	m->to = nla_get_u8(tb[SRTT_A_HIST_TO]);
	srtt_nlhist_init(&m->h, get_u64(tb, SRTT_A_HIST_OVER),
			 get_u64(tb, SRTT_A_HIST_MIN),
			 get_u64(tb, SRTT_A_HIST_MAX),
			 get_u64(tb, SRTT_A_HIST_SUM));

	gnlh = genlmsg_hdr(nlh);
	nla_for_each_attr(nla, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), rem) {
		uint32_t idx;

		if (nla_type(nla) != SRTT_A_HIST_BUCKET)
			continue;
		err = nla_parse_nested(hb, SRTT_A_HB_MAX, nla, srtt_hb_policy);
		if (err < 0)
			return bad_msg(why, len, "a malformed bucket nest: %s",
				       nl_geterror(err));
		if (!hb[SRTT_A_HB_INDEX] || !hb[SRTT_A_HB_COUNT])
			return bad_msg(why, len,
				       "a bucket without its index or count");
		idx = nla_get_u32(hb[SRTT_A_HB_INDEX]);
		if (srtt_nlhist_put(&m->h, idx,
				    nla_get_u64(hb[SRTT_A_HB_COUNT])))
			return bad_msg(why, len,
				       "bucket index %u, but there are %u buckets",
				       idx, SRTT_HIST_BUCKETS);
	}
	return 0;
}

int srtt_parse_config_msg(struct nlmsghdr *nlh, struct srtt_config_msg *c,
			  char *why, size_t len)
{
	struct nlattr *tb[SRTT_A_MAX + 1];
	int err;

	memset(c, 0, sizeof(*c));
	err = parse_top(nlh, tb, "configuration", why, len);
	if (err)
		return err;
	if (tb[SRTT_A_CFG_STAMP_PORT]) {
		c->has_stamp_port = true;
		c->stamp_port = nla_get_u16(tb[SRTT_A_CFG_STAMP_PORT]);
	}
	if (tb[SRTT_A_CFG_SAMPLE]) {
		c->has_sample = true;
		c->sample = nla_get_u32(tb[SRTT_A_CFG_SAMPLE]);
	}
	if (tb[SRTT_A_CFG_RING_SIZE]) {
		c->has_ring_size = true;
		c->ring_size = nla_get_u32(tb[SRTT_A_CFG_RING_SIZE]);
	}
	return 0;
}

int srtt_parse_records_msg(struct nlmsghdr *nlh, struct srtt_records_msg *r,
			   char *why, size_t len)
{
	struct nlattr *tb[SRTT_A_MAX + 1];
	size_t bytes;
	int err;

	memset(r, 0, sizeof(*r));
	err = parse_top(nlh, tb, "records", why, len);
	if (err)
		return err;
	if (tb[SRTT_A_LOST]) {
		r->has_lost = true;
		r->lost = nla_get_u64(tb[SRTT_A_LOST]);
	}
	if (!tb[SRTT_A_RECORDS])
		return 0;
	bytes = (size_t)nla_len(tb[SRTT_A_RECORDS]);
	if (bytes % sizeof(struct srtt_record))
		return bad_msg(why, len,
			       "%zu bytes of records, not a multiple of the %zu bytes of struct srtt_record",
			       bytes, sizeof(struct srtt_record));
	r->data = nla_data(tb[SRTT_A_RECORDS]);
	r->count = bytes / sizeof(struct srtt_record);
	return 0;
}
