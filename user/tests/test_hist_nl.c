// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt: replies of the sriov_rtt family as the kernel builds them
 * (nlmsg + attributes, no socket), parsed back: histograms rebuilt from
 * their bucket nests give the module's percentiles exactly; statistics,
 * records, configuration and error messages.
 */

#include <errno.h>
#include <inttypes.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "util.h"
#include "lib/nlctx.h"
#include "lib/show.h"

#define FAMILY	0x30	/* any id: nothing is sent */

static const uint32_t pms[] = {
	0, 1, 100000, 500000, 900000, 990000, 999000, 999999, 1000000, 2000000,
};

static struct nl_msg *reply(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc_size(1 << 16);

	if (!msg || !genlmsg_put(msg, 0, 1, FAMILY, 0, NLM_F_MULTI, cmd, 1))
		abort();
	return msg;
}

/* As the module: scalars, then one nest per non-empty bucket. */
static struct nl_msg *hist_reply(const struct srtt_hist *h, int from, int to,
				 bool backwards)
{
	struct nl_msg *msg = reply(SRTT_CMD_HIST_GET);
	int i;

	nla_put_string(msg, SRTT_A_IFNAME, "vf0");
	nla_put_u8(msg, SRTT_A_DEV_ID, 3);
	nla_put_u8(msg, SRTT_A_HIST_FROM, (uint8_t)from);
	nla_put_u8(msg, SRTT_A_HIST_TO, (uint8_t)to);
	nla_put_u64(msg, SRTT_A_HIST_COUNT, h->count);
	nla_put_u64(msg, SRTT_A_HIST_OVER, h->over);
	nla_put_u64(msg, SRTT_A_HIST_MIN, h->min);
	nla_put_u64(msg, SRTT_A_HIST_MAX, h->max);
	nla_put_u64(msg, SRTT_A_HIST_SUM, h->sum);
	for (i = 0; i < SRTT_HIST_BUCKETS; i++) {
		int b = backwards ? SRTT_HIST_BUCKETS - 1 - i : i;
		struct nlattr *nest;

		if (!h->bucket[b])
			continue;
		nest = nla_nest_start(msg, SRTT_A_HIST_BUCKET);
		nla_put_u32(msg, SRTT_A_HB_INDEX, (uint32_t)b);
		nla_put_u64(msg, SRTT_A_HB_COUNT, h->bucket[b]);
		nla_nest_end(msg, nest);
	}
	return msg;
}

/* Spread over 0 ns .. ~100 s, log-uniform, deterministic. */
static void fill(struct srtt_hist *h, unsigned int n, uint64_t seed)
{
	unsigned int i;

	srtt_hist_reset(h);
	for (i = 0; i < n; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		srtt_hist_add(h, (seed >> 28) >> (seed >> 58 & 63) % 37);
	}
}

static void expect_same(const struct srtt_hist *got, const struct srtt_hist *want)
{
	unsigned int i, diff = 0;

	KTAP_EXPECT_EQ(got->count, want->count);
	KTAP_EXPECT_EQ(got->over, want->over);
	KTAP_EXPECT_EQ(got->min, want->min);
	KTAP_EXPECT_EQ(got->max, want->max);
	KTAP_EXPECT_EQ(got->sum, want->sum);
	for (i = 0; i < SRTT_HIST_BUCKETS; i++)
		diff += got->bucket[i] != want->bucket[i];
	KTAP_EXPECT_EQ(diff, 0);
	for (i = 0; i < sizeof(pms) / sizeof(pms[0]); i++)
		KTAP_EXPECT(srtt_hist_percentile(got, pms[i]) ==
			    srtt_hist_percentile(want, pms[i]),
			    "per_million %u: %" PRIu64 " != %" PRIu64, pms[i],
			    (uint64_t)srtt_hist_percentile(got, pms[i]),
			    (uint64_t)srtt_hist_percentile(want, pms[i]));
}

