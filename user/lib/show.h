/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov-rtt: how records, histograms, statistics and the configuration
 * look, in text and JSON, through the one writer (json.h).
 */
#ifndef _SRTT_SHOW_H
#define _SRTT_SHOW_H

#include <linux/sriov_rtt.h>
#include "abi.h"	/* the percentiles of "hist": srtt_pcts[] */
#include "json.h"
#include "nlctx.h"

/*
 * One record: the debugfs record line (Documentation/sriov_rtt.rst) in
 * text, one JSON object a line with the same names in JSON.
 */
void srtt_show_record(struct srtt_out *o, const struct srtt_record *rec);
/*
 * The same bytes into @buf (SRTT_RECORD_FMT_MAX), without stdio's
 * formatting: what srtt_show_record() writes for a top-level record in
 * text or unindented JSON. Returns the length.
 */
#define SRTT_RECORD_FMT_MAX	320
size_t srtt_record_fmt(char *buf, const struct srtt_record *rec, bool json);

/*
 * Record lines batched for one write: srtt_lines_add() formats into the
 * batch (srtt_record_fmt()), handing it to @fp first when full;
 * srtt_lines_flush() hands what is there. buf NULL: nothing batched.
 */
#define SRTT_LINES_BUF		(1 << 20)
struct srtt_lines {
	char	*buf;
	size_t	len;
};

int srtt_lines_init(struct srtt_lines *l);	/* 0 or -ENOMEM */
void srtt_lines_add(struct srtt_lines *l, const struct srtt_record *rec,
		    bool json, FILE *fp);
void srtt_lines_flush(struct srtt_lines *l, FILE *fp);
void srtt_lines_free(struct srtt_lines *l);
/* "lost N": records the kernel could not queue for us. */
void srtt_show_lost(struct srtt_out *o, uint64_t lost);
/* "lost socket-overrun": our socket's buffer overflowed. */
void srtt_show_overrun(struct srtt_out *o);

void srtt_show_hist_header(struct srtt_out *o);
/* One table row; @dev names the device (its netns name). */
void srtt_show_hist(struct srtt_out *o, const struct srtt_hist_msg *m);

void srtt_show_stats(struct srtt_out *o, const struct srtt_stats_msg *s);

void srtt_show_config(struct srtt_out *o, const struct srtt_config_msg *c);

#endif /* _SRTT_SHOW_H */
