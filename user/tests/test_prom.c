// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt hist --prometheus: the text format from known histograms.
 * Cumulative bucket counts at the octave edges are exact (values on
 * both sides of an edge), +Inf and _count hold the over-range samples,
 * _sum the in-range ones in seconds; counters per stage; an interface
 * name with a quote escaped. The file is left in build/tests/ for
 * promtool (make check runs `promtool check metrics` on it).
 */

#include <inttypes.h>

#include "util.h"
#include "lib/prom.h"
#include "hist.h"

static char *out;

static void sample(struct srtt_hist_msg *m, struct srtt_stats_msg *s)
{
	memset(m, 0, 2 * sizeof(*m));
	snprintf(m[0].ifname, sizeof(m[0].ifname), "eth0");
	m[0].from = SRTT_STAGE_TX_DRV;
	m[0].to = SRTT_STAGE_TX_DRV_DONE;
	/* 1023 and 1024 ns: each side of the 2^10 edge; 61 s over range */
	srtt_hist_add(&m[0].h, 1023);
	srtt_hist_add(&m[0].h, 1024);
	srtt_hist_add(&m[0].h, 5000);
	srtt_hist_add(&m[0].h, 61000000000ULL);
	snprintf(m[1].ifname, sizeof(m[1].ifname), "v\"f");
	m[1].from = SRTT_STAGE_RX_IRQ;
	m[1].to = SRTT_STAGE_RX_DRV;
	srtt_hist_add(&m[1].h, 40);
	memset(s, 0, sizeof(*s));
	snprintf(s->ifname, sizeof(s->ifname), "eth0");
	s->stage[SRTT_STAGE_TX_DRV] = (struct srtt_stage_stats){ true, 7, 2, 1 };
	s->impossible = 3;
	s->irqs = 11;
	s->napi_polls = 12;
}

static void format(void)
{
	struct srtt_hist_msg m[2];
	struct srtt_stats_msg s;
	size_t len = 0;
	FILE *fp;

	sample(m, &s);
	fp = open_memstream(&out, &len);
	if (!fp)
		abort();
	KTAP_EXPECT_EQ(srtt_prom_write(fp, m, 2, &s, 1), 0);
	fclose(fp);
	KTAP_EXPECT_CONTAINS(out, "# TYPE sriov_rtt_interval_seconds histogram\n");
	/* values below 1024 ns: 1023 only */
	KTAP_EXPECT_CONTAINS(out, "sriov_rtt_interval_seconds_bucket{ifname=\"eth0\",from=\"tx_drv\",to=\"tx_drv_done\",le=\"0.000001023\"} 1\n");
	KTAP_EXPECT_CONTAINS(out, "le=\"0.000002047\"} 2\n");
	KTAP_EXPECT_CONTAINS(out, "le=\"0.000008191\"} 3\n");
	KTAP_EXPECT_CONTAINS(out, "to=\"tx_drv_done\",le=\"+Inf\"} 4\n");
	KTAP_EXPECT_CONTAINS(out, "sriov_rtt_interval_seconds_count{ifname=\"eth0\",from=\"tx_drv\",to=\"tx_drv_done\"} 4\n");
	/* 1023 + 1024 + 5000 ns */
	KTAP_EXPECT_CONTAINS(out, "sriov_rtt_interval_seconds_sum{ifname=\"eth0\",from=\"tx_drv\",to=\"tx_drv_done\"} 0.000007047\n");
	KTAP_EXPECT_CONTAINS(out, "sriov_rtt_interval_over_range_total{ifname=\"eth0\",from=\"tx_drv\",to=\"tx_drv_done\"} 1\n");
	KTAP_EXPECT_CONTAINS(out, "{ifname=\"v\\\"f\",from=\"rx_irq\",to=\"rx_drv\",le=\"0.000000031\"} 0\n");
	KTAP_EXPECT_CONTAINS(out, "le=\"0.000000063\"} 1\n");
	KTAP_EXPECT_CONTAINS(out, "sriov_rtt_stage_records_total{ifname=\"eth0\",stage=\"tx_drv\"} 7\n");
	KTAP_EXPECT_CONTAINS(out, "sriov_rtt_stage_records_lost_total{ifname=\"eth0\",stage=\"tx_drv\"} 2\n");
	KTAP_EXPECT_CONTAINS(out, "sriov_rtt_stage_malformed_total{ifname=\"eth0\",stage=\"tx_drv\"} 1\n");
	KTAP_EXPECT_CONTAINS(out, "sriov_rtt_impossible_intervals_total{ifname=\"eth0\"} 3\n");
	KTAP_EXPECT_CONTAINS(out, "sriov_rtt_interrupts_total{ifname=\"eth0\"} 11\n");
	KTAP_EXPECT_CONTAINS(out, "sriov_rtt_napi_polls_total{ifname=\"eth0\"} 12\n");
	/* the last finite edge: the top of the module's last bucket */
	KTAP_EXPECT_CONTAINS(out, "le=\"60.129542143\"} 3\n");
}

/* cumulative: never decreasing, per histogram */
static void monotone(void)
{
	const char *p = out;
	uint64_t last = 0, v;
	char key[160], prev[160] = "";
	unsigned int n = 0, bad = 0;

	while (p && (p = strstr(p, "_bucket{"))) {
		const char *le = strstr(p, ",le=");
		const char *sp = strstr(p, "} ");

		if (!le || !sp || (size_t)(le - p) >= sizeof(key))
			break;
		snprintf(key, sizeof(key), "%.*s", (int)(le - p), p);
		v = strtoull(sp + 2, NULL, 10);
		if (strcmp(key, prev))
			last = 0;
		else if (v < last)
			bad++;
		last = v;
		snprintf(prev, sizeof(prev), "%s", key);
		n++;
		p = sp;
	}
	KTAP_EXPECT_EQ(n, 2 * 33);
	KTAP_EXPECT_EQ(bad, 0);
}

/* the file for promtool, and FILE replaced whole */
static void file(void)
{
	const char *path = getenv("SRTT_PROM_OUT");
	struct srtt_hist_msg m[2];
	struct srtt_stats_msg s;

	sample(m, &s);
	if (!path)
		path = "/tmp/test_prom.prom";
	KTAP_EXPECT_EQ(srtt_prom_file(path, m, 2, &s, 1), 0);
	KTAP_EXPECT_EQ(access(path, R_OK), 0);
	KTAP_EXPECT(srtt_prom_file("/nonexistent/x.prom", m, 2, &s, 1) < 0,
		    "an unwritable directory fails");
	free(out);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(format),
	KTAP_CASE(monotone),
	KTAP_CASE(file),
};

int main(void)
{
	return KTAP_RUN(cases);
}
