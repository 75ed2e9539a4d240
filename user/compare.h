/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov-rtt compare (compare.c, the chart in cmp_svg.c): saved probe runs
 * side by side, lined up by component.
 */
#ifndef _SRTT_COMPARE_H
#define _SRTT_COMPARE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "breakdown.h"
#include "lib/args.h"
#include "lib/json.h"

struct cmp_run {
	const char	*file;
	char		label[SRTT_COMPARE_LABEL_MAX + 1];
	struct bd_run	r;
};

/* A row of the table: the RTT, or the component covering @parts */
#define CMP_MAX_ROWS	(2 * BD_MAX_COMP + 1)
struct cmp_row {
	bool		rtt;
	bool		merged;
	uint16_t	parts;
	char		name[SRTT_DECOMP_NAME_MAX];
};

/* A run's median minus the first's, and its interval [lo, hi], in ns */
struct cmp_diff {
	int64_t		d50, lo, hi;
	bool		moved;		/* 0 is outside [lo, hi] */
};

/* Read and analyse every run of @a: 0, or -errno said on stderr */
int cmp_load(struct cmp_run *runs, const struct srtt_args *a);
void cmp_free(struct cmp_run *runs, unsigned int n);
/* The rows of @n runs in path order, RTT first: how many, or -E2BIG */
int cmp_rows(const struct cmp_run *runs, unsigned int n, struct cmp_row *rows,
	     unsigned int max);
/* @row's component in @r with values, or NULL: not visible */
const struct bd_comp *cmp_find(const struct bd_run *r, const struct cmp_row *row);
/* @c against @base: 0, or -ENOENT when either is not visible */
int cmp_diff(const struct bd_comp *base, const struct bd_comp *c,
	     struct cmp_diff *d);
/* The row of run @k that moved most against run 0 (not the RTT), or -1 */
int cmp_moved_most(const struct cmp_run *runs, unsigned int k,
		   const struct cmp_row *rows, unsigned int nrows,
		   struct cmp_diff *best);
void cmp_print(struct srtt_out *o, const struct cmp_run *runs, unsigned int n,
	       const struct cmp_row *rows, unsigned int nrows);
/* Grouped stacked medians, a bar per run: 0 or -errno */
int cmp_write_svg(const struct cmp_run *runs, unsigned int n,
		  const struct cmp_row *rows, unsigned int nrows, FILE *fp);

#endif /* _SRTT_COMPARE_H */