static void test_nests_equal_struct(void)
{
	static struct srtt_hist ref;
	static struct srtt_hist_msg m;
	uint64_t seed;

	for (seed = 1; seed < 40; seed += 7) {
		struct nl_msg *msg;
		char why[160] = "";

		fill(&ref, (unsigned int)(seed * 97), seed);
		msg = hist_reply(&ref, SRTT_STAGE_RX_IRQ, SRTT_STAGE_RX_DRV,
				 seed & 1);
		KTAP_EXPECT_EQ(srtt_parse_hist_msg(nlmsg_hdr(msg), &m, why,
						   sizeof(why)), 0);
		KTAP_EXPECT_STR(m.ifname, "vf0");
		KTAP_EXPECT_EQ(m.dev_id, 3);
		KTAP_EXPECT_EQ(m.from, SRTT_STAGE_RX_IRQ);
		KTAP_EXPECT_EQ(m.to, SRTT_STAGE_RX_DRV);
		expect_same(&m.h, &ref);
		nlmsg_free(msg);
	}
}

/* Index/count pairs as the nests carry them, duplicates adding up. */
static void test_pairs_equal_struct(void)
{
	static const struct { uint32_t idx; uint64_t count; } pairs[] = {
		{ 0, 1 }, { 31, 4 }, { 32, 10 }, { 100, 1000 }, { 300, 7 },
		{ 523, 2 }, { 100, 5 },
	};
	static struct srtt_hist got, want;
	unsigned int i;

	srtt_nlhist_init(&got, 3, 0, 60000000000ULL, 123456789);
	memset(&want, 0, sizeof(want));
	want.over = 3;
	want.min = 0;
	want.max = 60000000000ULL;
	want.sum = 123456789;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		KTAP_EXPECT_EQ(srtt_nlhist_put(&got, pairs[i].idx,
					       pairs[i].count), 0);
		want.bucket[pairs[i].idx] += pairs[i].count;
		want.count += pairs[i].count;
	}
	KTAP_EXPECT_EQ(got.count, 1029);
	expect_same(&got, &want);
	KTAP_EXPECT_EQ(srtt_nlhist_put(&got, SRTT_HIST_BUCKETS, 1), -ERANGE);
}

static void test_bad_nests(void)
{
	static struct srtt_hist_msg m;
	struct nlattr *nest;
	struct nl_msg *msg;
	char why[160] = "";

	msg = reply(SRTT_CMD_HIST_GET);
	nla_put_u8(msg, SRTT_A_HIST_FROM, 0);
	nla_put_u8(msg, SRTT_A_HIST_TO, 1);
	nest = nla_nest_start(msg, SRTT_A_HIST_BUCKET);
	nla_put_u32(msg, SRTT_A_HB_INDEX, SRTT_HIST_BUCKETS);
	nla_put_u64(msg, SRTT_A_HB_COUNT, 1);
	nla_nest_end(msg, nest);
	KTAP_EXPECT_EQ(srtt_parse_hist_msg(nlmsg_hdr(msg), &m, why, sizeof(why)),
		       -EPROTO);
	KTAP_EXPECT_CONTAINS(why, "bucket index 524");
	nlmsg_free(msg);

	msg = reply(SRTT_CMD_HIST_GET);
	nla_put_u8(msg, SRTT_A_HIST_FROM, 0);
	nla_put_u8(msg, SRTT_A_HIST_TO, 1);
	nest = nla_nest_start(msg, SRTT_A_HIST_BUCKET);
	nla_put_u32(msg, SRTT_A_HB_INDEX, 5);
	nla_nest_end(msg, nest);
	KTAP_EXPECT_EQ(srtt_parse_hist_msg(nlmsg_hdr(msg), &m, why, sizeof(why)),
		       -EPROTO);
	nlmsg_free(msg);

	/* a u64 attribute of 4 bytes fails the policy */
	msg = reply(SRTT_CMD_HIST_GET);
	nla_put_u8(msg, SRTT_A_HIST_FROM, 0);
	nla_put_u8(msg, SRTT_A_HIST_TO, 1);
	nla_put_u32(msg, SRTT_A_HIST_SUM, 1);
	KTAP_EXPECT_EQ(srtt_parse_hist_msg(nlmsg_hdr(msg), &m, why, sizeof(why)),
		       -EPROTO);
	nlmsg_free(msg);

	msg = reply(SRTT_CMD_HIST_GET);
	KTAP_EXPECT_EQ(srtt_parse_hist_msg(nlmsg_hdr(msg), &m, why, sizeof(why)),
		       -EPROTO);
	KTAP_EXPECT_CONTAINS(why, "without its stages");
	nlmsg_free(msg);
}

