/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov-rtt hist --prometheus: histograms and counters in the Prometheus
 * text exposition format, for node_exporter's textfile collector.
 */
#ifndef _SRTT_PROM_H
#define _SRTT_PROM_H

#include <stddef.h>
#include <stdio.h>

#include "nlmsg.h"

/*
 * Every histogram of @h (interval seconds, `le` at the module's octave
 * edges, where a cumulative count is exact) and every device's counters
 * of @s: 0, or -errno when writing failed.
 */
int srtt_prom_write(FILE *fp, const struct srtt_hist_msg *h, size_t nh,
		    const struct srtt_stats_msg *s, size_t ns);

/* Write to @path.tmp then rename over @path (a reader never sees half) */
int srtt_prom_file(const char *path, const struct srtt_hist_msg *h, size_t nh,
		   const struct srtt_stats_msg *s, size_t ns);

#endif /* _SRTT_PROM_H */
