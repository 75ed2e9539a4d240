/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov-rtt: the one context of a command (sockets, family, link cache,
 * output options), its requests to the sriov_rtt generic netlink family,
 * the policies of everything parsed from it, and errors for people.
 */
#ifndef _SRTT_NLCTX_H
#define _SRTT_NLCTX_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/cache.h>

#include <linux/sriov_rtt.h>
#include "hist.h"
#include "json.h"

/* What srtt_ctx_init() sets up. */
#define SRTT_CTX_FAMILY		0x1	/* the module must be loaded */
#define SRTT_CTX_FAMILY_OPT	0x2	/* resolve the family if it exists */
#define SRTT_CTX_ROUTE		0x4	/* rtnetlink socket */
#define SRTT_CTX_LINKS		0x8	/* rtnetlink link cache (VF info too) */

#define SRTT_EXTACK_MAX		256

struct srtt_ctx {
	struct srtt_out	out;
	bool		json;
	bool		pretty;

	struct nl_sock	*genl;		/* requests; watch joins "records" */
	int		family;		/* -1: module not loaded */
	struct nl_sock	*route;
	struct nl_cache	*links;
	uint32_t	netns_ino;	/* of this process; 0 if unknown */

	/* the last failed request */
	int		err;		/* positive errno */
	bool		kernel_err;	/* from NLMSG_ERROR or NLMSG_DONE */
	char		extack[SRTT_EXTACK_MAX];	/* kernel's, or ours */
};

/*
 * Both return an enum srtt_exit; init says what failed on stderr and
 * leaves nothing to undo, fini undoes a successful init.
 */
int srtt_ctx_init(struct srtt_ctx *ctx, bool json, bool pretty,
		  unsigned int need);
void srtt_ctx_fini(struct srtt_ctx *ctx);

/* A request of the family: a dump or a "do" that is acknowledged. */
struct nl_msg *srtt_msg_new(struct srtt_ctx *ctx, uint8_t cmd, bool dump);

/*
 * Called for each reply message; a negative errno stops the request and
 * makes it fail with that error (ctx->extack may say why).
 */
typedef int (*srtt_reply_cb)(struct srtt_ctx *ctx, struct nlmsghdr *nlh,
			     void *arg);

/*
 * Sends @msg (always consumed) and reads replies up to the ACK, the error
 * or the end of the dump. Returns 0 or a negative errno; on error ctx->err,
 * ->kernel_err and ->extack describe it.
 */
int srtt_request(struct srtt_ctx *ctx, struct nl_msg *msg, srtt_reply_cb cb,
		 void *arg);

/*
 * The error of an NLMSG_ERROR or NLMSG_DONE message (negative errno, 0 for
 * an ACK or a good DONE) and the kernel's message (extack
 * NLMSGERR_ATTR_MSG) in @text, "" when there is none.
 */
int srtt_nlmsg_error(struct nlmsghdr *nlh, char *text, size_t len);

/* What a failed command was doing, for srtt_report(). */
struct srtt_what {
	const char	*action;	/* "attach eth0", "read statistics" */
	const char	*cmd;		/* "attach": for "attach needs ..." */
	const char	*dev;		/* the device it was about, or NULL */
	bool		dev_known;	/* ENODEV/ENOENT mean "not attached" */
};

/* Explains the failure on stderr; returns its enum srtt_exit. */
int srtt_report(struct srtt_ctx *ctx, const struct srtt_what *w);

/* Prints the "module not loaded" message; returns SRTT_EXIT_NOMODULE. */
int srtt_report_no_module(void);

/* Sets ctx->err and a message for a local failure; returns -@err. */
int srtt_ctx_fail(struct srtt_ctx *ctx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * ifindex of @name in this network namespace (SRTT_CTX_ROUTE), 0 if there
 * is none; negative errno on failure.
 */
int srtt_link_ifindex(struct srtt_ctx *ctx, const char *name);

/* ---- reply messages, parsed with the policies below ---- */

extern const struct nla_policy srtt_policy[SRTT_A_MAX + 1];
extern const struct nla_policy srtt_ss_policy[SRTT_A_SS_MAX + 1];
extern const struct nla_policy srtt_hb_policy[SRTT_A_HB_MAX + 1];

/* SRTT_CMD_DEV_GET */
struct srtt_dev_msg {
	char		ifname[IFNAMSIZ];
	uint32_t	ifindex;
	int		dev_id;		/* -1 if absent */
	int		role;		/* enum srtt_role, -1 if absent */
	uint32_t	netns_ino;	/* 0 if absent */
	char		pci[32];	/* "" if absent */
};

/* SRTT_CMD_STATS_GET */
struct srtt_stage_stats {
	bool		present;
	uint64_t	hits, lost, bad;
};

struct srtt_stats_msg {
	char			ifname[IFNAMSIZ];
	int			dev_id;
	struct srtt_stage_stats	stage[__SRTT_STAGE_MAX];
	struct srtt_stage_stats	event[SRTT_EVENT_COUNT];	/* a PF's */
	uint64_t		impossible, track_busy, track_restart;
	uint64_t		track_evict;
};

/* SRTT_CMD_HIST_GET: the histogram rebuilt from its bucket nests. */
struct srtt_hist_msg {
	char		ifname[IFNAMSIZ];
	int		dev_id;
	int		from, to;
	struct srtt_hist h;
};

/* SRTT_CMD_CONFIG_GET */
struct srtt_config_msg {
	bool		has_stamp_port, has_sample, has_ring_size;
	uint16_t	stamp_port;
	uint32_t	sample, ring_size;
};

/* SRTT_CMD_RECORDS: records stay in the message; copy them out. */
struct srtt_records_msg {
	const void	*data;
	size_t		count;
	bool		has_lost;
	uint64_t	lost;
};

/*
 * Each returns 0, or a negative errno with a description in @why (which
 * may be NULL) when the message breaks the ABI.
 */
int srtt_parse_dev_msg(struct nlmsghdr *nlh, struct srtt_dev_msg *d,
		       char *why, size_t len);
int srtt_parse_stats_msg(struct nlmsghdr *nlh, struct srtt_stats_msg *s,
			 char *why, size_t len);
int srtt_parse_hist_msg(struct nlmsghdr *nlh, struct srtt_hist_msg *m,
			char *why, size_t len);
int srtt_parse_config_msg(struct nlmsghdr *nlh, struct srtt_config_msg *c,
			  char *why, size_t len);
int srtt_parse_records_msg(struct nlmsghdr *nlh, struct srtt_records_msg *r,
			   char *why, size_t len);

/*
 * Rebuilds a histogram: srtt_nlhist_init() with the scalars, then one
 * srtt_nlhist_put() per SRTT_A_HIST_BUCKET nest; count becomes the
 * sum of the buckets, as in the module's snapshot.
 */
void srtt_nlhist_init(struct srtt_hist *h, uint64_t over, uint64_t min,
		      uint64_t max, uint64_t sum);
int srtt_nlhist_put(struct srtt_hist *h, uint32_t idx, uint64_t count);

#endif /* _SRTT_NLCTX_H */
