// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the stage table (user/stamp/stages.c): the per-key
 * table, the choice of one record per stage, the window a request's
 * stages must lie in, and the hypervisor's events by time. How records
 * reach it from the socket is test_records' (user/tests/).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../../selftests/unit/ktap.h"
#include "stages.h"

static struct srtt_record rec(uint8_t stage, uint8_t dir, uint16_t id,
			      uint32_t seq, uint32_t ifindex, uint64_t ts)
{
	struct srtt_record r;

	memset(&r, 0, sizeof(r));
	r.stage = stage;
	r.ifindex = ifindex;
	r.ts = ts;
	r.key.probe = SRTT_PROBE_STAMP;
	r.key.dir = dir;
	r.key.id = id;
	r.key.seq = seq;
	return r;
}

static void table_keys(void)
{
	struct srtt_stages_tab t;
	const struct srtt_record *out;
	struct srtt_record r;
	struct srtt_key k = { SRTT_PROBE_STAMP, SRTT_DIR_FWD, 7, 1 };
	uint32_t i;

	KTAP_EXPECT_EQ(srtt_stages_tab_init(&t, 3), -EINVAL);
	KTAP_EXPECT_EQ(srtt_stages_tab_init(&t, 2), -EINVAL);
	KTAP_EXPECT_EQ(srtt_stages_tab_init(&t, 0), -EINVAL);
	KTAP_EXPECT_EQ(srtt_stages_tab_init(&t, 64), 0);
	KTAP_EXPECT_EQ(srtt_stages_tab_get(&t, &k, &out), 0);
	KTAP_EXPECT(out == NULL, "no records: NULL");

	r = rec(SRTT_STAGE_RX_DRV, SRTT_DIR_FWD, 7, 1, 3, 100);
	/* as the records group's reader files it */
	KTAP_EXPECT_EQ(srtt_stages_take(&t, &r), 0);
	r = rec(SRTT_STAGE_RX_IRQ, SRTT_DIR_FWD, 7, 1, 3, 90);
	srtt_stages_tab_add(&t, &r);
	/* the other direction of the same id/seq is another key */
	r = rec(SRTT_STAGE_TX_DRV, SRTT_DIR_REV, 7, 1, 3, 200);
	srtt_stages_tab_add(&t, &r);
	/* sampled traffic is not kept */
	r = rec(SRTT_STAGE_RX_DRV, SRTT_DIR_FWD, 7, 1, 3, 100);
	r.key.probe = SRTT_PROBE_NONE;
	srtt_stages_tab_add(&t, &r);
	r = rec(SRTT_STAGE_RX_DRV, SRTT_DIR_FWD, 7, 1, 3, 100);
	r.flags = SRTT_REC_F_SAMPLED;
	srtt_stages_tab_add(&t, &r);

	KTAP_EXPECT_EQ(srtt_stages_tab_get(&t, &k, &out), 2);
	KTAP_EXPECT_EQ(out[0].ts, 100);
	KTAP_EXPECT_EQ(out[1].ts, 90);
	k.dir = SRTT_DIR_REV;
	KTAP_EXPECT_EQ(srtt_stages_tab_get(&t, &k, &out), 1);
	KTAP_EXPECT_EQ(out[0].stage, SRTT_STAGE_TX_DRV);
	k.probe = SRTT_PROBE_ICMP;
	KTAP_EXPECT_EQ(srtt_stages_tab_get(&t, &k, &out), 0);
	KTAP_EXPECT_EQ(t.stored, 3);
	KTAP_EXPECT_EQ(t.sampled, 2);

	/* 63 keys in 64 slots, the 2 above included: with 4 ways, few go */
	for (i = 0; i < 61; i++) {
		r = rec(SRTT_STAGE_RX_DRV, SRTT_DIR_FWD, 8, i, 3, i);
		srtt_stages_tab_add(&t, &r);
	}
	KTAP_EXPECT(t.evicted <= 16, "evicted %" PRIu64 " of 64", t.evicted);
	/* more keys than slots: old ones are evicted and counted */
	for (i = 0; i < 1000; i++) {
		r = rec(SRTT_STAGE_RX_DRV, SRTT_DIR_FWD, 9, i, 3, i);
		srtt_stages_tab_add(&t, &r);
	}
	KTAP_EXPECT(t.evicted >= 2 + 61 + 1000 - 64, "evicted %" PRIu64, t.evicted);
	/* the newest keys survive: a set evicts its oldest */
	for (i = 996; i < 1000; i++) {
		k = (struct srtt_key){ SRTT_PROBE_STAMP, SRTT_DIR_FWD, 9, i };
		KTAP_EXPECT_EQ(srtt_stages_tab_get(&t, &k, &out), 1);
		KTAP_EXPECT_EQ(out ? out[0].ts : 0, i);
	}

	/* more records of one key than it keeps */
	for (i = 0; i < SRTT_STAGES_PER_KEY + 5; i++) {
		r = rec(SRTT_STAGE_RX_DRV, SRTT_DIR_FWD, 11, 5, i, i);
		srtt_stages_tab_add(&t, &r);
	}
	KTAP_EXPECT_EQ(t.full, 5);
	k = (struct srtt_key){ SRTT_PROBE_STAMP, SRTT_DIR_FWD, 11, 5 };
	KTAP_EXPECT_EQ(srtt_stages_tab_get(&t, &k, &out), SRTT_STAGES_PER_KEY);
	srtt_stages_tab_free(&t);
}

