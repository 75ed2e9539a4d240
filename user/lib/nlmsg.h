/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov-rtt: the messages of the sriov_rtt generic netlink family as
 * the tools read them, parsed with userspace policies, and the errors
 * of netlink (NLMSG_ERROR, NLMSG_DONE, extended ACKs). No socket here:
 * every tool that reads the family shares it.
 */
#ifndef _SRTT_NLMSG_H
#define _SRTT_NLMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>

#include <linux/sriov_rtt.h>
#include "hist.h"

/*
 * The error of an NLMSG_ERROR or NLMSG_DONE message (negative errno, 0 for
 * an ACK or a good DONE) and the kernel's message (extack
 * NLMSGERR_ATTR_MSG) in @text, "" when there is none.
 */
int srtt_nlmsg_error(struct nlmsghdr *nlh, char *text, size_t len);

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
	uint32_t	stages;		/* SRTT_STAGES_*; 0 if absent */
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
	uint64_t		irqs;		/* on the device's vectors */
	uint64_t		napi_polls;
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

#endif /* _SRTT_NLMSG_H */
