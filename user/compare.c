// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt compare: the components of saved probe runs side by side.
 *
 * Each CSV is analysed as `report` does (bd_read_csv(), bd_analyse()).
 * The rows are the union of the runs' components, keyed by the parts of
 * the path they cover, so a run whose stages merged two components has
 * the merged row and lacks the two (not visible), and the other way
 * round. Per run and row: count, p50, p90, p99 under the sample-size
 * rule; for every run after the first, its median minus the first's,
 * with an interval that holds both the medians' sampling error (the
 * distribution-free 95 % interval of each median, from order statistics)
 * and the components' clock error bounds. A difference whose interval
 * excludes 0 has moved; per run the component with the largest
 * difference is named.
 */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bd_priv.h"
#include "breakdown.h"
#include "compare.h"
#include "sriov-rtt.h"

/* The distribution-free 95 % interval of the median of sorted @v[@n] */
static void median_interval(const struct bd_comp *c, int64_t *lo, int64_t *hi)
{
	double h = 0.98 * sqrt((double)c->n);
	long j = (long)floor((double)c->n / 2.0 - h);
	long k = (long)ceil((double)c->n / 2.0 + 1.0 + h);

	if (j < 1)
		j = 1;
	if (k > (long)c->n)
		k = (long)c->n;
	*lo = c->v[j - 1];
	*hi = c->v[k - 1];
}

const struct bd_comp *cmp_find(const struct bd_run *r, const struct cmp_row *row)
{
	unsigned int i;

	if (row->rtt)
		return r->rtt.n ? &r->rtt : NULL;
	for (i = 0; i < r->ncomp; i++)
		if (r->comp[i].parts == row->parts && r->comp[i].n)
			return &r->comp[i];
	return NULL;
}

int cmp_diff(const struct bd_comp *base, const struct bd_comp *c,
	     struct cmp_diff *d)
{
	int64_t blo, bhi, lo, hi;
	uint64_t e;

	memset(d, 0, sizeof(*d));
	if (!base || !c)
		return -ENOENT;
	median_interval(base, &blo, &bhi);
	median_interval(c, &lo, &hi);
	e = base->err_max + c->err_max;
	d->d50 = bd_comp_stat(c, BD_COL_P50) - bd_comp_stat(base, BD_COL_P50);
	d->lo = lo - bhi - (int64_t)e;
	d->hi = hi - blo + (int64_t)e;
	d->moved = d->lo > 0 || d->hi < 0;
	return 0;
}

/* Path order: the first part, then the narrower row; the RTT first */
static int cmp_row_order(const void *a, const void *b)
{
	const struct cmp_row *x = a, *y = b;
	unsigned int fx, fy, wx, wy;

	if (x->rtt != y->rtt)
		return x->rtt ? -1 : 1;
	fx = (unsigned int)__builtin_ctz(x->parts ? x->parts : 1);
	fy = (unsigned int)__builtin_ctz(y->parts ? y->parts : 1);
	if (fx != fy)
		return (fx > fy) - (fx < fy);
	wx = (unsigned int)__builtin_popcount(x->parts);
	wy = (unsigned int)__builtin_popcount(y->parts);
	return (wx > wy) - (wx < wy);
}

int cmp_rows(const struct cmp_run *runs, unsigned int n, struct cmp_row *rows,
	     unsigned int max)
{
	unsigned int nrows = 1, k, i, j;

	memset(&rows[0], 0, sizeof(rows[0]));
	rows[0].rtt = true;
	snprintf(rows[0].name, sizeof(rows[0].name), "rtt");
	for (k = 0; k < n; k++) {
		const struct bd_run *r = &runs[k].r;

		for (i = 0; i < r->ncomp; i++) {
			if (!r->comp[i].n)
				continue;
			for (j = 1; j < nrows; j++)
				if (rows[j].parts == r->comp[i].parts)
					break;
			if (j < nrows)
				continue;
			if (nrows == max)
				return -E2BIG;
			memset(&rows[nrows], 0, sizeof(rows[0]));
			rows[nrows].parts = r->comp[i].parts;
			rows[nrows].merged = r->comp[i].merged;
			snprintf(rows[nrows].name, sizeof(rows[0].name), "%s",
				 r->comp[i].name);
			nrows++;
		}
	}
	qsort(rows, nrows, sizeof(rows[0]), cmp_row_order);
	return (int)nrows;
}