static void pick_side_and_device(void)
{
	const struct srtt_record *out[__SRTT_STAGE_MAX];
	struct srtt_record r[6];
	unsigned int others;

	r[0] = rec(SRTT_STAGE_TX_DRV, SRTT_DIR_FWD, 1, 1, 2, 10);
	r[1] = rec(SRTT_STAGE_RX_IRQ, SRTT_DIR_FWD, 1, 1, 5, 20);
	r[2] = rec(SRTT_STAGE_RX_DRV, SRTT_DIR_FWD, 1, 1, 4, 30);
	r[3] = rec(SRTT_STAGE_RX_DRV, SRTT_DIR_FWD, 1, 1, 5, 31);
	r[4] = rec(SRTT_STAGE_TX_DRV_DONE, SRTT_DIR_FWD, 1, 1, 2, 11);
	r[5] = rec(200, SRTT_DIR_FWD, 1, 1, 5, 40);	/* unknown stage */

	/* RX side, device 5 preferred: rx_drv of 5, not of 4 */
	KTAP_EXPECT_EQ(srtt_stages_pick(r, 6, false, 5, out, &others), 2);
	KTAP_EXPECT_EQ(others, 1);
	KTAP_EXPECT(out[SRTT_STAGE_RX_DRV] == &r[3], "device 5 wins");
	KTAP_EXPECT(out[SRTT_STAGE_RX_IRQ] == &r[1], "rx_irq");
	KTAP_EXPECT(out[SRTT_STAGE_TX_DRV] == NULL, "no TX on the RX side");
	/* no preference: the first record wins */
	KTAP_EXPECT_EQ(srtt_stages_pick(r, 6, false, 0, out, &others), 2);
	KTAP_EXPECT(out[SRTT_STAGE_RX_DRV] == &r[2], "first wins");
	/* TX side */
	KTAP_EXPECT_EQ(srtt_stages_pick(r, 6, true, 0, out, &others), 2);
	KTAP_EXPECT_EQ(others, 0);
	KTAP_EXPECT(out[SRTT_STAGE_TX_DRV] == &r[0] &&
		    out[SRTT_STAGE_TX_DRV_DONE] == &r[4], "both TX stages");
	KTAP_EXPECT_EQ(srtt_stages_pick(NULL, 0, true, 0, out, &others), 0);
}

static struct srtt_record ev(uint8_t event, uint16_t vf, uint16_t entry,
			     uint64_t ts)
{
	struct srtt_record r = rec(event, SRTT_DIR_FWD, entry, 0, 0, ts);

	r.key.probe = SRTT_PROBE_NONE;
	r.flags = SRTT_REC_F_EVENT;
	r.queue = vf;
	return r;
}