static char *show_hist(const struct srtt_hist_msg *m, bool json)
{
	struct srtt_mem mem;
	struct srtt_out *o = srtt_mem_begin(&mem, json, false);

	srtt_show_hist(o, m);
	return srtt_mem_end(&mem);
}

static void test_hist_rows(void)
{
	static struct srtt_hist_msg m;
	char *s, want[256];
	int i;

	memset(&m, 0, sizeof(m));
	strcpy(m.ifname, "eth0");
	m.dev_id = 1;
	m.from = SRTT_STAGE_TX_DRV;
	m.to = SRTT_STAGE_TX_DRV_DONE;
	srtt_nlhist_init(&m.h, 0, 0, 0, 0);
	for (i = 1; i <= 100; i++)
		srtt_hist_add(&m.h, (uint64_t)i * 1000);

	s = show_hist(&m, false);
	/* 100 samples: p99 yes, p99.9 not (it needs 1000) */
	snprintf(want, sizeof(want),
		 "%-15s %-13s %-13s %10u %12u %12" PRIu64 " %12" PRIu64
		 " %12" PRIu64 " %12s %12u\n",
		 "eth0", "tx_drv", "tx_drv_done", 100, 1000,
		 (uint64_t)srtt_hist_percentile(&m.h, 500000),
		 (uint64_t)srtt_hist_percentile(&m.h, 900000),
		 (uint64_t)srtt_hist_percentile(&m.h, 990000), "-", 100000);
	KTAP_EXPECT_STR(s, want);
	free(s);
	s = show_hist(&m, true);
	KTAP_EXPECT_CONTAINS(s, "\"p99.9_ns\":null,\"max_ns\":100000}");
	free(s);

	/* empty: "-" and null, as the debugfs file */
	srtt_nlhist_init(&m.h, 0, 0, 0, 0);
	s = show_hist(&m, false);
	KTAP_EXPECT_STR(s, "eth0            tx_drv        tx_drv_done            0            -            -            -            -            -            -\n");
	free(s);
	s = show_hist(&m, true);
	KTAP_EXPECT_STR(s, "{\"ifname\":\"eth0\",\"dev_id\":1,\"from\":\"tx_drv\",\"to\":\"tx_drv_done\",\"count\":0,\"over\":0,\"min_ns\":null,\"p50_ns\":null,\"p90_ns\":null,\"p99_ns\":null,\"p99.9_ns\":null,\"max_ns\":null}\n");
	free(s);

	/* most samples above 60 s: the high percentiles are ">60s" */
	srtt_nlhist_init(&m.h, 9, 0, 0, 0);
	srtt_hist_add(&m.h, 5);
	s = show_hist(&m, false);
	KTAP_EXPECT_STR(s, "eth0            tx_drv        tx_drv_done            1            5         >60s         >60s            -            -            5\n");
	free(s);
	s = show_hist(&m, true);
	KTAP_EXPECT_CONTAINS(s, "\"count\":1,\"over\":9,\"min_ns\":5,\"p50_ns\":null,\"p50_over_range\":true,\"p90_ns\":null,\"p90_over_range\":true,\"p99_ns\":null,");
	free(s);
}