int cmp_moved_most(const struct cmp_run *runs, unsigned int k,
		   const struct cmp_row *rows, unsigned int nrows,
		   struct cmp_diff *best)
{
	struct cmp_diff d;
	int at = -1;
	unsigned int i;

	for (i = 0; i < nrows; i++) {
		if (rows[i].rtt ||
		    cmp_diff(cmp_find(&runs[0].r, &rows[i]),
			     cmp_find(&runs[k].r, &rows[i]), &d))
			continue;
		if (at < 0 || llabs(d.d50) > llabs(best->d50)) {
			*best = d;
			at = (int)i;
		}
	}
	return at;
}

static void print_stat(struct srtt_out *o, const struct bd_comp *c,
		       size_t col, const char *key)
{
	char us[32];

	if (!bd_comp_supported(c, col)) {
		srtt_print_null(o, SRTT_PK_ANY, key, " %10s", "-");
		return;
	}
	srtt_print_string(o, SRTT_PK_TEXT, NULL, " %10s",
			  bd_us_str(bd_comp_stat(c, col), us, sizeof(us)));
	srtt_print_s64(o, SRTT_PK_JSON, key, NULL, bd_comp_stat(c, col));
}

static void print_diff(struct srtt_out *o, const struct cmp_diff *d)
{
	char a[32], b[32], c[32], line[128];

	snprintf(line, sizeof(line), " %s%s [%s%s, %s%s]%s",
		 d->d50 >= 0 ? "+" : "", bd_us_str(d->d50, a, sizeof(a)),
		 d->lo >= 0 ? "+" : "", bd_us_str(d->lo, b, sizeof(b)),
		 d->hi >= 0 ? "+" : "", bd_us_str(d->hi, c, sizeof(c)),
		 d->moved ? " moved" : "");
	srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s", line);
	srtt_print_s64(o, SRTT_PK_JSON, "d50_ns", NULL, d->d50);
	srtt_print_s64(o, SRTT_PK_JSON, "d50_low_ns", NULL, d->lo);
	srtt_print_s64(o, SRTT_PK_JSON, "d50_high_ns", NULL, d->hi);
	srtt_print_bool(o, SRTT_PK_JSON, "moved", NULL, d->moved, "", "");
}

/* One run's figures of one row: a line under the row's name */
static void print_cell(struct srtt_out *o, const struct cmp_run *runs,
		       unsigned int k, const struct cmp_row *row)
{
	const struct bd_comp *c = cmp_find(&runs[k].r, row);
	const struct bd_comp *base = cmp_find(&runs[0].r, row);
	struct cmp_diff d;
	char us[32];

	srtt_open_object(o, NULL);
	srtt_print_string(o, SRTT_PK_ANY, "label", "    %-28s", runs[k].label);
	srtt_print_bool(o, SRTT_PK_JSON, "visible", NULL, c != NULL, "", "");
	if (!c) {
		srtt_print_string(o, SRTT_PK_TEXT, NULL, " %s\n",
				  "not visible in this run");
		srtt_close_object(o);
		return;
	}
	srtt_print_u64(o, SRTT_PK_ANY, "count", " %6" PRIu64, c->n);
	print_stat(o, c, BD_COL_P50, "p50_ns");
	print_stat(o, c, BD_COL_P50 + 1, "p90_ns");
	print_stat(o, c, BD_COL_P99, "p99_ns");
	srtt_print_string(o, SRTT_PK_TEXT, NULL, " %9s",
			  bd_us_str((int64_t)c->err_max, us, sizeof(us)));
	srtt_print_u64(o, SRTT_PK_JSON, "error_bound_ns", NULL, c->err_max);
	srtt_print_u64(o, SRTT_PK_ANY, "impossible", " %5" PRIu64,
		       c->impossible);
	if (k && !cmp_diff(base, c, &d))
		print_diff(o, &d);
	else if (k)
		srtt_print_null(o, SRTT_PK_ANY, "d50_ns", " %s",
				"(not visible in the first run)");
	srtt_print_nl(o);
	srtt_close_object(o);
}

