// SPDX-License-Identifier: GPL-2.0
/* sriov-rtt: the stage list and pair rule for arguments, and matches(). */

#include <stdio.h>
#include <string.h>

#include "names.h"

/* Every stage name, space-separated, from the ABI's own table. */
const char *srtt_stage_list(void)
{
	static char list[__SRTT_STAGE_MAX * 16];
	size_t n = 0;
	unsigned int i;

	if (!list[0])
		for (i = 0; i < __SRTT_STAGE_MAX; i++)
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
					      i ? " " : "", srtt_stage_name(i));
	return list;
}

/* The stages the @n bytes at @s name: a stage, or a set; 0 for none */
static uint32_t srtt_stage_item(const char *s, size_t n)
{
	unsigned int st;

	if (n == 7 && !strncmp(s, "default", 7))
		return SRTT_STAGES_DEFAULT;
	if (n == 3 && !strncmp(s, "all", 3))
		return SRTT_STAGES_ALL;
	for (st = 0; st < __SRTT_STAGE_MAX; st++)
		if (strlen(srtt_stage_name(st)) == n &&
		    !strncmp(s, srtt_stage_name(st), n))
			return 1U << st;
	return 0;
}

/* a set's name stands for its stages: "default,tx_nf_egress" */
int srtt_stages_parse(const char *s, uint32_t *stages, char *why,
		      size_t len)
{
	uint32_t set = 0, one;
	size_t n;

	for (;;) {
		n = strcspn(s, ",");
		one = srtt_stage_item(s, n);
		if (!one) {
			snprintf(why, len, "'%.*s' is no stage; default, all, "
				 "or of %s joined by ','", (int)(n > 32 ? 32 : n),
				 s, srtt_stage_list());
			return -1;
		}
		set |= one;
		if (!s[n])
			break;
		s += n + 1;
	}
	*stages = set;
	return 0;
}

const char *srtt_stages_str(uint32_t stages, char *buf, size_t len)
{
	size_t o = 0;
	unsigned int st;

	if (stages == SRTT_STAGES_DEFAULT || stages == SRTT_STAGES_ALL) {
		snprintf(buf, len, "%s",
			 stages == SRTT_STAGES_ALL ? "all" : "default");
		return buf;
	}
	buf[0] = '\0';
	for (st = 0; st < __SRTT_STAGE_MAX && o < len; st++)
		if (stages & (1U << st))
			o += (size_t)snprintf(buf + o, len - o, "%s%s",
					      o ? "," : "", srtt_stage_name(st));
	return buf;
}

/* The module's pair rule, for stage numbers that may be -1 (none). */
bool srtt_pair_valid(int from, int to)
{
	return from >= 0 && to >= 0 && srtt_pair_index(from, to) >= 0;
}

bool srtt_matches(const char *prefix, const char *word)
{
	size_t len = strlen(prefix);

	return len && len <= strlen(word) && !strncmp(prefix, word, len);
}

void srtt_mac_str(const unsigned char *addr, unsigned int len, char *buf,
		  size_t size)
{
	size_t n = 0;
	unsigned int i;

	if (!size)
		return;
	buf[0] = '\0';
	for (i = 0; i < len && n + 3 + !!i <= size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%02x", i ? ":" : "",
				      addr[i]);
}
