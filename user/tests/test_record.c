// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt: a record prints as the debugfs record line of
 * Documentation/sriov_rtt.rst, and as one JSON object with the same names.
 */

#include "util.h"
#include "lib/names.h"
#include "lib/show.h"

static char *show(const struct srtt_record *rec, bool json)
{
	struct srtt_mem m;

	srtt_show_record(srtt_mem_begin(&m, json, false), rec);
	return srtt_mem_end(&m);
}

/* An ICMP echo reply seen by the driver, queue unknown. */
static const struct srtt_record rec_rx = {
	.ts = 1234567890123ULL,
	.hwts = 42,		/* not shown: no SRTT_REC_F_HWTS */
	.ifindex = 5,
	.cpu = 3,
	.queue = 7,		/* not shown: SRTT_REC_F_NO_QUEUE */
	.stage = SRTT_STAGE_RX_DRV,
	.dev_id = 2,
	.flags = SRTT_REC_F_NO_QUEUE,
	.key = {
		.probe = SRTT_PROBE_ICMP,
		.dir = SRTT_DIR_REV,
		.id = 4660,
		.seq = 17,
	},
};

/* A STAMP probe over IPv6 in a VLAN with a hardware stamp. */
static const struct srtt_record rec_hw = {
	.ts = 18446744073709551615ULL,
	.hwts = 1700000000000000001ULL,
	.ifindex = 4294967295U,
	.cpu = 65535,
	.queue = 0,
	.stage = SRTT_STAGE_RX_HW,
	.dev_id = 255,
	.flags = SRTT_REC_F_HWTS | SRTT_REC_F_IPV6 | SRTT_REC_F_VLAN,
	.key = {
		.probe = SRTT_PROBE_STAMP,
		.dir = SRTT_DIR_FWD,
		.id = 65535,
		.seq = 4294967295U,
	},
};

static void test_record_text(void)
{
	char *s = show(&rec_rx, false);

	KTAP_EXPECT_STR(s,
		"ts=1234567890123 clock=mono stage=rx_drv dev=2 ifindex=5 cpu=3 queue=- probe=icmp dir=rev id=4660 seq=17 hwts=- flags=0x10\n");
	free(s);
}

static void test_record_json(void)
{
	char *s = show(&rec_rx, true);

	KTAP_EXPECT_STR(s,
		"{\"ts\":1234567890123,\"clock\":\"mono\",\"stage\":\"rx_drv\",\"dev_id\":2,\"ifindex\":5,\"cpu\":3,\"queue\":null,\"probe\":\"icmp\",\"dir\":\"rev\",\"id\":4660,\"seq\":17,\"hwts\":null,\"flags\":16}\n");
	free(s);
}

static void test_record_hwts_text(void)
{
	char *s = show(&rec_hw, false);

	KTAP_EXPECT_STR(s,
		"ts=18446744073709551615 clock=mono stage=rx_hw dev=255 ifindex=4294967295 cpu=65535 queue=0 probe=stamp dir=fwd id=65535 seq=4294967295 hwts=1700000000000000001 flags=0x7\n");
	free(s);
}

static void test_record_hwts_json(void)
{
	char *s = show(&rec_hw, true);

	KTAP_EXPECT_STR(s,
		"{\"ts\":18446744073709551615,\"clock\":\"mono\",\"stage\":\"rx_hw\",\"dev_id\":255,\"ifindex\":4294967295,\"cpu\":65535,\"queue\":0,\"probe\":\"stamp\",\"dir\":\"fwd\",\"id\":65535,\"seq\":4294967295,\"hwts\":1700000000000000001,\"flags\":7}\n");
	free(s);
}

/* Sampled traffic and a stage from a newer module, as the module prints. */
static void test_record_sampled_unknown_stage(void)
{
	struct srtt_record rec = {
		.ts = 1, .stage = __SRTT_STAGE_MAX, .dev_id = 1,
		.flags = SRTT_REC_F_SAMPLED,
		.key = { .probe = SRTT_PROBE_NONE, .dir = SRTT_DIR_FWD,
			 .id = 1, .seq = 9 },
	};
	char *s = show(&rec, false);

	KTAP_EXPECT_STR(s,
		"ts=1 clock=mono stage=? dev=1 ifindex=0 cpu=0 queue=0 probe=none dir=fwd id=1 seq=9 hwts=- flags=0x8\n");
	free(s);
	rec.key.probe = SRTT_PROBE_ICMPV6;
	rec.stage = SRTT_STAGE_TX_NF_EGRESS;
	s = show(&rec, false);
	KTAP_EXPECT_CONTAINS(s, " stage=tx_nf_egress ");
	KTAP_EXPECT_CONTAINS(s, " probe=icmp6 ");
	free(s);
}