static void print_runs(struct srtt_out *o, const struct cmp_run *runs,
		       unsigned int n)
{
	unsigned int k;

	srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s\n", "runs:");
	srtt_open_array(o, "runs");
	for (k = 0; k < n; k++) {
		srtt_open_object(o, NULL);
		srtt_print_string(o, SRTT_PK_ANY, "label", "  %-28s",
				  runs[k].label);
		srtt_print_string(o, SRTT_PK_ANY, "file", " %s", runs[k].file);
		srtt_print_u64(o, SRTT_PK_ANY, "sent", " (%" PRIu64 " sent",
			       runs[k].r.sent);
		srtt_print_u64(o, SRTT_PK_ANY, "received",
			       ", %" PRIu64 " received)\n", runs[k].r.received);
		srtt_close_object(o);
	}
	srtt_close_array(o);
}

static void print_moved(struct srtt_out *o, const struct cmp_run *runs,
			unsigned int n, const struct cmp_row *rows,
			unsigned int nrows)
{
	struct cmp_diff d;
	unsigned int k;
	int at;

	srtt_print_string(o, SRTT_PK_TEXT, NULL, "moved most, against %s:\n",
			  runs[0].label);
	srtt_open_array(o, "moved_most");
	for (k = 1; k < n; k++) {
		srtt_open_object(o, NULL);
		srtt_print_string(o, SRTT_PK_ANY, "label", "  %-28s",
				  runs[k].label);
		srtt_print_string(o, SRTT_PK_JSON, "against", NULL,
				  runs[0].label);
		at = cmp_moved_most(runs, k, rows, nrows, &d);
		if (at < 0) {
			srtt_print_null(o, SRTT_PK_ANY, "name", " %s\n",
					"no component visible in both runs");
			srtt_close_object(o);
			continue;
		}
		srtt_print_string(o, SRTT_PK_ANY, "name", " %s", rows[at].name);
		print_diff(o, &d);
		srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s\n",
				  d.moved ? "" : " (within the interval of 0)");
		srtt_close_object(o);
	}
	srtt_close_array(o);
}

/* each run's notifications per probe, as probe and report print them */
static void print_notify(struct srtt_out *o, const struct cmp_run *runs,
			 unsigned int n)
{
	unsigned int k;

	srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s\n", "notifications:");
	srtt_open_array(o, "notifications");
	for (k = 0; k < n; k++) {
		srtt_open_object(o, NULL);
		srtt_print_string(o, SRTT_PK_ANY, "label", "  %s:\n",
				  runs[k].label);
		bd_print_notify(o, &runs[k].r);
		srtt_close_object(o);
	}
	srtt_close_array(o);
}

void cmp_print(struct srtt_out *o, const struct cmp_run *runs, unsigned int n,
	       const struct cmp_row *rows, unsigned int nrows)
{
	unsigned int i, k;

	srtt_open_object(o, NULL);
	print_runs(o, runs, n);
	srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s",
			  "components (us; p99 from 100 values; d50: the median minus the first run's\n"
			  "[its 95 % interval with both runs' error bounds], moved when 0 is outside):\n");
	srtt_print_string(o, SRTT_PK_TEXT, NULL,
			  "    %-28s  count        p50        p90        p99    +-bound  impos d50 [interval]\n",
			  "");
	srtt_open_array(o, "components");
	for (i = 0; i < nrows; i++) {
		srtt_open_object(o, NULL);
		srtt_print_string(o, SRTT_PK_ANY, "name", "  %s", rows[i].name);
		srtt_print_bool(o, SRTT_PK_JSON, "merged", NULL, rows[i].merged,
				"", "");
		srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s\n",
				  rows[i].merged ? " (merged: a stage between is not visible)" : "");
		srtt_open_array(o, "runs");
		for (k = 0; k < n; k++)
			print_cell(o, runs, k, &rows[i]);
		srtt_close_array(o);
		srtt_close_object(o);
	}
	srtt_close_array(o);
	print_moved(o, runs, n, rows, nrows);
	print_notify(o, runs, n);
	srtt_close_object(o);
}