/* Hypervisor events: kept in time order only when asked, found by window. */
static void events_by_time(void)
{
	const struct srtt_record *f;
	struct srtt_stages_tab t;
	struct srtt_record r;
	uint64_t i;

	KTAP_EXPECT_EQ(srtt_stages_tab_init(&t, 64), 0);
	r = ev(SRTT_EVENT_HV_IRQ, 0, 1, 100);
	srtt_stages_tab_add(&t, &r);
	KTAP_EXPECT_EQ(t.nev, 0);
	KTAP_EXPECT_EQ(t.stored, 0);
	KTAP_EXPECT(!srtt_stages_event(&t, SRTT_EVENT_HV_IRQ, 0, 1000, -1, -1),
		    "not kept unless keep_events");

	t.keep_events = true;
	/* out of order, as two CPUs' rings deliver them */
	r = ev(SRTT_EVENT_HV_IRQ, 0, 1, 300);
	srtt_stages_tab_add(&t, &r);
	r = ev(SRTT_EVENT_HV_IRQ, 1, 0, 100);
	srtt_stages_tab_add(&t, &r);
	r = ev(SRTT_EVENT_HV_INJECT, 0, 1, 350);
	srtt_stages_tab_add(&t, &r);
	r = ev(SRTT_EVENT_HV_IRQ, 0, 2, 200);
	srtt_stages_tab_add(&t, &r);
	/* not an event: a stage number with the flag, and a plain record */
	r = ev(SRTT_STAGE_RX_DRV, 0, 0, 250);
	srtt_stages_tab_add(&t, &r);
	r = rec(SRTT_STAGE_RX_DRV, SRTT_DIR_FWD, 1, 1, 1, 260);
	srtt_stages_tab_add(&t, &r);
	KTAP_EXPECT_EQ(t.nev, 4);
	KTAP_EXPECT_EQ(t.stored, 1);
	for (i = 1; i < t.nev; i++)
		KTAP_EXPECT(t.ev[i - 1].ts <= t.ev[i].ts, "in time order at %lu",
			    (unsigned long)i);

	f = srtt_stages_event(&t, SRTT_EVENT_HV_IRQ, 100, 1000, -1, -1);
	KTAP_EXPECT(f && f->ts == 200, "first after 100 (exclusive): 200");
	f = srtt_stages_event(&t, SRTT_EVENT_HV_IRQ, 99, 1000, -1, -1);
	KTAP_EXPECT(f && f->ts == 100, "first after 99: 100");
	f = srtt_stages_event(&t, SRTT_EVENT_HV_IRQ, 0, 1000, 0, -1);
	KTAP_EXPECT(f && f->ts == 200, "VF 0's first: 200");
	f = srtt_stages_event(&t, SRTT_EVENT_HV_IRQ, 0, 1000, 0, 1);
	KTAP_EXPECT(f && f->ts == 300, "VF 0 entry 1: 300");
	KTAP_EXPECT(!srtt_stages_event(&t, SRTT_EVENT_HV_IRQ, 0, 300, 0, 1),
		    "before is exclusive");
	f = srtt_stages_event(&t, SRTT_EVENT_HV_INJECT, 300, 400, 0, 1);
	KTAP_EXPECT(f && f->ts == 350, "the injection after its interrupt");
	KTAP_EXPECT(!srtt_stages_event(&t, SRTT_EVENT_HV_INJECT, 350, 400, 0, 1),
		    "none after the last");
	KTAP_EXPECT(!srtt_stages_event(&t, SRTT_EVENT_HV_IRQ, 400, 300, -1, -1),
		    "an empty window");
	f = srtt_stages_event_last(&t, SRTT_EVENT_HV_IRQ, 0, 1000, -1, -1);
	KTAP_EXPECT(f && f->ts == 300, "last before 1000: 300");
	f = srtt_stages_event_last(&t, SRTT_EVENT_HV_IRQ, 0, 300, -1, -1);
	KTAP_EXPECT(f && f->ts == 200, "last before 300 (exclusive): 200");
	f = srtt_stages_event_last(&t, SRTT_EVENT_HV_IRQ, 0, 301, 0, 1);
	KTAP_EXPECT(f && f->ts == 300, "VF 0 entry 1 before 301: 300");
	KTAP_EXPECT(!srtt_stages_event_last(&t, SRTT_EVENT_HV_IRQ, 100, 200, -1, -1),
		    "after is exclusive too");
	KTAP_EXPECT(!srtt_stages_event_last(&t, SRTT_EVENT_HV_IRQ, 0, 0, -1, -1),
		    "before 0: none");

	/* many: growth keeps the order */
	for (i = 0; i < 5000; i++) {
		r = ev(SRTT_EVENT_HV_IRQ, 2, 0, 10000 + (i ^ 1) * 10);
		srtt_stages_tab_add(&t, &r);
	}
	KTAP_EXPECT_EQ(t.nev, 5004);
	KTAP_EXPECT_EQ(t.ev_dropped, 0);
	for (i = 1; i < t.nev; i++)
		if (t.ev[i - 1].ts > t.ev[i].ts)
			break;
	KTAP_EXPECT_EQ(i, t.nev);
	f = srtt_stages_event(&t, SRTT_EVENT_HV_IRQ, 10000 + 2500 * 10, ~0ULL, 2, -1);
	KTAP_EXPECT(f && f->ts == 10000 + 2501 * 10, "found among many");
	srtt_stages_tab_free(&t);
	KTAP_EXPECT(t.ev == NULL && t.nev == 0, "freed");
}

/*
 * A record of the same key from outside the request's time (an earlier
 * run with the same SSID, a lost request) is not used, and counted.
 */
