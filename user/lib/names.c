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
