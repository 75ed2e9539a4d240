/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The main() of a fuzz target built with -DSRTT_FUZZ_REPLAY: a KTAP test
 * that runs LLVMFuzzerTestOneInput() once on each file named on the
 * command line (the seed corpus), without libFuzzer. A property violation
 * aborts. SRTT_FUZZ_REPLAY_MAX bounds the bytes read from a file.
 */
#ifndef _SRTT_FUZZ_REPLAY_H
#define _SRTT_FUZZ_REPLAY_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifndef SRTT_FUZZ_REPLAY_MAX
#define SRTT_FUZZ_REPLAY_MAX	65536
#endif

int main(int argc, char **argv)
{
	static uint8_t buf[SRTT_FUZZ_REPLAY_MAX];
	int i, failed = 0;
	size_t n;
	FILE *f;

	printf("KTAP version 1\n1..%d\n", argc - 1);
	for (i = 1; i < argc; i++) {
		f = fopen(argv[i], "rb");
		if (!f) {
			printf("# cannot open %s\nnot ok %d %s\n", argv[i], i,
			       argv[i]);
			failed++;
			continue;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
		printf("ok %d replay %s\n", i, strrchr(argv[i], '/') ?
		       strrchr(argv[i], '/') + 1 : argv[i]);
	}
	return failed ? 1 : 0;
}

#endif /* _SRTT_FUZZ_REPLAY_H */