/*
 * A run's label: --label, else the file's base name without .csv, its
 * characters outside a label's (A-Z a-z 0-9 . _ + -) as '_', cut at 32;
 * "runN" when that leaves nothing or repeats an earlier run's.
 */
static void default_label(struct cmp_run *runs, unsigned int k)
{
	const char *b = strrchr(runs[k].file, '/');
	char *l = runs[k].label;
	size_t len, i;
	unsigned int j;

	b = b ? b + 1 : runs[k].file;
	len = strlen(b);
	if (len > 4 && !strcmp(b + len - 4, ".csv"))
		len -= 4;
	if (len > SRTT_COMPARE_LABEL_MAX)
		len = SRTT_COMPARE_LABEL_MAX;
	for (i = 0; i < len; i++)
		l[i] = strchr(SRTT_COMPARE_LABEL_CHARS, b[i]) ? b[i] : '_';
	l[len] = 0;
	for (j = 0; j < k && len; j++)
		if (!strcmp(runs[j].label, l))
			len = 0;
	if (!len)
		snprintf(l, sizeof(runs[k].label), "run%u", k + 1);
}

int cmp_load(struct cmp_run *runs, const struct srtt_args *a)
{
	unsigned int k;
	int err;

	for (k = 0; k < a->nruns; k++) {
		memset(&runs[k], 0, sizeof(runs[k]));
		runs[k].file = a->runs[k];
		if (a->labels[k])
			snprintf(runs[k].label, sizeof(runs[k].label), "%s",
				 a->labels[k]);
		else
			default_label(runs, k);
		err = bd_read_csv(&runs[k].r, runs[k].file, "compare");
		if (!err && bd_analyse(&runs[k].r)) {
			fprintf(stderr, "compare: out of memory\n");
			err = -ENOMEM;
		}
		if (err) {
			cmp_free(runs, k + 1);
			return err;
		}
	}
	return 0;
}

void cmp_free(struct cmp_run *runs, unsigned int n)
{
	unsigned int k;

	for (k = 0; k < n; k++)
		bd_free(&runs[k].r);
}

int srtt_cmd_compare(struct srtt_ctx *ctx, const struct srtt_args *a)
{
	struct cmp_run *runs = calloc(a->nruns, sizeof(*runs));
	struct cmp_row rows[CMP_MAX_ROWS];
	FILE *svg = NULL;
	int nrows, err;

	if (!runs) {
		fprintf(stderr, "compare: out of memory\n");
		return SRTT_EXIT_ERROR;
	}
	err = cmp_load(runs, a);
	if (err) {
		free(runs);
		return err == -EINVAL ? SRTT_EXIT_USAGE : SRTT_EXIT_ERROR;
	}
	nrows = cmp_rows(runs, a->nruns, rows, CMP_MAX_ROWS);
	if (nrows < 0) {
		fprintf(stderr, "compare: more than %d components in all\n",
			CMP_MAX_ROWS);
		err = SRTT_EXIT_USAGE;
		goto out;
	}
	if (a->svg) {
		svg = fopen(a->svg, "w");
		if (!svg) {
			fprintf(stderr, "compare: --svg %s: %s\n", a->svg,
				strerror(errno));
			err = SRTT_EXIT_ERROR;
			goto out;
		}
	}
	cmp_print(&ctx->out, runs, a->nruns, rows, (unsigned int)nrows);
	if (svg) {
		err = cmp_write_svg(runs, a->nruns, rows, (unsigned int)nrows, svg);
		if (fclose(svg) && !err)
			err = -errno;
		if (err) {
			fprintf(stderr, "compare: --svg %s: %s\n", a->svg,
				strerror(-err));
			err = SRTT_EXIT_ERROR;
		}
	}
out:
	cmp_free(runs, a->nruns);
	free(runs);
	return err;
}
