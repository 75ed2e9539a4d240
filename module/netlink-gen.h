/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/sriov_rtt.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_SRIOV_RTT_GEN_H
#define _LINUX_SRIOV_RTT_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/sriov_rtt_nl.h>
#include <control.h>
#include <control.h>
#include <control.h>
#include <control.h>
#include <linux/sriov_rtt.h>
#include <linux/sriov_rtt.h>

/* Ops table for sriov_rtt */
extern const struct genl_split_ops sriov_rtt_nl_ops[10];

int sriov_rtt_nl_dev_attach_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_rtt_nl_dev_detach_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_rtt_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_rtt_nl_dev_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb);
int sriov_rtt_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_rtt_nl_config_get_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_rtt_nl_stats_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb);
int sriov_rtt_nl_hist_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb);
int sriov_rtt_nl_hist_reset_doit(struct sk_buff *skb, struct genl_info *info);
int sriov_rtt_nl_records_flush_doit(struct sk_buff *skb,
				    struct genl_info *info);

enum {
	SRIOV_RTT_NLGRP_RECORDS,
};

#endif /* _LINUX_SRIOV_RTT_GEN_H */