static void test_stats_msg(void)
{
	struct srtt_stats_msg s;
	struct nl_msg *msg = reply(SRTT_CMD_STATS_GET);
	struct srtt_mem mem;
	char why[160] = "", *out;
	int stage;

	nla_put_string(msg, SRTT_A_IFNAME, "eth0");
	nla_put_u8(msg, SRTT_A_DEV_ID, 1);
	for (stage = 0; stage <= __SRTT_STAGE_MAX; stage++) {
		struct nlattr *nest = nla_nest_start(msg, SRTT_A_STAGE_STATS);

		/* the last one is a stage this tool does not know */
		nla_put_u8(msg, SRTT_A_SS_STAGE, (uint8_t)stage);
		nla_put_u64(msg, SRTT_A_SS_HITS, 100 + (uint64_t)stage);
		nla_put_u64(msg, SRTT_A_SS_LOST, (uint64_t)stage);
		nla_put_u64(msg, SRTT_A_SS_BAD, 0);
		nla_nest_end(msg, nest);
	}
	/* a PF's hypervisor event, and a number past the known ones */
	for (stage = 0; stage < 2; stage++) {
		struct nlattr *nest = nla_nest_start(msg, SRTT_A_STAGE_STATS);

		nla_put_u8(msg, SRTT_A_SS_STAGE, stage ? __SRTT_EVENT_MAX :
			   SRTT_EVENT_HV_INJECT);
		nla_put_u64(msg, SRTT_A_SS_HITS, 7);
		nla_put_u64(msg, SRTT_A_SS_LOST, 1);
		nla_nest_end(msg, nest);
	}
	nla_put_u64(msg, SRTT_A_IMPOSSIBLE, 2);
	nla_put_u64(msg, SRTT_A_TRACK_BUSY, 3);
	nla_put_u64(msg, SRTT_A_TRACK_RESTART, UINT64_MAX);
	nla_put_u64(msg, SRTT_A_TRACK_EVICT, 5);
	nla_put_u64(msg, SRTT_A_IRQS, 9);
	nla_put_u64(msg, SRTT_A_NAPI_POLLS, 10);
	KTAP_EXPECT_EQ(srtt_parse_stats_msg(nlmsg_hdr(msg), &s, why,
					    sizeof(why)), 0);
	KTAP_EXPECT_STR(s.ifname, "eth0");
	KTAP_EXPECT_EQ(s.stage[SRTT_STAGE_RX_NF_INGRESS].hits, 111);
	KTAP_EXPECT_EQ(s.stage[SRTT_STAGE_TX_DRV].lost, 2);
	KTAP_EXPECT_EQ(s.track_restart, UINT64_MAX);
	KTAP_EXPECT_EQ(s.track_evict, 5);
	KTAP_EXPECT(s.irqs == 9 && s.napi_polls == 10, "irqs %" PRIu64
		    " napi_polls %" PRIu64, s.irqs, s.napi_polls);
	KTAP_EXPECT(!s.event[0].present, "hv_irq not sent");
	KTAP_EXPECT(s.event[1].present && s.event[1].hits == 7 &&
		    s.event[1].lost == 1, "hv_inject 7 1");
	nlmsg_free(msg);

	srtt_show_stats(srtt_mem_begin(&mem, false, false), &s);
	out = srtt_mem_end(&mem);
	KTAP_EXPECT_CONTAINS(out, "eth0 id 1: impossible 2 track_busy 3 track_restart 18446744073709551615 track_evict 5\n"
			     "    notifications: irqs 9 napi_polls 10\n");
	KTAP_EXPECT_CONTAINS(out, "    stage                   hits           lost            bad\n");
	KTAP_EXPECT_CONTAINS(out, "    rx_nf_ingress            111             11              0\n");
	KTAP_EXPECT_CONTAINS(out, "    hv_inject                  7              1              0\n");
	KTAP_EXPECT(!strstr(out, "hv_irq"), "no hv_irq row: %s", out);
	free(out);

	srtt_show_stats(srtt_mem_begin(&mem, true, false), &s);
	out = srtt_mem_end(&mem);
	KTAP_EXPECT_CONTAINS(out, "{\"ifname\":\"eth0\",\"dev_id\":1,\"impossible\":2,\"track_busy\":3,\"track_restart\":18446744073709551615,\"track_evict\":5,\"irqs\":9,\"napi_polls\":10,\"stages\":[{\"stage\":\"tx_nf_egress\",\"hits\":100,\"lost\":0,\"bad\":0},");
	KTAP_EXPECT_CONTAINS(out, "{\"stage\":\"rx_copy\",\"hits\":113,\"lost\":13,\"bad\":0}],\"events\":[{\"stage\":\"hv_inject\",\"hits\":7,\"lost\":1,\"bad\":0}]}\n");
	free(out);
}

