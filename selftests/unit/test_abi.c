// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for module/abi.c, the text side of the ABI that the module
 * and the tools share: names that read back, the stage-pair numbering,
 * the record line, and the settings table against control.h's keys.
 */

#include <stdlib.h>

#include "abi.h"
#include "control.h"
#include "ktap.h"

/* every stage's name reads back to it; events are named, not looked up */
static void stage_names(void)
{
	unsigned int s;

	for (s = 0; s < __SRTT_STAGE_MAX; s++)
		KTAP_EXPECT(srtt_stage_lookup(srtt_stage_name(s)) == (int)s,
			    "stage %u '%s'", s, srtt_stage_name(s));
	KTAP_EXPECT(!strcmp(srtt_stage_name(SRTT_EVENT_HV_IRQ), "hv_irq"),
		    "hv_irq");
	KTAP_EXPECT_EQ(srtt_stage_lookup("hv_irq"), -1);
	KTAP_EXPECT(!strcmp(srtt_stage_name(__SRTT_STAGE_MAX), "?"), "?");
	KTAP_EXPECT_EQ(srtt_stage_lookup("tx_drv "), -1);
}

/* the pairs are numbered 0 .. SRTT_PAIRS - 1, each once */
static void pair_numbers(void)
{
	unsigned char seen[SRTT_PAIRS] = { 0 };
	unsigned int f, t, n = 0;
	int i;

	for (f = 0; f < __SRTT_STAGE_MAX + 2; f++)
		for (t = 0; t < __SRTT_STAGE_MAX + 2; t++) {
			i = srtt_pair_index(f, t);
			if (i < 0)
				continue;
			KTAP_EXPECT(f < t && t < __SRTT_STAGE_MAX &&
				    srtt_stage_is_tx(f) == srtt_stage_is_tx(t) &&
				    i < SRTT_PAIRS && !seen[i],
				    "pair %u-%u: index %d", f, t, i);
			if (i < SRTT_PAIRS)
				seen[i]++;
			n++;
		}
	KTAP_EXPECT_EQ(n, SRTT_PAIRS);
	KTAP_EXPECT(srtt_pair_index(SRTT_STAGE_TX_DRV, SRTT_STAGE_RX_DRV) == -1,
		    "TX to RX is no pair");
}

static void record_line(void)
{
	struct srtt_record rec = {
		.ts = 44586669394ULL, .ifindex = 3, .cpu = 0, .queue = 0,
		.stage = SRTT_STAGE_RX_DRV, .dev_id = 1,
		.flags = SRTT_REC_F_NO_QUEUE,
		.key = { .probe = SRTT_PROBE_ICMP, .dir = SRTT_DIR_REV,
			 .id = 277, .seq = 7 },
	};
	const char *want = "ts=44586669394 clock=mono stage=rx_drv dev=1 ifindex=3 cpu=0 queue=- probe=icmp dir=rev id=277 seq=7 hwts=- flags=0x10\n";
	char line[SRTT_RECORD_LINE_MAX], small[16];
	int n;

	n = srtt_record_line(line, sizeof(line), &rec);
	KTAP_EXPECT(!strcmp(line, want), "line '%s'", line);
	KTAP_EXPECT_EQ(n, strlen(want));
	rec.flags = SRTT_REC_F_HWTS;
	rec.hwts = 5;
	rec.queue = 2;
	srtt_record_line(line, sizeof(line), &rec);
	KTAP_EXPECT(strstr(line, " queue=2 ") && strstr(line, " hwts=5 "),
		    "line '%s'", line);
	/* scnprintf(): what was written, NUL-terminated */
	n = srtt_record_line(small, sizeof(small), &rec);
	KTAP_EXPECT(n == (int)sizeof(small) - 1 && !small[n], "n %d", n);
}

/* control.h's keys are the settings' indices from 1 */
static void settings(void)
{
	KTAP_EXPECT(!strcmp(srtt_settings[SRTT_CTL_KEY_RING_SIZE - 1].name,
			    "ring_size") &&
		    srtt_settings[SRTT_CTL_KEY_RING_SIZE - 1].pow2 &&
		    srtt_settings[SRTT_CTL_KEY_STAMP_PORT - 1].max == 65535 &&
		    srtt_settings[SRTT_CTL_KEY_SAMPLE - 1].min == 0,
		    "settings table");
}

static const struct ktap_case cases[] = {
	KTAP_CASE(stage_names),
	KTAP_CASE(pair_numbers),
	KTAP_CASE(record_line),
	KTAP_CASE(settings),
};

int main(void)
{
	return KTAP_RUN(cases);
}
