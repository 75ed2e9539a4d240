// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target for srtt_ctl_parse(). Beyond what AddressSanitizer and
 * UBSan catch (the input sits in an allocation of exactly its size), it
 * checks the properties control.h documents:
 * - the result is 0, -EINVAL, -ERANGE or -E2BIG, and -E2BIG exactly when
 *   the input is longer than SRTT_CTL_MAX_LEN;
 * - on error *cmd is untouched and the message is non-empty, one line of
 *   printable ASCII, NUL-terminated within whylen;
 * - on success the message is empty, the verb is known, the ifname is
 *   NUL-terminated, 1..15 bytes, as dev_valid_name() wants and zero-padded,
 *   the value is within its key's bounds, unused fields are zero, and the
 *   command printed back in canonical form parses to the same command;
 * - with a smaller message buffer the result is the same, the message is
 *   a NUL-terminated prefix of the full one, and nothing past whylen is
 *   written.
 *
 * Built with -fsanitize=fuzzer this is a libFuzzer target; built with
 * -DSRTT_FUZZ_REPLAY it is a KTAP test that replays the files given on
 * the command line (the seed corpus) without clang.
 */
#define _GNU_SOURCE	/* memmem */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"

#define POISON		0xa5
#define CANARY_LEN	16

static void fail(const char *what, const uint8_t *data, size_t size, int ret,
		 const char *why)
{
	size_t i;

	fprintf(stderr, "fuzz_control: %s (input %zu bytes, result %d, why \"%s\")\n  input:",
		what, size, ret, why ? why : "");
	for (i = 0; i < size; i++)
		fprintf(stderr, " %02x", data[i]);
	fprintf(stderr, "\n");
	abort();
}

static int parse_copy(const uint8_t *data, size_t size,
		      struct srtt_ctl_cmd *cmd, char *why, size_t whylen)
{
	char *copy = malloc(size ? size : 1);
	int ret;

	if (!copy)
		abort();
	if (size)
		memcpy(copy, data, size);
	ret = srtt_ctl_parse(size ? copy : copy + 1, size, cmd, why, whylen);
	free(copy);
	return ret;
}

static int all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return 0;
	return 1;
}

static void check_ifname(const struct srtt_ctl_cmd *cmd, const uint8_t *data,
			 size_t size)
{
	size_t n = strnlen(cmd->ifname, sizeof(cmd->ifname)), i;

	if (n == 0 || n >= sizeof(cmd->ifname))
		fail("ifname empty or not terminated", data, size, 0, NULL);
	if (!all_zero(cmd->ifname + n, sizeof(cmd->ifname) - n))
		fail("ifname not zero-padded", data, size, 0, NULL);
	if (!strcmp(cmd->ifname, ".") || !strcmp(cmd->ifname, ".."))
		fail("ifname . or ..", data, size, 0, NULL);
	for (i = 0; i < n; i++) {
		unsigned char c = cmd->ifname[i];

		if (c <= 0x20 || c >= 0x7f || c == '/' || c == ':')
			fail("bad byte in ifname", data, size, c, NULL);
	}
	if (!memmem(data, size, cmd->ifname, n))
		fail("ifname not from the input", data, size, 0, NULL);
	if (cmd->key || cmd->value)
		fail("key or value set for attach/detach", data, size, 0, NULL);
}

static void check_value(const struct srtt_ctl_cmd *cmd, const uint8_t *data,
			size_t size)
{
	uint64_t v = cmd->value;

	if (!all_zero(cmd->ifname, sizeof(cmd->ifname)))
		fail("ifname set for set", data, size, 0, NULL);
	switch (cmd->key) {
	case SRTT_CTL_KEY_STAMP_PORT:
		if (v < 1 || v > 65535)
			fail("stamp_port out of range", data, size, 0, NULL);
		break;
	case SRTT_CTL_KEY_SAMPLE:
		if (v > 1000000)
			fail("sample out of range", data, size, 0, NULL);
		break;
	case SRTT_CTL_KEY_RING_SIZE:
		if (v < 64 || v > 1048576 || (v & (v - 1)))
			fail("ring_size out of range", data, size, 0, NULL);
		break;
	default:
		fail("unknown key", data, size, cmd->key, NULL);
	}
}