static void test_records_msg(void)
{
	struct srtt_record recs[3] = {
		{ .ts = 1, .stage = 2 }, { .ts = 2 }, { .ts = 3 },
	};
	struct srtt_records_msg r;
	struct srtt_record rec;
	struct nl_msg *msg;
	char why[160] = "";

	msg = reply(SRTT_CMD_RECORDS);
	nla_put(msg, SRTT_A_RECORDS, sizeof(recs), recs);
	nla_put_u64(msg, SRTT_A_LOST, 5);
	KTAP_EXPECT_EQ(srtt_parse_records_msg(nlmsg_hdr(msg), &r, why,
					      sizeof(why)), 0);
	KTAP_EXPECT_EQ(r.count, 3);
	KTAP_EXPECT(r.has_lost && r.lost == 5, "lost 5");
	memcpy(&rec, (const char *)r.data + sizeof(rec), sizeof(rec));
	KTAP_EXPECT_EQ(rec.ts, 2);
	nlmsg_free(msg);

	/* a length that is not a whole number of records */
	msg = reply(SRTT_CMD_RECORDS);
	nla_put(msg, SRTT_A_RECORDS, sizeof(recs) - 4, recs);
	KTAP_EXPECT_EQ(srtt_parse_records_msg(nlmsg_hdr(msg), &r, why,
					      sizeof(why)), -EPROTO);
	KTAP_EXPECT_CONTAINS(why, "not a multiple of the");
	nlmsg_free(msg);

	/* only a loss report */
	msg = reply(SRTT_CMD_RECORDS);
	nla_put_u64(msg, SRTT_A_LOST, 1);
	KTAP_EXPECT_EQ(srtt_parse_records_msg(nlmsg_hdr(msg), &r, why,
					      sizeof(why)), 0);
	KTAP_EXPECT_EQ(r.count, 0);
	nlmsg_free(msg);
}

static void test_config_msg(void)
{
	struct nl_msg *msg = reply(SRTT_CMD_CONFIG_GET);
	struct srtt_config_msg c;
	struct srtt_mem mem;
	char why[160] = "", *out;

	nla_put_u16(msg, SRTT_A_CFG_STAMP_PORT, 862);
	nla_put_u32(msg, SRTT_A_CFG_SAMPLE, 0);
	nla_put_u32(msg, SRTT_A_CFG_RING_SIZE, 4096);
	KTAP_EXPECT_EQ(srtt_parse_config_msg(nlmsg_hdr(msg), &c, why,
					     sizeof(why)), 0);
	nlmsg_free(msg);
	srtt_show_config(srtt_mem_begin(&mem, false, false), &c);
	out = srtt_mem_end(&mem);
	KTAP_EXPECT_STR(out, "stamp_port 862\nsample 0\nring_size 4096\n");
	free(out);
	srtt_show_config(srtt_mem_begin(&mem, true, false), &c);
	out = srtt_mem_end(&mem);
	KTAP_EXPECT_STR(out, "{\"stamp_port\":862,\"sample\":0,\"ring_size\":4096}\n");
	free(out);
}

static void test_dev_msg(void)
{
	struct nl_msg *msg = reply(SRTT_CMD_DEV_GET);
	struct srtt_dev_msg d;
	char why[160] = "";

	nla_put_u32(msg, SRTT_A_IFINDEX, 7);
	nla_put_string(msg, SRTT_A_IFNAME, "vf1");
	nla_put_u8(msg, SRTT_A_DEV_ID, 4);
	nla_put_u8(msg, SRTT_A_DEV_ROLE, SRTT_ROLE_VF);
	nla_put_u32(msg, SRTT_A_DEV_NETNS_INO, 4026531840U);
	nla_put_string(msg, SRTT_A_DEV_PCI, "0000:00:04.1");
	nla_put_u32(msg, SRTT_A_DEV_IRQ, 30);
	nla_put_u32(msg, SRTT_A_DEV_IRQ, 31);
	KTAP_EXPECT_EQ(srtt_parse_dev_msg(nlmsg_hdr(msg), &d, why,
					  sizeof(why)), 0);
	KTAP_EXPECT_EQ(d.ifindex, 7);
	KTAP_EXPECT_EQ(d.dev_id, 4);
	KTAP_EXPECT_EQ(d.role, SRTT_ROLE_VF);
	KTAP_EXPECT_EQ(d.netns_ino, 4026531840U);
	KTAP_EXPECT_STR(d.pci, "0000:00:04.1");
	nlmsg_free(msg);

	/* an unterminated name fails the policy */
	msg = reply(SRTT_CMD_DEV_GET);
	nla_put(msg, SRTT_A_IFNAME, 3, "abc");
	KTAP_EXPECT_EQ(srtt_parse_dev_msg(nlmsg_hdr(msg), &d, why,
					  sizeof(why)), -EPROTO);
	nlmsg_free(msg);
}

