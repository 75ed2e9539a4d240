// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: what a netlink socket joined to the records group may
 * read (user/stamp/stages.c, srtt_stages_parse()). The first two bytes
 * pick the family id and the sequence number the parser looks for; the
 * rest is the buffer. Properties: no read outside the buffer (ASan); no
 * more records filed than whole records fit in it; an ACK only for the
 * sequence number asked for.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stages.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct srtt_stages_tab t;
	uint64_t lost = 0;
	bool acked = false;
	uint8_t *buf;
	int err = 0;

	if (size < 2)
		return 0;
	if (!t.size && srtt_stages_tab_init(&t, 64))
		abort();
	t.stored = t.sampled = t.full = 0;
	/* an exact copy: ASan sees a read one byte past the end */
	buf = malloc(size - 2 ? size - 2 : 1);
	if (!buf)
		abort();
	memcpy(buf, data + 2, size - 2);
	srtt_stages_parse(buf, size - 2, (uint16_t)(0x10 + data[0]), data[1], &t,
			  &lost, &acked, &err);
	if (t.stored + t.sampled + t.full > (size - 2) / sizeof(struct srtt_record))
		abort();
	free(buf);
	return 0;
}

#ifdef SRTT_FUZZ_REPLAY
#include "replay.h"
#endif
