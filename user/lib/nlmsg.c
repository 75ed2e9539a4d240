// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt: the messages of the sriov_rtt family, parsed with
 * userspace policies, and the errors and extended ACKs of netlink.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/netlink.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "nlmsg.h"

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
	[SRTT_A_IRQS]		= { .type = NLA_U64 },
	[SRTT_A_DEV_STAGES]	= { .type = NLA_U32 },
	[SRTT_A_NAPI_POLLS]	= { .type = NLA_U64 },
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

/* ---- errors and extended ACKs ---- */

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
	d->stages = tb[SRTT_A_DEV_STAGES] ?
		    nla_get_u32(tb[SRTT_A_DEV_STAGES]) : 0;
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
	s->irqs = get_u64(tb, SRTT_A_IRQS);
	s->napi_polls = get_u64(tb, SRTT_A_NAPI_POLLS);

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