/* NLMSG_ERROR and NLMSG_DONE with the kernel's message (extack). */
static void test_error_messages(void)
{
	struct nlmsghdr req = { .nlmsg_len = NLMSG_HDRLEN + 8,
				.nlmsg_type = FAMILY };
	char payload[8] = "request", text[SRTT_EXTACK_MAX];
	struct nlmsgerr e = { .error = -EBUSY };
	struct nl_msg *msg;
	int error;

	/* not capped: the request's payload sits before the attributes */
	e.msg = req;
	msg = nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_ACK_TLVS);
	nlmsg_append(msg, &e, sizeof(e), NLMSG_ALIGNTO);
	nlmsg_append(msg, payload, sizeof(payload), NLMSG_ALIGNTO);
	nla_put_string(msg, NLMSGERR_ATTR_MSG, "ring_size only while nothing is attached");
	nla_put_u32(msg, NLMSGERR_ATTR_OFFS, 20);
	error = srtt_nlmsg_error(nlmsg_hdr(msg), text, sizeof(text));
	KTAP_EXPECT_EQ(error, -EBUSY);
	KTAP_EXPECT_STR(text, "ring_size only while nothing is attached");
	nlmsg_free(msg);

	/* capped */
	msg = nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_ACK_TLVS | NLM_F_CAPPED);
	nlmsg_append(msg, &e, sizeof(e), NLMSG_ALIGNTO);
	nla_put_string(msg, NLMSGERR_ATTR_MSG, "capped");
	error = srtt_nlmsg_error(nlmsg_hdr(msg), text, sizeof(text));
	KTAP_EXPECT_EQ(error, -EBUSY);
	KTAP_EXPECT_STR(text, "capped");
	nlmsg_free(msg);

	/* no TLVs */
	msg = nlmsg_alloc_simple(NLMSG_ERROR, 0);
	nlmsg_append(msg, &e, sizeof(e), NLMSG_ALIGNTO);
	error = srtt_nlmsg_error(nlmsg_hdr(msg), text, sizeof(text));
	KTAP_EXPECT_EQ(error, -EBUSY);
	KTAP_EXPECT_STR(text, "");
	nlmsg_free(msg);

	/* a dump that failed: the error is in NLMSG_DONE */
	error = -ENODEV;
	msg = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS);
	nlmsg_append(msg, &error, sizeof(error), NLMSG_ALIGNTO);
	nla_put_string(msg, NLMSGERR_ATTR_MSG, "eth3 is not attached");
	error = srtt_nlmsg_error(nlmsg_hdr(msg), text, sizeof(text));
	KTAP_EXPECT_EQ(error, -ENODEV);
	KTAP_EXPECT_STR(text, "eth3 is not attached");
	nlmsg_free(msg);

	/* a good DONE and an ACK */
	error = 0;
	msg = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI);
	nlmsg_append(msg, &error, sizeof(error), NLMSG_ALIGNTO);
	KTAP_EXPECT_EQ(srtt_nlmsg_error(nlmsg_hdr(msg), text, sizeof(text)), 0);
	nlmsg_free(msg);
	e.error = 0;
	msg = nlmsg_alloc_simple(NLMSG_ERROR, 0);
	nlmsg_append(msg, &e, sizeof(e), NLMSG_ALIGNTO);
	KTAP_EXPECT_EQ(srtt_nlmsg_error(nlmsg_hdr(msg), text, sizeof(text)), 0);
	nlmsg_free(msg);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_nests_equal_struct),
	KTAP_CASE(test_pairs_equal_struct),
	KTAP_CASE(test_bad_nests),
	KTAP_CASE(test_hist_rows),
	KTAP_CASE(test_stats_msg),
	KTAP_CASE(test_records_msg),
	KTAP_CASE(test_config_msg),
	KTAP_CASE(test_dev_msg),
	KTAP_CASE(test_error_messages),
};

int main(void)
{
	return KTAP_RUN(cases);
}
