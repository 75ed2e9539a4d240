// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target for srtt_classify(). Beyond what AddressSanitizer and
 * UBSan catch, it checks the properties classify.c documents:
 * - the result is one of the four values; a PROBE key has a known probe
 *   type and direction, and only the IPV6/VLAN flags;
 * - key and flags are untouched unless the result is PROBE;
 * - every prefix of the input classifies as SHORT or exactly as the whole
 *   input (same key), each prefix from an allocation of exactly its size;
 * - no byte past SRTT_CLS_MAX_LEN changes the answer.
 * Each input is classified with the default STAMP port and with the port
 * taken from its first two bytes (the destination MAC, which the
 * classifier ignores), so the fuzzer can reach custom ports too.
 *
 * Built with -fsanitize=fuzzer this is a libFuzzer target; built with
 * -DSRTT_FUZZ_REPLAY it is a KTAP test that replays the files given on
 * the command line (the seed corpus) without clang.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"

static const struct srtt_key key_poison = { 0xa5, 0xa5, 0xa5a5, 0xa5a5a5a5 };
#define FLAGS_POISON	0xa5a5

struct result {
	int ret;
	struct srtt_key key;
	uint16_t flags;
};

static void fail(const char *what, size_t size, size_t cut, int got, int want)
{
	fprintf(stderr, "fuzz_classify: %s (input %zu bytes, cut %zu, "
		"result %d, whole %d)\n", what, size, cut, got, want);
	abort();
}

static struct result classify_copy(const uint8_t *data, size_t n,
				   const struct srtt_cls_cfg *cfg)
{
	struct result r = { .key = key_poison, .flags = FLAGS_POISON };
	uint8_t *copy = malloc(n ? n : 1);

	if (!copy)
		abort();
	if (n)
		memcpy(copy, data, n);
	r.ret = srtt_classify(n ? copy : copy + 1, (uint32_t)n, cfg, &r.key,
			      &r.flags);
	free(copy);
	return r;
}

static int same(const struct result *a, const struct result *b)
{
	return a->ret == b->ret && a->flags == b->flags &&
	       !memcmp(&a->key, &b->key, sizeof(a->key));
}

static void check_one(const uint8_t *data, size_t size,
		      const struct srtt_cls_cfg *cfg)
{
	struct result full, r;
	size_t cut, upto;

	full = classify_copy(data, size, cfg);
	switch (full.ret) {
	case SRTT_CLS_PROBE:
		if (full.key.probe != SRTT_PROBE_STAMP &&
		    full.key.probe != SRTT_PROBE_ICMP &&
		    full.key.probe != SRTT_PROBE_ICMPV6)
			fail("bad probe type", size, size, full.key.probe, 0);
		if (full.key.dir != SRTT_DIR_FWD &&
		    full.key.dir != SRTT_DIR_REV)
			fail("bad direction", size, size, full.key.dir, 0);
		if (full.flags & ~(SRTT_REC_F_IPV6 | SRTT_REC_F_VLAN))
			fail("bad flags", size, size, full.flags, 0);
		break;
	case SRTT_CLS_NONE:
	case SRTT_CLS_SHORT:
	case SRTT_CLS_BAD:
		if (memcmp(&full.key, &key_poison, sizeof(full.key)) ||
		    full.flags != FLAGS_POISON)
			fail("key written without PROBE", size, size,
			     full.ret, full.ret);
		break;
	default:
		fail("result out of range", size, size, full.ret, 0);
	}

	if (size > SRTT_CLS_MAX_LEN) {
		r = classify_copy(data, SRTT_CLS_MAX_LEN, cfg);
		if (!same(&r, &full))
			fail("bytes past SRTT_CLS_MAX_LEN matter", size,
			     SRTT_CLS_MAX_LEN, r.ret, full.ret);
	}

	upto = size < SRTT_CLS_MAX_LEN ? size : SRTT_CLS_MAX_LEN;
	for (cut = 0; cut < upto; cut++) {
		r = classify_copy(data, cut, cfg);
		if (r.ret == SRTT_CLS_SHORT &&
		    !memcmp(&r.key, &key_poison, sizeof(r.key)))
			continue;
		if (!same(&r, &full))
			fail("prefix neither SHORT nor the same", size, cut,
			     r.ret, full.ret);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct srtt_cls_cfg cfg = SRTT_CLS_CFG_DEFAULT;

	check_one(data, size, &cfg);
	if (size >= 2) {
		cfg.stamp_port = (uint16_t)(data[0] << 8 | data[1]);
		check_one(data, size, &cfg);
	}
	return 0;
}

#ifdef SRTT_FUZZ_REPLAY
#include "replay.h"
#endif
