/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov-rtt: what the arguments need on top of the ABI's names (abi.h,
 * the module's own file): the stage list and the pair rule for error
 * messages and checks, a MAC address, and iproute2's matches().
 */
#ifndef _SRTT_NAMES_H
#define _SRTT_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/sriov_rtt.h>
#include "abi.h"	/* the names of stages, probes, directions, roles */

/* Every stage name, space-separated, for error messages. */
const char *srtt_stage_list(void);
/*
 * A stage set: "default", "all" or stage names joined by ',' into
 * *@stages (SRTT_STAGES_*): 0, or -1 with the bad name in @why.
 */
int srtt_stages_parse(const char *s, uint32_t *stages, char *why,
		      size_t len);
/* "default", "all" or the names joined by ',' */
const char *srtt_stages_str(uint32_t stages, char *buf, size_t len);
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
