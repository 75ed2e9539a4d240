// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt hist --prometheus FILE: the histograms `hist` picked (its
 * filter, in sriov-rtt.c) and every device's counters, in one file for
 * node_exporter's textfile collector (lib/prom.c writes the format).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/prom.h"
#include "sriov-rtt.h"

/* @v of @n elements of @size with room for one more; NULL: no memory */
static void *grow(void *v, size_t n, size_t size)
{
	/* powers of two: a reallocation at 1, 2, 4, ... */
	if (n & (n - 1))
		return v;
	return realloc(v, (n ? 2 * n : 1) * size);
}

int srtt_hist_list_add(struct srtt_hist_list *l, const struct srtt_hist_msg *m)
{
	struct srtt_hist_msg *h = grow(l->h, l->n, sizeof(*h));

	if (!h)
		return -ENOMEM;
	l->h = h;
	h[l->n++] = *m;
	return 0;
}

struct stats_list {
	int			dev_id;		/* -1: any */
	struct srtt_stats_msg	*s;
	size_t			n;
};

static int stats_cb(struct srtt_ctx *ctx, struct nlmsghdr *nlh, void *arg)
{
	struct stats_list *st = arg;
	struct srtt_stats_msg *s = grow(st->s, st->n, sizeof(*s));
	char why[160];

	if (!s)
		return srtt_ctx_fail(ctx, ENOMEM, "out of memory");
	st->s = s;
	if (srtt_parse_stats_msg(nlh, &s[st->n], why, sizeof(why)))
		return srtt_ctx_bad_reply(ctx, why);
	if (st->dev_id < 0 || s[st->n].dev_id == st->dev_id)
		st->n++;
	return 0;
}

int srtt_hist_export(struct srtt_ctx *ctx, const struct srtt_args *a,
		     int dev_id, const struct srtt_hist_list *l)
{
	struct srtt_what what = {
		.action = "reading statistics", .cmd = "hist",
		.dev = a->dev, .dev_known = true,
	};
	struct stats_list st = { .dev_id = dev_id };
	int err;

	if (srtt_request(ctx, srtt_msg_new(ctx, SRTT_CMD_STATS_GET, true),
			 stats_cb, &st)) {
		err = srtt_report(ctx, &what);
		goto out;
	}
	err = srtt_prom_file(a->prom, l->h, l->n, st.s, st.n);
	if (err) {
		fprintf(stderr, "hist: --prometheus %s: %s\n", a->prom,
			strerror(-err));
		err = SRTT_EXIT_ERROR;
	}
out:
	free(st.s);
	return err;
}