static void test_lost_lines(void)
{
	struct srtt_mem m;
	char *s;

	srtt_show_lost(srtt_mem_begin(&m, false, false), 12);
	srtt_show_overrun(&m.out);
	s = srtt_mem_end(&m);
	KTAP_EXPECT_STR(s, "lost 12\nlost socket-overrun\n");
	free(s);

	srtt_show_lost(srtt_mem_begin(&m, true, false), 12);
	srtt_show_overrun(&m.out);
	s = srtt_mem_end(&m);
	KTAP_EXPECT_STR(s, "{\"lost\":12}\n{\"lost\":\"socket-overrun\"}\n");
	free(s);
}

static void test_mac_format(void)
{
	static const unsigned char mac[6] = { 0x02, 0, 0, 0, 0x05, 0x10 };
	unsigned char ib[20];
	char buf[64];

	srtt_mac_str(mac, 6, buf, sizeof(buf));
	KTAP_EXPECT_STR(buf, "02:00:00:00:05:10");
	srtt_mac_str(mac, 0, buf, sizeof(buf));
	KTAP_EXPECT_STR(buf, "");
	/* exactly enough room, then one byte less: whole octets only */
	srtt_mac_str(mac, 6, buf, 18);
	KTAP_EXPECT_STR(buf, "02:00:00:00:05:10");
	srtt_mac_str(mac, 6, buf, 17);
	KTAP_EXPECT_STR(buf, "02:00:00:00:05");
	memset(ib, 0xab, sizeof(ib));
	srtt_mac_str(ib, sizeof(ib), buf, sizeof(buf));
	KTAP_EXPECT_EQ(strlen(buf), 59);
}

/*
 * srtt_record_fmt() writes what the formatted path writes, byte for
 * byte: the module's record line in text, the JSON writer's object in
 * JSON (here inside an array, where srtt_show_record() still formats),
 * for records of every kind, unknown stages and probes included, and
 * numbers at both ends of every decimal width.
 */
static void test_record_fast_same_bytes(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL, p10 = 1;
	char fast[SRTT_RECORD_FMT_MAX], slow[SRTT_RECORD_LINE_MAX];
	unsigned int i, text_bad = 0, json_bad = 0;
	struct srtt_mem mem;
	struct srtt_out *o;
	char *ref, *at;
	size_t n;

	for (i = 0; i < 20000; i++) {
		struct srtt_record r;

		memset(&r, 0, sizeof(r));
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		r.ts = i % 7 ? x : (i % 2 ? 0 : UINT64_MAX);
		r.hwts = x * 31;
		r.ifindex = (uint32_t)(x >> 3);
		r.cpu = (uint16_t)(x >> 11);
		r.queue = (uint16_t)(x >> 19);
		r.stage = (uint8_t)(i % 3 ? x % __SRTT_STAGE_MAX : x >> 24);
		r.dev_id = (uint8_t)(x >> 29);
		r.flags = (uint16_t)(x >> 33);
		r.key.probe = (uint8_t)(i % 5 ? x % 4 : x >> 40);
		r.key.dir = (uint8_t)(x >> 44) % 3;
		r.key.id = (uint16_t)(x >> 47);
		r.key.seq = (uint32_t)(x >> 21);
		if (i < 40) {	/* every decimal width's both ends */
			r.ts = p10 - (i % 2);
			r.hwts = r.ts;
			r.flags |= SRTT_REC_F_HWTS;
			r.ifindex = (uint32_t)(r.ts ? r.ts : UINT32_MAX);
			r.key.seq = (uint32_t)(r.ts >> (i % 3));
			r.cpu = (uint16_t)r.ts;
			if (i % 2)
				p10 *= 10;
		}

		n = srtt_record_fmt(fast, &r, false);
		srtt_record_line(slow, sizeof(slow), &r);
		text_bad += n != strlen(slow) || memcmp(fast, slow, n);

		o = srtt_mem_begin(&mem, true, false);
		srtt_open_array(o, NULL);
		srtt_show_record(o, &r);
		srtt_close_array(o);
		ref = srtt_mem_end(&mem);
		n = srtt_record_fmt(fast, &r, true);
		/* "[" OBJECT "]\n" against OBJECT "\n" */
		at = ref + 1;
		json_bad += n != strlen(ref) - 2 || memcmp(fast, at, n - 1) ||
			    fast[n - 1] != '\n';
		if ((text_bad || json_bad) && text_bad + json_bad < 2)
			KTAP_DIAG("record %u: fast %.*s, formatted %s / %s", i,
				  (int)n, fast, slow, ref);
		free(ref);
	}
	KTAP_EXPECT(!text_bad && !json_bad, "20000 records: %u text and %u "
		    "JSON differ", text_bad, json_bad);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_record_text),
	KTAP_CASE(test_record_json),
	KTAP_CASE(test_record_hwts_text),
	KTAP_CASE(test_record_hwts_json),
	KTAP_CASE(test_record_sampled_unknown_stage),
	KTAP_CASE(test_lost_lines),
	KTAP_CASE(test_mac_format),
	KTAP_CASE(test_record_fast_same_bytes),
};

int main(void)
{
	return KTAP_RUN(cases);
}