/* The command in canonical form must parse to itself. */
static void check_round_trip(const struct srtt_ctl_cmd *cmd,
			     const uint8_t *data, size_t size)
{
	static const char *const keys[] = {
		[SRTT_CTL_KEY_STAMP_PORT] = "stamp_port",
		[SRTT_CTL_KEY_SAMPLE] = "sample",
		[SRTT_CTL_KEY_RING_SIZE] = "ring_size",
	};
	struct srtt_ctl_cmd again;
	char text[SRTT_CTL_MAX_LEN * 2], why[SRTT_CTL_WHY_LEN];
	unsigned int st, sep = 0;
	int n = 0;

	switch (cmd->verb) {
	case SRTT_CTL_ATTACH:
		/* the stage set as names, whatever the input said */
		n = snprintf(text, sizeof(text), "attach %s stages%s", cmd->ifname,
			     cmd->stages == SRTT_STAGES_ALL ? " all" :
			     cmd->stages == SRTT_STAGES_DEFAULT ? " default" : "");
		for (st = 0; cmd->stages != SRTT_STAGES_ALL &&
		     cmd->stages != SRTT_STAGES_DEFAULT && st < __SRTT_STAGE_MAX; st++)
			if (cmd->stages & (1U << st))
				n += snprintf(text + n, sizeof(text) - n, "%c%s",
					      sep++ ? ',' : ' ',
					      srtt_stage_name(st));
		n += snprintf(text + n, sizeof(text) - n, "\n");
		break;
	case SRTT_CTL_DETACH:
		n = snprintf(text, sizeof(text), "detach %s", cmd->ifname);
		break;
	case SRTT_CTL_SET:
		n = snprintf(text, sizeof(text), "set %s %" PRIu64,
			     keys[cmd->key], (uint64_t)cmd->value);
		break;
	case SRTT_CTL_RESET:
		n = snprintf(text, sizeof(text), "reset");
		break;
	case SRTT_CTL_DETACH_ALL:
		n = snprintf(text, sizeof(text), "detach-all");
		break;
	}
	memset(&again, POISON, sizeof(again));
	if (parse_copy((const uint8_t *)text, n, &again, why, sizeof(why)))
		fail("canonical form rejected", data, size, 0, why);
	if (memcmp(&again, cmd, sizeof(again)))
		fail("canonical form differs", data, size, 0, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct srtt_ctl_cmd cmd, poison;
	char why[SRTT_CTL_WHY_LEN + CANARY_LEN], small[16 + CANARY_LEN];
	size_t n, whylen, i;
	int ret, ret2;

	memset(&poison, POISON, sizeof(poison));
	memcpy(&cmd, &poison, sizeof(cmd));
	memset(why, POISON, sizeof(why));
	ret = parse_copy(data, size, &cmd, why, SRTT_CTL_WHY_LEN);

	for (i = SRTT_CTL_WHY_LEN; i < sizeof(why); i++)
		if ((uint8_t)why[i] != POISON)
			fail("written past whylen", data, size, ret, NULL);
	n = strnlen(why, SRTT_CTL_WHY_LEN);
	if (n == SRTT_CTL_WHY_LEN)
		fail("why not NUL-terminated", data, size, ret, NULL);
	for (i = 0; i < n; i++)
		if (why[i] < 0x20 || why[i] >= 0x7f)
			fail("unprintable byte in why", data, size, ret, why);
	if ((ret == -E2BIG) != (size > SRTT_CTL_MAX_LEN))
		fail("-E2BIG iff longer than SRTT_CTL_MAX_LEN", data, size, ret,
		     why);

	switch (ret) {
	case 0:
		if (n)
			fail("why set on success", data, size, ret, why);
		switch (cmd.verb) {
		case SRTT_CTL_ATTACH:
		case SRTT_CTL_DETACH:
			check_ifname(&cmd, data, size);
			break;
		case SRTT_CTL_SET:
			check_value(&cmd, data, size);
			break;
		case SRTT_CTL_RESET:
		case SRTT_CTL_DETACH_ALL:
			if (cmd.key || cmd.value ||
			    !all_zero(cmd.ifname, sizeof(cmd.ifname)))
				fail("fields set for reset or detach-all", data,
				     size, ret, NULL);
			break;
		default:
			fail("unknown verb", data, size, cmd.verb, NULL);
		}
		check_round_trip(&cmd, data, size);
		break;
	case -EINVAL:
	case -ERANGE:
	case -E2BIG:
		if (memcmp(&cmd, &poison, sizeof(cmd)))
			fail("cmd written on error", data, size, ret, why);
		if (!n)
			fail("no why on error", data, size, ret, NULL);
		break;
	default:
		fail("result not 0, -EINVAL, -ERANGE or -E2BIG", data, size, ret,
		     why);
	}

	/* A message buffer of 0..16 bytes, its size taken from the input. */
	whylen = size ? data[size - 1] % 17 : 0;
	memcpy(&cmd, &poison, sizeof(cmd));
	memset(small, POISON, sizeof(small));
	ret2 = parse_copy(data, size, &cmd, whylen ? small : NULL, whylen);
	if (ret2 != ret)
		fail("result depends on whylen", data, size, ret2, why);
	for (i = whylen; i < sizeof(small); i++)
		if ((uint8_t)small[i] != POISON)
			fail("written past small whylen", data, size, ret, why);
	if (whylen) {
		i = n < whylen - 1 ? n : whylen - 1;
		if (memcmp(small, why, i) || small[i])
			fail("small why not a terminated prefix", data, size,
			     ret, why);
	}
	return 0;
}

#ifdef SRTT_FUZZ_REPLAY
#include "replay.h"
#endif
