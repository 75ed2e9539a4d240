// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/sriov_rtt.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/sriov_rtt_nl.h>
#include <control.h>
#include <control.h>
#include <control.h>
#include <control.h>
#include <linux/sriov_rtt.h>
#include <linux/sriov_rtt.h>

/* Integer value ranges */
static const struct netlink_range_validation srtt_a_cfg_sample_range = {
	.max	= SRTT_CTL_SAMPLE_MAX,
};

static const struct netlink_range_validation srtt_a_cfg_ring_size_range = {
	.min	= SRTT_CTL_RING_SIZE_MIN,
	.max	= SRTT_CTL_RING_SIZE_MAX,
};

/* SRTT_CMD_DEV_ATTACH - do */
static const struct nla_policy sriov_rtt_dev_attach_nl_policy[SRTT_A_DEV_STAGES + 1] = {
	[SRTT_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRTT_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[SRTT_A_DEV_STAGES] = { .type = NLA_U32, },
};

/* SRTT_CMD_DEV_DETACH - do */
static const struct nla_policy sriov_rtt_dev_detach_nl_policy[SRTT_A_IFNAME + 1] = {
	[SRTT_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRTT_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* SRTT_CMD_DEV_GET - do */
static const struct nla_policy sriov_rtt_dev_get_nl_policy[SRTT_A_IFNAME + 1] = {
	[SRTT_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SRTT_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* SRTT_CMD_CONFIG_SET - do */
static const struct nla_policy sriov_rtt_config_set_nl_policy[SRTT_A_CFG_RING_SIZE + 1] = {
	[SRTT_A_CFG_STAMP_PORT] = NLA_POLICY_MIN(NLA_U16, SRTT_CTL_STAMP_PORT_MIN),
	[SRTT_A_CFG_SAMPLE] = NLA_POLICY_FULL_RANGE(NLA_U32, &srtt_a_cfg_sample_range),
	[SRTT_A_CFG_RING_SIZE] = NLA_POLICY_FULL_RANGE(NLA_U32, &srtt_a_cfg_ring_size_range),
};

/* SRTT_CMD_CONFIG_GET - do */
static const struct nla_policy sriov_rtt_config_get_nl_policy[SRTT_A_PAD + 1] = {
};

/* SRTT_CMD_STATS_GET - dump */
static const struct nla_policy sriov_rtt_stats_get_nl_policy[SRTT_A_IFNAME + 1] = {
	[SRTT_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* SRTT_CMD_HIST_GET - dump */
static const struct nla_policy sriov_rtt_hist_get_nl_policy[SRTT_A_IFNAME + 1] = {
	[SRTT_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* SRTT_CMD_HIST_RESET - do */
static const struct nla_policy sriov_rtt_hist_reset_nl_policy[SRTT_A_PAD + 1] = {
};

/* SRTT_CMD_RECORDS_FLUSH - do */
static const struct nla_policy sriov_rtt_records_flush_nl_policy[SRTT_A_PAD + 1] = {
};

/* Ops table for sriov_rtt */
const struct genl_split_ops sriov_rtt_nl_ops[10] = {
	{
		.cmd		= SRTT_CMD_DEV_ATTACH,
		.doit		= sriov_rtt_nl_dev_attach_doit,
		.policy		= sriov_rtt_dev_attach_nl_policy,
		.maxattr	= SRTT_A_DEV_STAGES,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRTT_CMD_DEV_DETACH,
		.doit		= sriov_rtt_nl_dev_detach_doit,
		.policy		= sriov_rtt_dev_detach_nl_policy,
		.maxattr	= SRTT_A_IFNAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRTT_CMD_DEV_GET,
		.doit		= sriov_rtt_nl_dev_get_doit,
		.policy		= sriov_rtt_dev_get_nl_policy,
		.maxattr	= SRTT_A_IFNAME,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= SRTT_CMD_DEV_GET,
		.dumpit	= sriov_rtt_nl_dev_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= SRTT_CMD_CONFIG_SET,
		.doit		= sriov_rtt_nl_config_set_doit,
		.policy		= sriov_rtt_config_set_nl_policy,
		.maxattr	= SRTT_A_CFG_RING_SIZE,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRTT_CMD_CONFIG_GET,
		.doit		= sriov_rtt_nl_config_get_doit,
		.policy		= sriov_rtt_config_get_nl_policy,
		.maxattr	= SRTT_A_PAD,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRTT_CMD_STATS_GET,
		.dumpit		= sriov_rtt_nl_stats_get_dumpit,
		.policy		= sriov_rtt_stats_get_nl_policy,
		.maxattr	= SRTT_A_IFNAME,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= SRTT_CMD_HIST_GET,
		.dumpit		= sriov_rtt_nl_hist_get_dumpit,
		.policy		= sriov_rtt_hist_get_nl_policy,
		.maxattr	= SRTT_A_IFNAME,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= SRTT_CMD_HIST_RESET,
		.doit		= sriov_rtt_nl_hist_reset_doit,
		.policy		= sriov_rtt_hist_reset_nl_policy,
		.maxattr	= SRTT_A_PAD,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SRTT_CMD_RECORDS_FLUSH,
		.doit		= sriov_rtt_nl_records_flush_doit,
		.policy		= sriov_rtt_records_flush_nl_policy,
		.maxattr	= SRTT_A_PAD,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group sriov_rtt_nl_mcgrps[] = {
	[SRIOV_RTT_NLGRP_RECORDS] = { "records", },
};
