/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov-rtt: names of the ABI's numbers (stages, probes, directions,
 * roles) as Documentation/sriov_rtt.rst spells them, and iproute2's
 * matches().
 */
#ifndef _SRTT_NAMES_H
#define _SRTT_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/sriov_rtt.h>

/* "tx_drv"; "?" for a number this tool does not know. */
const char *srtt_stage_str(unsigned int stage);
/* "icmp", "icmp6", "stamp", "none" (sampled traffic). */
const char *srtt_probe_str(unsigned int probe);
/* "fwd", "rev". */
const char *srtt_dir_str(unsigned int dir);
/* "pf", "vf", "virtio", "veth", "tap", "other". */
const char *srtt_role_str(unsigned int role);

/* Stage number of an exact stage name, or -1. */
int srtt_stage_lookup(const char *name);
/* Every stage name, space-separated, for error messages. */
const char *srtt_stage_list(void);
/* Whether the module keeps a histogram from @from to @to. */
bool srtt_pair_valid(int from, int to);

/* "02:00:00:00:05:10" from @len bytes; truncated to fit @size. */
void srtt_mac_str(const unsigned char *addr, unsigned int len, char *buf,
		  size_t size);

/*
 * iproute2's matches(): true if @prefix is a non-empty prefix of @word.
 * Callers try candidates in table order, so the first match wins.
 */
bool srtt_matches(const char *prefix, const char *word);

#endif /* _SRTT_NAMES_H */