static void collect_in_window(void)
{
	struct srtt_key fwd = { SRTT_PROBE_STAMP, SRTT_DIR_FWD, 9, 4 };
	struct srtt_key rev = { SRTT_PROBE_STAMP, SRTT_DIR_REV, 9, 4 };
	struct srtt_record out[__SRTT_STAGE_MAX], r;
	struct srtt_stages_tab t;
	uint64_t stale = 0;
	unsigned int n;

	KTAP_EXPECT_EQ(srtt_stages_tab_init(&t, 64), 0);
	/* a run 30 s ago: its rx_drv; today's request: rx_irq, rx_stack */
	r = rec(SRTT_STAGE_RX_DRV, SRTT_DIR_FWD, 9, 4, 3, 1000);
	srtt_stages_tab_add(&t, &r);
	r = rec(SRTT_STAGE_RX_IRQ, SRTT_DIR_FWD, 9, 4, 3, 30000000500ULL);
	srtt_stages_tab_add(&t, &r);
	r = rec(SRTT_STAGE_RX_STACK, SRTT_DIR_FWD, 9, 4, 3, 30000000900ULL);
	srtt_stages_tab_add(&t, &r);
	r = rec(SRTT_STAGE_TX_DRV, SRTT_DIR_REV, 9, 4, 3, 30000002000ULL);
	srtt_stages_tab_add(&t, &r);
	n = srtt_stages_collect(&t, &fwd, 3, 29000000000ULL, 30000001000ULL,
				out, __SRTT_STAGE_MAX, &stale);
	KTAP_EXPECT_EQ(n, 2);
	KTAP_EXPECT_EQ(stale, 1);
	KTAP_EXPECT_EQ(out[0].stage, SRTT_STAGE_RX_IRQ);
	KTAP_EXPECT_EQ(out[1].stage, SRTT_STAGE_RX_STACK);
	/* the window's ends belong to it */
	stale = 0;
	n = srtt_stages_collect(&t, &fwd, 3, 30000000500ULL, 30000000900ULL,
				out, __SRTT_STAGE_MAX, &stale);
	KTAP_EXPECT_EQ(n, 2);
	KTAP_EXPECT_EQ(stale, 1);
	/* a TX stage before the reply's T3 is not the reply's */
	stale = 0;
	n = srtt_stages_collect(&t, &rev, 3, 30000002001ULL, ~0ULL, out,
				__SRTT_STAGE_MAX, &stale);
	KTAP_EXPECT_EQ(n, 0);
	KTAP_EXPECT_EQ(stale, 1);
	/* at most @max */
	stale = 0;
	n = srtt_stages_collect(&t, &fwd, 3, 0, ~0ULL, out, 2, &stale);
	KTAP_EXPECT_EQ(n, 2);
	KTAP_EXPECT_EQ(out[0].stage, SRTT_STAGE_RX_IRQ);
	KTAP_EXPECT_EQ(out[1].stage, SRTT_STAGE_RX_DRV);
	srtt_stages_tab_free(&t);
}

/* A key reported and done with leaves the table: nothing of it stays. */
static void key_dropped(void)
{
	struct srtt_key k = { SRTT_PROBE_STAMP, SRTT_DIR_FWD, 5, 77 };
	const struct srtt_record *out;
	struct srtt_stages_tab t;
	struct srtt_record r;

	KTAP_EXPECT_EQ(srtt_stages_tab_init(&t, 16), 0);
	r = rec(SRTT_STAGE_RX_DRV, SRTT_DIR_FWD, 5, 77, 3, 100);
	srtt_stages_tab_add(&t, &r);
	r = rec(SRTT_STAGE_TX_DRV, SRTT_DIR_REV, 5, 77, 3, 200);
	srtt_stages_tab_add(&t, &r);
	KTAP_EXPECT_EQ(srtt_stages_tab_get(&t, &k, &out), 1);
	srtt_stages_tab_del(&t, &k);
	KTAP_EXPECT_EQ(srtt_stages_tab_get(&t, &k, &out), 0);
	KTAP_EXPECT_EQ(t.dropped, 1);
	/* the other direction is its own key */
	k.dir = SRTT_DIR_REV;
	KTAP_EXPECT_EQ(srtt_stages_tab_get(&t, &k, &out), 1);
	/* a key that is not there: nothing happens */
	k.seq = 78;
	srtt_stages_tab_del(&t, &k);
	KTAP_EXPECT_EQ(t.dropped, 1);
	/* the same key again later starts empty: the old records are gone */
	k.seq = 77;
	k.dir = SRTT_DIR_FWD;
	r = rec(SRTT_STAGE_RX_IRQ, SRTT_DIR_FWD, 5, 77, 3, 900);
	srtt_stages_tab_add(&t, &r);
	KTAP_EXPECT_EQ(srtt_stages_tab_get(&t, &k, &out), 1);
	KTAP_EXPECT_EQ(out[0].ts, 900);
	srtt_stages_tab_free(&t);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(collect_in_window),
	KTAP_CASE(key_dropped),
	KTAP_CASE(table_keys),
	KTAP_CASE(pick_side_and_device),
	KTAP_CASE(events_by_time),
};

int main(void)
{
	return KTAP_RUN(cases);
}
