/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov_rtt: the text side of the ABI, once for the module and the tools
 * (both build abi.c): what the numbers of <linux/sriov_rtt.h> are called
 * (stages, probes, directions, roles), which stage pairs have a
 * histogram, the percentiles shown, the bounds and defaults of the
 * settings, and the record line of debugfs 'records'.
 * Documentation/sriov_rtt.rst spells out each.
 */
#ifndef _SRTT_ABI_H
#define _SRTT_ABI_H

#include "portable.h"
#include <linux/sriov_rtt.h>

/* The settings ("set" in debugfs, config-set in netlink): bounds, defaults. */
#define SRTT_CTL_STAMP_PORT_MIN	1
#define SRTT_CTL_STAMP_PORT_MAX	65535
#define SRTT_CTL_STAMP_PORT_DEFAULT	SRTT_STAMP_PORT
#define SRTT_CTL_SAMPLE_MAX	1000000		/* 0 turns sampling off */
#define SRTT_CTL_SAMPLE_DEFAULT	0
#define SRTT_CTL_RING_SIZE_MIN	64		/* and a power of two */
#define SRTT_CTL_RING_SIZE_MAX	1048576
#define SRTT_CTL_RING_SIZE_DEFAULT	4096	/* records per CPU */

/* The settings, in this order, with their bounds. */
enum srtt_setting_id {
	SRTT_SETTING_STAMP_PORT,
	SRTT_SETTING_SAMPLE,
	SRTT_SETTING_RING_SIZE,
	SRTT_NR_SETTINGS,
};

struct srtt_setting {
	const char *name;
	u64 min;
	u64 max;
	bool pow2;		/* and a power of two */
	const char *range;	/* the accepted values, for messages */
	const char *example;	/* a good value, for messages */
};

extern const struct srtt_setting srtt_settings[SRTT_NR_SETTINGS];
#define SRTT_SETTING_NAMES	"stamp_port, sample, ring_size"

/* "tx_drv", "hv_irq"; "?" for a number this build does not know. */
const char *srtt_stage_name(unsigned int stage);
/* The stage of an exact stage name (not an event), or -1. */
int srtt_stage_lookup(const char *name);
/* TX stages come first, up to tx_hw. */
bool srtt_stage_is_tx(unsigned int stage);
/* "icmp", "icmp6", "stamp", "none" (sampled traffic). */
const char *srtt_probe_name(unsigned int probe);
/* "fwd", "rev". */
const char *srtt_dir_name(unsigned int dir);
/* "pf", "vf", "virtio", "veth", "tap", "other". */
const char *srtt_role_name(unsigned int role);

#define SRTT_TX_STAGES		(SRTT_STAGE_TX_HW + 1)
#define SRTT_RX_STAGES		(__SRTT_STAGE_MAX - SRTT_STAGE_RX_HW)
#define SRTT_PAIRS		(SRTT_TX_STAGES * (SRTT_TX_STAGES - 1) / 2 + \
				 SRTT_RX_STAGES * (SRTT_RX_STAGES - 1) / 2)
/*
 * The histogram of @from to @to: both TX or both RX, @from first. Its
 * index among SRTT_PAIRS, or -1 for stages that form no pair.
 */
int srtt_pair_index(unsigned int from, unsigned int to);

/* The percentiles shown, with their rank in parts per million. */
struct srtt_pct {
	const char *name;
	u32 ppm;
};

#define SRTT_NR_PCT		4
extern const struct srtt_pct srtt_pcts[SRTT_NR_PCT];

/* A record line is shorter than this. */
#define SRTT_RECORD_LINE_MAX	256
/* The record line, newline included: its length, as scnprintf(). */
int srtt_record_line(char *buf, size_t len, const struct srtt_record *rec);

#endif /* _SRTT_ABI_H */
