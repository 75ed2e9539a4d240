/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov-rtt: the one context of a command (sockets, family, link cache,
 * output options), its requests to the sriov_rtt generic netlink family
 * (their replies are parsed as nlmsg.h says), and errors for people.
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
#include "json.h"
#include "nlmsg.h"

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
/* A reply that breaks the ABI (@why from its parser): -EPROTO */
int srtt_ctx_bad_reply(struct srtt_ctx *ctx, const char *why);

/*
 * ifindex of @name in this network namespace (SRTT_CTX_ROUTE), 0 if there
 * is none; negative errno on failure.
 */
int srtt_link_ifindex(struct srtt_ctx *ctx, const char *name);

#endif /* _SRTT_NLCTX_H */
