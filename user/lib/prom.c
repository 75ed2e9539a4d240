// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt: the Prometheus text format (prom.h).
 *
 * A histogram's `le` values are the edges of the module's octaves,
 * 2^k ns for k = 5..35, and the top of its last bucket: each is a bucket
 * edge, so the cumulative count below it is exact (a finer le would cut
 * a bucket). A value is an integer of ns below its bucket's upper edge,
 * so "le" is that edge less 1 ns. Over-range samples (beyond 60 s) count
 * in +Inf and _count only, and in sriov_rtt_interval_over_range_total;
 * _sum is the module's sum of the in-range ones.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abi.h"
#include "hist.h"
#include "prom.h"

#define P	"sriov_rtt_"

static void family(FILE *fp, const char *name, const char *type,
		   const char *help)
{
	fprintf(fp, "# HELP " P "%s %s\n# TYPE " P "%s %s\n", name, help, name,
		type);
}

/* ns as seconds, exactly: integer part and nine decimals */
static void seconds(FILE *fp, uint64_t ns)
{
	fprintf(fp, "%" PRIu64 ".%09" PRIu64, ns / 1000000000, ns % 1000000000);
}

/* a label's value, escaped: an interface name may hold " or \ */
static void value(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', fp);
		if (*s == '\n')
			fputs("\\n", fp);
		else
			fputc(*s, fp);
	}
	fputc('"', fp);
}

static void labels(FILE *fp, const struct srtt_hist_msg *m)
{
	fputs("ifname=", fp);
	value(fp, m->ifname);
	fprintf(fp, ",from=\"%s\",to=\"%s\"",
		srtt_stage_name((unsigned int)m->from),
		srtt_stage_name((unsigned int)m->to));
}

static void one_hist(FILE *fp, const struct srtt_hist_msg *m)
{
	uint64_t cum = 0, edge;
	uint32_t idx = 0;
	unsigned int k;

	for (k = 5; k <= 36; k++) {
		edge = k < 36 ? 1ULL << k : srtt_hist_bucket_hi(SRTT_HIST_BUCKETS - 1);
		for (; idx < SRTT_HIST_BUCKETS && srtt_hist_bucket_hi(idx) <= edge;
		     idx++)
			cum += (uint64_t)m->h.bucket[idx];
		fputs(P "interval_seconds_bucket{", fp);
		labels(fp, m);
		fputs(",le=\"", fp);
		seconds(fp, edge - 1);
		fprintf(fp, "\"} %" PRIu64 "\n", cum);
	}
	fputs(P "interval_seconds_bucket{", fp);
	labels(fp, m);
	fprintf(fp, ",le=\"+Inf\"} %" PRIu64 "\n", (uint64_t)(cum + m->h.over));
	fputs(P "interval_seconds_sum{", fp);
	labels(fp, m);
	fputs("} ", fp);
	seconds(fp, m->h.count ? (uint64_t)m->h.sum : 0);
	fputs("\n" P "interval_seconds_count{", fp);
	labels(fp, m);
	fprintf(fp, "} %" PRIu64 "\n", (uint64_t)(m->h.count + m->h.over));
}

static void stage_counter(FILE *fp, const char *name, const char *help,
			  const struct srtt_stats_msg *s, size_t ns, size_t off)
{
	unsigned int st;
	size_t i;

	family(fp, name, "counter", help);
	for (i = 0; i < ns; i++)
		for (st = 0; st < __SRTT_STAGE_MAX; st++) {
			const struct srtt_stage_stats *x = &s[i].stage[st];

			if (!x->present)
				continue;
			fprintf(fp, P "%s{ifname=", name);
			value(fp, s[i].ifname);
			fprintf(fp, ",stage=\"%s\"} %" PRIu64 "\n",
				srtt_stage_name(st),
				*(const uint64_t *)((const char *)x + off));
		}
}

/* a counter of each device, the uint64_t at @off of its statistics */
static void dev_counter(FILE *fp, const char *name, const char *help,
			const struct srtt_stats_msg *s, size_t ns, size_t off)
{
	size_t i;

	family(fp, name, "counter", help);
	for (i = 0; i < ns; i++) {
		fprintf(fp, P "%s{ifname=", name);
		value(fp, s[i].ifname);
		fprintf(fp, "} %" PRIu64 "\n",
			*(const uint64_t *)((const char *)&s[i] + off));
	}
}

int srtt_prom_write(FILE *fp, const struct srtt_hist_msg *h, size_t nh,
		    const struct srtt_stats_msg *s, size_t ns)
{
	size_t i;

	family(fp, "interval_seconds", "histogram",
	       "Time between two stages of a probe packet on a device (the module's histogram).");
	for (i = 0; i < nh; i++)
		one_hist(fp, &h[i]);
	family(fp, "interval_over_range_total", "counter",
	       "Intervals beyond 60 s: in +Inf and _count, not in _sum.");
	for (i = 0; i < nh; i++) {
		fputs(P "interval_over_range_total{", fp);
		labels(fp, &h[i]);
		fprintf(fp, "} %" PRIu64 "\n", (uint64_t)h[i].h.over);
	}
	stage_counter(fp, "stage_records_total", "Records written at a stage.",
		      s, ns, offsetof(struct srtt_stage_stats, hits));
	stage_counter(fp, "stage_records_lost_total",
		      "Records lost to a full ring at a stage.", s, ns,
		      offsetof(struct srtt_stage_stats, lost));
	stage_counter(fp, "stage_malformed_total",
		      "Malformed probe packets seen at a stage.", s, ns,
		      offsetof(struct srtt_stage_stats, bad));
	dev_counter(fp, "impossible_intervals_total",
		    "Intervals left out as impossible (negative or stale).",
		    s, ns, offsetof(struct srtt_stats_msg, impossible));
	dev_counter(fp, "interrupts_total",
		    "Interrupts on the device's vectors while attached.",
		    s, ns, offsetof(struct srtt_stats_msg, irqs));
	dev_counter(fp, "napi_polls_total",
		    "Polls of the device's NAPI instances while attached.",
		    s, ns, offsetof(struct srtt_stats_msg, napi_polls));
	if (fflush(fp) || ferror(fp))
		return -(errno ? errno : EIO);
	return 0;
}

int srtt_prom_file(const char *path, const struct srtt_hist_msg *h, size_t nh,
		   const struct srtt_stats_msg *s, size_t ns)
{
	char *tmp;
	FILE *fp;
	int err;

	if (asprintf(&tmp, "%s.tmp.%d", path, (int)getpid()) < 0)
		return -ENOMEM;
	fp = fopen(tmp, "w");
	if (!fp) {
		err = -errno;
		free(tmp);
		return err;
	}
	err = srtt_prom_write(fp, h, nh, s, ns);
	if (fclose(fp) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}
