/* SPDX-License-Identifier: GPL-2.0 */
/* sriov-rtt: what the command files share. */
#ifndef _SRIOV_RTT_TOOL_H
#define _SRIOV_RTT_TOOL_H

#include <stddef.h>

#include "lib/args.h"
#include "lib/nlctx.h"

/* The tool's entry point; main() only calls it (tests call it too). */
int srtt_main(int argc, char **argv);

/* Every attached device the module reports (SRTT_CMD_DEV_GET dump). */
struct srtt_dev_list {
	struct srtt_dev_msg	*dev;
	size_t			n;
};

/* 0 or a negative errno (ctx->err and ->extack say why). */
int srtt_dev_list_get(struct srtt_ctx *ctx, struct srtt_dev_list *list);
void srtt_dev_list_free(struct srtt_dev_list *list);
/* The attached device of @ifindex in this network namespace, or NULL. */
const struct srtt_dev_msg *srtt_dev_list_find(const struct srtt_ctx *ctx,
					      const struct srtt_dev_list *list,
					      int ifindex);

/*
 * @dev must exist in this namespace (else SRTT_EXIT_NODEV) and be attached
 * (else SRTT_EXIT_NOTATTACHED); sets its *@dev_id. Returns enum srtt_exit
 * after explaining any failure.
 */
int srtt_dev_resolve(struct srtt_ctx *ctx, const char *cmd, const char *dev,
		     int *dev_id);

/* Says "no device DEV in this network namespace"; SRTT_EXIT_NODEV. */
int srtt_report_no_dev(const char *dev);

int srtt_cmd_devices(struct srtt_ctx *ctx, const struct srtt_args *a);
int srtt_cmd_watch(struct srtt_ctx *ctx, const struct srtt_args *a);

/* probe.c: the STAMP session-sender, and report of its CSV */
int srtt_cmd_probe(struct srtt_ctx *ctx, const struct srtt_args *a);
int srtt_cmd_report(struct srtt_ctx *ctx, const struct srtt_args *a);
/* export.c: hist --prometheus FILE of the histograms hist picked (@l) */
struct srtt_hist_list {
	struct srtt_hist_msg	*h;
	size_t			n;
};

/* 0, or -ENOMEM */
int srtt_hist_list_add(struct srtt_hist_list *l, const struct srtt_hist_msg *m);
/* With the counters of device @dev_id (all: -1); enum srtt_exit */
int srtt_hist_export(struct srtt_ctx *ctx, const struct srtt_args *a,
		     int dev_id, const struct srtt_hist_list *l);
/* compare.c: saved runs side by side */
int srtt_cmd_compare(struct srtt_ctx *ctx, const struct srtt_args *a);

#endif /* _SRIOV_RTT_TOOL_H */
