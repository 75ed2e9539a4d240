/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov_rtt: parser for the text commands written to the debugfs file
 * /sys/kernel/debug/sriov_rtt/control. Pure logic (see portable.h): the
 * same source runs in the module and in the user-space unit test and fuzz
 * target.
 *
 * One command per write; a single trailing newline is allowed; words are
 * separated by one or more blanks (space, tab), blanks before the first
 * and after the last word are ignored:
 *
 *   attach IFNAME          IFNAME as dev_valid_name(): 1..15 bytes, not
 *   detach IFNAME          "." or "..", printable ASCII without '/', ':'
 *                          or blanks
 *   attach IFNAME stages LIST
 *                          LIST: default (every stage but the netfilter
 *                          ones, as without it), all, or stage names
 *                          joined by ','; stamped at those stages only
 *   detach-all             every attached device, in every namespace
 *   set stamp_port N       1..65535
 *   set sample N           0 (off) or 1..1000000: 1-in-N sampling of
 *                          non-probe traffic
 *   set ring_size N        a power of two, 64..1048576 records per CPU
 *   reset
 *
 * N is unsigned decimal: digits only, leading zeros allowed, no sign.
 */
#ifndef _SRTT_CONTROL_H
#define _SRTT_CONTROL_H

#include "abi.h"

/* Longest accepted write in bytes, trailing newline included. */
#define SRTT_CTL_MAX_LEN	128

/* Size of ifname[], as IFNAMSIZ: 15 bytes and the NUL. */
#define SRTT_CTL_IFNAMSIZ	16

/*
 * A buffer this large holds every message srtt_ctl_parse() writes; a
 * smaller one gets a truncated, still NUL-terminated message.
 */
#define SRTT_CTL_WHY_LEN	256

/* The bounds of the values "set" accepts are the ABI's (abi.h). */

enum srtt_ctl_verb {
	SRTT_CTL_ATTACH = 1,
	SRTT_CTL_DETACH,
	SRTT_CTL_SET,
	SRTT_CTL_RESET,
	SRTT_CTL_DETACH_ALL,
};

/* The settings of abi.h from 1, in its order (0: no key). */
enum srtt_ctl_key {
	SRTT_CTL_KEY_STAMP_PORT = 1 + SRTT_SETTING_STAMP_PORT,
	SRTT_CTL_KEY_SAMPLE = 1 + SRTT_SETTING_SAMPLE,
	SRTT_CTL_KEY_RING_SIZE = 1 + SRTT_SETTING_RING_SIZE,
};

/*
 * A parsed command. Fields a verb does not use are zero: key and value
 * for attach/detach/reset, ifname for set/reset.
 */
struct srtt_ctl_cmd {
	enum srtt_ctl_verb verb;
	char ifname[SRTT_CTL_IFNAMSIZ];	/* attach, detach; NUL-terminated */
	u32 stages;			/* attach: SRTT_STAGES_* bits */
	enum srtt_ctl_key key;		/* set */
	u64 value;			/* set; within the key's bounds */
};

int srtt_ctl_parse(const char *buf, size_t len, struct srtt_ctl_cmd *cmd,
		   char *why, size_t whylen);

#endif /* _SRTT_CONTROL_H */
