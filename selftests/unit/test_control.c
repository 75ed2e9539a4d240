// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for module/control.c: every accepted command form, and every
 * rejection with its errno and a message quoting the offending word.
 */

#include <stdlib.h>

#include "control.h"
#include "ktap.h"

#define POISON	0xa5

/* A literal with its exact length, embedded NULs included. */
#define S(lit)	lit, sizeof(lit) - 1

/*
 * Parses a copy of @buf in an allocation of exactly @len bytes, so that
 * AddressSanitizer sees any read past the end.
 */
static int parse(const char *buf, size_t len, struct srtt_ctl_cmd *cmd,
		 char *why, size_t whylen)
{
	char *copy = malloc(len ? len : 1);
	int ret;

	if (!copy)
		abort();
	memcpy(copy, buf, len);
	ret = srtt_ctl_parse(copy, len, cmd, why, whylen);
	free(copy);
	return ret;
}

/* Printable copy of an input for diagnostics. */
static const char *esc(const char *buf, size_t len)
{
	static char out[4 * 160 + 1];
	size_t i, o = 0;

	for (i = 0; i < len && i < 160; i++) {
		unsigned char c = buf[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[o++] = c;
		else
			o += sprintf(out + o, "\\x%02x", c);
	}
	out[o] = '\0';
	return out;
}

static int expect_ok_cmd(const char *buf, size_t len,
			 const struct srtt_ctl_cmd *want)
{
	struct srtt_ctl_cmd cmd;
	char why[SRTT_CTL_WHY_LEN];
	int ret;

	memset(&cmd, POISON, sizeof(cmd));
	memset(why, POISON, sizeof(why));
	ret = parse(buf, len, &cmd, why, sizeof(why));
	if (!KTAP_EXPECT(ret == 0, "\"%s\": %d (%.*s)", esc(buf, len), ret,
			 (int)sizeof(why), why))
		return 0;
	KTAP_EXPECT(why[0] == '\0', "\"%s\": why \"%.*s\" on success",
		    esc(buf, len), (int)sizeof(why), why);
	KTAP_EXPECT(!memcmp(&cmd.ifname, want->ifname, sizeof(cmd.ifname)),
		    "\"%s\": ifname \"%.16s\", want \"%s\"", esc(buf, len),
		    cmd.ifname, want->ifname);
	return KTAP_EXPECT(cmd.verb == want->verb && cmd.key == want->key &&
			   cmd.value == want->value,
			   "\"%s\": verb %d key %d value %" PRIu64 ", want %d %d %"
			   PRIu64, esc(buf, len), cmd.verb, cmd.key,
			   (uint64_t)cmd.value, want->verb, want->key,
			   (uint64_t)want->value);
}

static int expect_dev(const char *buf, size_t len, enum srtt_ctl_verb verb,
		      const char *ifname)
{
	struct srtt_ctl_cmd want = { .verb = verb };

	strcpy(want.ifname, ifname);
	return expect_ok_cmd(buf, len, &want);
}

/* "attach IFNAME stages LIST" parsed into @stages */
static int expect_stages(const char *buf, size_t len, const char *ifname,
			 u32 stages)
{
	struct srtt_ctl_cmd cmd;
	char why[SRTT_CTL_WHY_LEN];
	int ret;

	memset(&cmd, POISON, sizeof(cmd));
	ret = parse(buf, len, &cmd, why, sizeof(why));
	return KTAP_EXPECT(!ret && cmd.verb == SRTT_CTL_ATTACH &&
			   !strcmp(cmd.ifname, ifname) && cmd.stages == stages,
			   "\"%s\": %d (%s), stages %#x, want %#x",
			   esc(buf, len), ret, ret ? why : "", cmd.stages,
			   stages);
}

static int expect_set(const char *buf, size_t len, enum srtt_ctl_key key,
		      uint64_t value)
{
	struct srtt_ctl_cmd want = {
		.verb = SRTT_CTL_SET, .key = key, .value = value,
	};

	return expect_ok_cmd(buf, len, &want);
}

/*
 * A rejection: @err, *cmd byte for byte as before, a message that is one
 * line of printable ASCII and contains every one of the NULL-terminated
 * @needles.
 */
static int expect_err_v(const char *buf, size_t len, int err,
			const char *const *needles)
{
	struct srtt_ctl_cmd cmd, before;
	char why[SRTT_CTL_WHY_LEN];
	int ret, ok = 1;
	size_t i, n;

	memset(&cmd, POISON, sizeof(cmd));
	memcpy(&before, &cmd, sizeof(cmd));
	memset(why, POISON, sizeof(why));
	ret = parse(buf, len, &cmd, why, sizeof(why));
	if (!KTAP_EXPECT(ret == err, "\"%s\": returned %d, want %d",
			 esc(buf, len), ret, err))
		return 0;
	ok &= KTAP_EXPECT(!memcmp(&cmd, &before, sizeof(cmd)),
			  "\"%s\": cmd modified on error", esc(buf, len));
	n = strnlen(why, sizeof(why));
	if (!KTAP_EXPECT(n > 0 && n < sizeof(why),
			 "\"%s\": why empty or not terminated (%zu)",
			 esc(buf, len), n))
		return 0;
	for (i = 0; i < n; i++)
		if (why[i] < 0x20 || why[i] >= 0x7f)
			break;
	ok &= KTAP_EXPECT(i == n, "\"%s\": unprintable byte %zu in why \"%s\"",
			  esc(buf, len), i, esc(why, n));
	for (; *needles; needles++)
		ok &= KTAP_EXPECT(strstr(why, *needles),
				  "\"%s\": why \"%s\" lacks \"%s\"",
				  esc(buf, len), why, *needles);
	return ok;
}

/* expect_err(buf, len, err, needle...); S(lit) may stand for buf, len. */
#define expect_err(...)	expect_err_(__VA_ARGS__)
#define expect_err_(buf, len, err, ...) \
	expect_err_v(buf, len, err, (const char *const[]){ __VA_ARGS__, NULL })

static void attach_detach(void)
{
	expect_dev(S("attach eth0"), SRTT_CTL_ATTACH, "eth0");
	expect_dev(S("detach eth0"), SRTT_CTL_DETACH, "eth0");
	expect_dev(S("attach eth0\n"), SRTT_CTL_ATTACH, "eth0");
	expect_dev(S("\tattach \t ens1f0v3 \t\n"), SRTT_CTL_ATTACH, "ens1f0v3");
	expect_dev(S("  detach  enp0s1.100  "), SRTT_CTL_DETACH, "enp0s1.100");
	expect_dev(S("attach\teth0"), SRTT_CTL_ATTACH, "eth0");
	expect_dev(S("attach a"), SRTT_CTL_ATTACH, "a");
	expect_dev(S("attach abcdefghijklmno"), SRTT_CTL_ATTACH,
		   "abcdefghijklmno");
	expect_dev(S("attach ..."), SRTT_CTL_ATTACH, "...");
	expect_dev(S("attach .a"), SRTT_CTL_ATTACH, ".a");
	expect_dev(S("detach vf-0_x@y%d~"), SRTT_CTL_DETACH, "vf-0_x@y%d~");
}

/*
 * attach IFNAME [stages LIST]: without it the default set (no netfilter
 * stage); default, all, or names joined by ','; anything else refused,
 * the bad word named.
 */
static void attach_stages(void)
{
	expect_stages(S("attach eth0"), "eth0", SRTT_STAGES_DEFAULT);
	expect_stages(S("attach eth0 stages default"), "eth0",
		      SRTT_STAGES_DEFAULT);
	expect_stages(S("attach eth0 stages all\n"), "eth0", SRTT_STAGES_ALL);
	expect_stages(S("attach eth0 stages tx_drv,rx_drv"), "eth0",
		      1U << SRTT_STAGE_TX_DRV | 1U << SRTT_STAGE_RX_DRV);
	expect_stages(S("attach eth0 stages rx_nf_ingress,rx_nf_ingress"),
		      "eth0", 1U << SRTT_STAGE_RX_NF_INGRESS);
	expect_stages(S("attach eth0 stages default,tx_nf_egress"), "eth0",
		      SRTT_STAGES_DEFAULT | 1U << SRTT_STAGE_TX_NF_EGRESS);
	expect_stages(S("attach eth0 stages tx_drv,all"), "eth0",
		      SRTT_STAGES_ALL);
	KTAP_EXPECT(!(SRTT_STAGES_DEFAULT & (1U << SRTT_STAGE_TX_NF_EGRESS |
					      1U << SRTT_STAGE_RX_NF_INGRESS)) &&
		    (SRTT_STAGES_DEFAULT | 1U << SRTT_STAGE_TX_NF_EGRESS |
		     1U << SRTT_STAGE_RX_NF_INGRESS) == SRTT_STAGES_ALL,
		    "default: all but the netfilter stages (%#x)",
		    SRTT_STAGES_DEFAULT);
	expect_err(S("attach eth0 stages"), -EINVAL, "stages: missing LIST",
		   "default, all");
	expect_err(S("attach eth0 stages tx_drv,bogus"), -EINVAL,
		   "'bogus' is no stage");
	expect_err(S("attach eth0 stages tx_drv,"), -EINVAL, "'' is no stage");
	expect_err(S("attach eth0 stages ,"), -EINVAL, "'' is no stage");
	expect_err(S("attach eth0 stagez all"), -EINVAL, "unexpected 'stagez'",
		   "[stages LIST]");
	expect_err(S("attach eth0 stages all more"), -EINVAL,
		   "unexpected 'more'");
	expect_err(S("detach eth0 stages all"), -EINVAL, "unexpected 'stages'");
}

static void set_stamp_port(void)
{
	expect_set(S("set stamp_port 862"), SRTT_CTL_KEY_STAMP_PORT, 862);
	expect_set(S("set stamp_port 1"), SRTT_CTL_KEY_STAMP_PORT, 1);
	expect_set(S("set stamp_port 65535"), SRTT_CTL_KEY_STAMP_PORT, 65535);
	expect_set(S("set stamp_port 000862\n"), SRTT_CTL_KEY_STAMP_PORT, 862);
	expect_set(S(" \tset\tstamp_port\t\t65535 \n"), SRTT_CTL_KEY_STAMP_PORT,
		   65535);
}

static void set_sample(void)
{
	expect_set(S("set sample 0"), SRTT_CTL_KEY_SAMPLE, 0);
	expect_set(S("set sample 1"), SRTT_CTL_KEY_SAMPLE, 1);
	expect_set(S("set sample 1000000\n"), SRTT_CTL_KEY_SAMPLE, 1000000);
	expect_set(S("set sample 00"), SRTT_CTL_KEY_SAMPLE, 0);
	/* Leading zeros are fine even past 20 digits: no overflow there. */
	expect_set(S("set sample 000000000000000000000000000001000"),
		   SRTT_CTL_KEY_SAMPLE, 1000);
}

static void set_ring_size(void)
{
	expect_set(S("set ring_size 64"), SRTT_CTL_KEY_RING_SIZE, 64);
	expect_set(S("set ring_size 1048576"), SRTT_CTL_KEY_RING_SIZE, 1048576);
	expect_set(S("set ring_size 4096\n"), SRTT_CTL_KEY_RING_SIZE, 4096);
	expect_set(S("set ring_size 0064"), SRTT_CTL_KEY_RING_SIZE, 64);
}

static void reset(void)
{
	struct srtt_ctl_cmd want = { .verb = SRTT_CTL_RESET };

	expect_ok_cmd(S("reset"), &want);
	expect_ok_cmd(S("reset\n"), &want);
	expect_ok_cmd(S(" \treset\t \n"), &want);
}

static void detach_all(void)
{
	struct srtt_ctl_cmd want = { .verb = SRTT_CTL_DETACH_ALL };

	expect_ok_cmd(S("detach-all"), &want);
	expect_ok_cmd(S(" detach-all\n"), &want);
	expect_err(S("detach-all eth0"), -EINVAL,
		   "detach-all: unexpected 'eth0'", "takes no arguments");
	expect_err(S("detach-al"), -EINVAL, "unknown command 'detach-al'");
	expect_err(S("detach-allx"), -EINVAL, "unknown command 'detach-allx'");
	/* "detach" with a device named like the verb is still a detach */
	expect_dev(S("detach all"), SRTT_CTL_DETACH, "all");
}

/* Every power of two and its neighbours from 1 to 2^22. */
static void ring_size_powers(void)
{
	char buf[64];
	uint64_t v;
	int e, d, n, bad = 0;

	for (e = 0; e <= 22; e++) {
		for (d = -1; d <= 1; d++) {
			v = (1ULL << e) + d;
			n = snprintf(buf, sizeof(buf), "set ring_size %" PRIu64,
				     v);
			if (v >= 64 && v <= 1048576 && !(v & (v - 1)))
				bad += !expect_set(buf, n,
						   SRTT_CTL_KEY_RING_SIZE, v);
			else
				bad += !expect_err(buf, n, -ERANGE,
						   buf + 14,
						   "a power of two from 64 to 1048576");
		}
	}
	KTAP_EXPECT_EQ(bad, 0);
}

/* Every port value from 0 to 70000. */
static void stamp_port_every_value(void)
{
	struct srtt_ctl_cmd cmd;
	char buf[64], why[SRTT_CTL_WHY_LEN];
	int v, n, ret, bad = 0;

	for (v = 0; v <= 70000; v++) {
		n = snprintf(buf, sizeof(buf), "set stamp_port %d\n", v);
		memset(&cmd, POISON, sizeof(cmd));
		ret = srtt_ctl_parse(buf, n, &cmd, why, sizeof(why));
		if (v >= 1 && v <= 65535)
			bad += ret || cmd.value != (uint64_t)v ||
			       cmd.key != SRTT_CTL_KEY_STAMP_PORT;
		else
			bad += ret != -ERANGE;
	}
	KTAP_EXPECT_EQ(bad, 0);
}

/* Fields a verb does not use are zero, whatever *cmd held before. */
static void unused_fields_zero(void)
{
	struct srtt_ctl_cmd cmd;
	char zero[SRTT_CTL_IFNAMSIZ] = { 0 }, want[SRTT_CTL_IFNAMSIZ] = "eth0";

	memset(&cmd, POISON, sizeof(cmd));
	KTAP_EXPECT_EQ(srtt_ctl_parse(S("attach eth0"), &cmd, NULL, 0), 0);
	KTAP_EXPECT_EQ(cmd.key, 0);
	KTAP_EXPECT_EQ(cmd.value, 0);
	KTAP_EXPECT(!memcmp(cmd.ifname, want, sizeof(want)),
		    "ifname tail not zeroed");

	memset(&cmd, POISON, sizeof(cmd));
	KTAP_EXPECT_EQ(srtt_ctl_parse(S("set sample 5"), &cmd, NULL, 0), 0);
	KTAP_EXPECT(!memcmp(cmd.ifname, zero, sizeof(zero)),
		    "ifname not zeroed for set");

	memset(&cmd, POISON, sizeof(cmd));
	KTAP_EXPECT_EQ(srtt_ctl_parse(S("reset"), &cmd, NULL, 0), 0);
	KTAP_EXPECT_EQ(cmd.verb, SRTT_CTL_RESET);
	KTAP_EXPECT_EQ(cmd.key, 0);
	KTAP_EXPECT_EQ(cmd.value, 0);
	KTAP_EXPECT(!memcmp(cmd.ifname, zero, sizeof(zero)),
		    "ifname not zeroed for reset");
}

static void max_len(void)
{
	char buf[SRTT_CTL_MAX_LEN + 2];

	/* "attach eth0", blanks up to 127 bytes, newline: 128 bytes. */
	memset(buf, ' ', sizeof(buf));
	memcpy(buf, "attach eth0", 11);
	buf[SRTT_CTL_MAX_LEN - 1] = '\n';
	KTAP_EXPECT(expect_dev(buf, SRTT_CTL_MAX_LEN, SRTT_CTL_ATTACH, "eth0"),
		    "128 bytes with newline");

	/* 128 bytes without a newline. */
	buf[SRTT_CTL_MAX_LEN - 1] = ' ';
	KTAP_EXPECT(expect_dev(buf, SRTT_CTL_MAX_LEN, SRTT_CTL_ATTACH, "eth0"),
		    "128 bytes");

	/* 129 bytes, with or without the newline, otherwise valid. */
	KTAP_EXPECT(expect_err(buf, SRTT_CTL_MAX_LEN + 1, -E2BIG, "129 bytes",
			       "at most 128"), "129 bytes");
	buf[SRTT_CTL_MAX_LEN] = '\n';
	KTAP_EXPECT(expect_err(buf, SRTT_CTL_MAX_LEN + 1, -E2BIG, "129 bytes"),
		    "129 bytes with newline");

	/* Length is checked first: a long NUL-filled buffer is too long. */
	memset(buf, 0, sizeof(buf));
	KTAP_EXPECT(expect_err(buf, sizeof(buf), -E2BIG, "130 bytes"),
		    "130 NULs");
}

static void empty(void)
{
	expect_err(S(""), -EINVAL, "empty command", "attach IFNAME");
	expect_err(S("\n"), -EINVAL, "empty command");
	expect_err(S("   "), -EINVAL, "empty command");
	expect_err(S(" \t \n"), -EINVAL, "empty command");
	/* len 0 with a NULL buffer is an empty write too. */
	KTAP_EXPECT_EQ(srtt_ctl_parse(NULL, 0, NULL, NULL, 0), -EINVAL);
}

static void unknown_verb(void)
{
	expect_err(S("foo"), -EINVAL, "unknown command 'foo'",
		   "attach IFNAME [stages LIST], detach IFNAME, detach-all, set KEY N, reset");
	expect_err(S("ATTACH eth0"), -EINVAL, "'ATTACH'");
	expect_err(S("attachx eth0"), -EINVAL, "'attachx'");
	expect_err(S("resetreset"), -EINVAL, "'resetreset'");
	expect_err(S("at"), -EINVAL, "'at'");
	expect_err(S("\x80\xff\x01garbage junk"), -EINVAL,
		   "'\\x80\\xff\\x01garbage'");
	expect_err(S("it's\\"), -EINVAL, "'it\\x27s\\x5c'");
	expect_err(S("\r\n"), -EINVAL, "'\\x0d'");
	/* A long word is quoted up to 32 bytes, then "...". */
	expect_err(S("abcdefghijklmnopqrstuvwxyz0123456789"), -EINVAL,
		   "'abcdefghijklmnopqrstuvwxyz012345...'");
}

static void unknown_key(void)
{
	expect_err(S("set foo 1"), -EINVAL, "unknown key 'foo'",
		   "stamp_port, sample, ring_size");
	expect_err(S("set STAMP_PORT 862"), -EINVAL, "'STAMP_PORT'");
	expect_err(S("set stamp 862"), -EINVAL, "'stamp'");
	expect_err(S("set ring_sizes 64"), -EINVAL, "'ring_sizes'");
	expect_err(S("set foo"), -EINVAL, "'foo'");
}

static void missing_args(void)
{
	expect_err(S("attach"), -EINVAL, "attach: missing IFNAME");
	expect_err(S("detach \n"), -EINVAL, "detach: missing IFNAME");
	expect_err(S("set"), -EINVAL, "set: missing KEY",
		   "stamp_port, sample, ring_size");
	expect_err(S("set sample"), -EINVAL, "set sample: missing N",
		   "0 (off) or from 1 to 1000000");
	expect_err(S("set ring_size \t\n"), -EINVAL, "set ring_size: missing N");
	expect_err(S("set stamp_port"), -EINVAL, "from 1 to 65535");
}

static void extra_args(void)
{
	expect_err(S("attach eth0 eth1"), -EINVAL, "unexpected 'eth1'");
	expect_err(S("attach a b"), -EINVAL, "unexpected 'b'");
	expect_err(S("detach eth0 x\n"), -EINVAL, "unexpected 'x'");
	expect_err(S("reset now"), -EINVAL, "unexpected 'now'",
		   "no arguments");
	expect_err(S("set sample 1 2"), -EINVAL, "unexpected '2'");
	expect_err(S("set sample 1 2 3 4 5"), -EINVAL, "unexpected '2'");
	/* Extra words win over a bad value: the shape is wrong first. */
	expect_err(S("set sample x y"), -EINVAL, "unexpected 'y'");
}

static void embedded_nul(void)
{
	expect_err(S("attach eth\0"), -EINVAL, "NUL byte at offset 10");
	expect_err(S("\0reset"), -EINVAL, "NUL byte at offset 0");
	expect_err(S("reset\0"), -EINVAL, "NUL byte at offset 5");
	expect_err(S("reset\n\0"), -EINVAL, "NUL byte at offset 6");
	expect_err(S("set sample 1\0\n"), -EINVAL, "NUL byte at offset 12");
	expect_err(S("\0"), -EINVAL, "NUL byte at offset 0");
}

static void newline_not_at_end(void)
{
	expect_err(S("attach\neth0"), -EINVAL, "newline at offset 6",
		   "one command per write");
	expect_err(S("reset\n\n"), -EINVAL, "newline at offset 5");
	expect_err(S("\nreset"), -EINVAL, "newline at offset 0");
	expect_err(S("reset\nreset\n"), -EINVAL, "newline at offset 5");
	expect_err(S("set sample 1\n "), -EINVAL, "newline at offset 12");
	expect_err(S("\n\n"), -EINVAL, "newline at offset 0");
}

static void bad_ifnames(void)
{
	expect_err(S("attach abcdefghijklmnop"), -EINVAL,
		   "'abcdefghijklmnop' is 16 bytes", "at most 15");
	expect_err(S("detach abcdefghijklmnopqrstuvwxyz0123456789abcdef"),
		   -EINVAL, "is 42 bytes");
	expect_err(S("attach ."), -EINVAL, "'.' is reserved");
	expect_err(S("attach .."), -EINVAL, "'..' is reserved");
	expect_err(S("attach a/b"), -EINVAL, "'a/b'", "'/', ':' or blanks");
	expect_err(S("attach a:b"), -EINVAL, "'a:b'");
	expect_err(S("detach eth0:1"), -EINVAL, "'eth0:1'");
	expect_err(S("attach a\x01" "b"), -EINVAL, "'a\\x01b'",
		   "printable ASCII");
	expect_err(S("attach a\rb\n"), -EINVAL, "'a\\x0db'");
	expect_err(S("attach a\vb"), -EINVAL, "'a\\x0bb'");
	expect_err(S("attach a\fb"), -EINVAL, "'a\\x0cb'");
	expect_err(S("attach eth\x7f"), -EINVAL, "'eth\\x7f'");
	expect_err(S("attach \xc3\xa9th0"), -EINVAL, "'\\xc3\\xa9th0'");
	expect_err(S("attach eth0\r"), -EINVAL, "'eth0\\x0d'");
}

/* "attach a" followed by every byte value. */
static void ifname_every_byte(void)
{
	char buf[16] = "attach a?";
	int c, ret, bad = 0;
	struct srtt_ctl_cmd cmd;
	bool ok;

	for (c = 0; c < 256; c++) {
		buf[8] = (char)c;
		ret = srtt_ctl_parse(buf, 9, &cmd, NULL, 0);
		if (c == ' ' || c == '\t' || c == '\n') {
			ok = !ret && !strcmp(cmd.ifname, "a");
		} else if (c > 0x20 && c < 0x7f && c != '/' && c != ':') {
			ok = !ret && cmd.ifname[1] == c && !cmd.ifname[2];
		} else {
			ok = ret == -EINVAL;
		}
		if (!ok) {
			KTAP_DIAG("byte 0x%02x: %d", c, ret);
			bad++;
		}
	}
	KTAP_EXPECT_EQ(bad, 0);
}

static void out_of_range(void)
{
	expect_err(S("set stamp_port 0"), -ERANGE, "stamp_port 0:",
		   "must be from 1 to 65535");
	expect_err(S("set stamp_port 65536"), -ERANGE, "stamp_port 65536:");
	expect_err(S("set stamp_port 0000\n"), -ERANGE, "stamp_port 0000:");
	expect_err(S("set sample 1000001"), -ERANGE, "sample 1000001:",
		   "must be 0 (off) or from 1 to 1000000");
	expect_err(S("set ring_size 100"), -ERANGE,
		   "ring_size 100: must be a power of two from 64 to 1048576");
	expect_err(S("set ring_size 32"), -ERANGE, "ring_size 32:");
	expect_err(S("set ring_size 2097152"), -ERANGE, "ring_size 2097152:");
	expect_err(S("set ring_size 0"), -ERANGE, "ring_size 0:");
	expect_err(S("set ring_size 1048577"), -ERANGE, "ring_size 1048577:");
}

static void overflow(void)
{
	/* U64_MAX parses but is out of range; U64_MAX + 1 must not wrap to 0. */
	expect_err(S("set sample 18446744073709551615"), -ERANGE,
		   "sample 18446744073709551615:");
	expect_err(S("set sample 18446744073709551616"), -ERANGE,
		   "sample 18446744073709551616:");
	/* 2^64 + 64 would wrap to a valid ring size. */
	expect_err(S("set ring_size 18446744073709551680"), -ERANGE,
		   "ring_size 18446744073709551680:");
	/* 2^64 * 10 + 1 would wrap to a valid port with a naive check. */
	expect_err(S("set stamp_port 184467440737095516161"), -ERANGE,
		   "184467440737095516161");
	expect_err(S("set stamp_port 99999999999999999999"), -ERANGE,
		   "99999999999999999999");
	expect_err(S("set sample 1000000000000000000000000000000000000000000000000000000000000001"),
		   -ERANGE, "sample 10000000000000000000000000000000...:");
	/* A non-digit anywhere makes it syntax, not range. */
	expect_err(S("set sample 99999999999999999999999999x"), -EINVAL,
		   "not a decimal number");
}

static void signs_and_syntax(void)
{
	expect_err(S("set sample -1"), -EINVAL, "sample '-1'",
		   "not a decimal number");
	expect_err(S("set sample +1"), -EINVAL, "sample '+1'");
	expect_err(S("set stamp_port +862"), -EINVAL, "'+862'",
		   "from 1 to 65535");
	expect_err(S("set stamp_port 0x35e"), -EINVAL, "'0x35e'");
	expect_err(S("set stamp_port 862x"), -EINVAL, "'862x'");
	expect_err(S("set ring_size 1e3"), -EINVAL, "'1e3'",
		   "a power of two from 64 to 1048576");
	expect_err(S("set ring_size 64.0"), -EINVAL, "'64.0'");
	expect_err(S("set ring_size 6\x01" "4"), -EINVAL, "'6\\x014'");
}

/* On error *cmd keeps whatever it held, for every kind of error. */
static void cmd_untouched_on_error(void)
{
	static const struct { const char *buf; size_t len; } bad[] = {
		{ S("attach abcdefghijklmnop") }, { S("set sample -1") },
		{ S("set ring_size 100") }, { S("reset now") },
		{ S("attach eth\0") }, { S("reset\n\n") }, { S("") },
		{ S("set sample 1 2") }, { S("attach a/b") },
	};
	struct srtt_ctl_cmd cmd, pattern;
	char why[SRTT_CTL_WHY_LEN];
	unsigned char big[SRTT_CTL_MAX_LEN + 1];
	size_t i, j;

	for (i = 0; i < sizeof(pattern); i++)
		((unsigned char *)&pattern)[i] = (unsigned char)(i * 37 + 11);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memcpy(&cmd, &pattern, sizeof(cmd));
		KTAP_EXPECT(srtt_ctl_parse(bad[i].buf, bad[i].len, &cmd, why,
					   sizeof(why)) < 0, "case %zu", i);
		KTAP_EXPECT(!memcmp(&cmd, &pattern, sizeof(cmd)),
			    "case %zu: \"%s\" modified cmd", i,
			    esc(bad[i].buf, bad[i].len));
	}
	memset(big, 'a', sizeof(big));
	memcpy(&cmd, &pattern, sizeof(cmd));
	KTAP_EXPECT_EQ(srtt_ctl_parse((char *)big, sizeof(big), &cmd, why,
				      sizeof(why)), -E2BIG);
	for (j = 0; j < sizeof(cmd); j++)
		if (((unsigned char *)&cmd)[j] != ((unsigned char *)&pattern)[j])
			break;
	KTAP_EXPECT_EQ(j, sizeof(cmd));
}

/* A small why buffer gets a NUL-terminated prefix; nothing past whylen. */
static void why_buffer_sizes(void)
{
	const char *in = "set ring_size 100";
	char full[SRTT_CTL_WHY_LEN], why[SRTT_CTL_WHY_LEN + 8];
	struct srtt_ctl_cmd cmd;
	size_t len, n, i;

	KTAP_EXPECT_EQ(srtt_ctl_parse(in, strlen(in), &cmd, full, sizeof(full)),
		       -ERANGE);
	len = strlen(full);
	for (n = 0; n <= sizeof(why); n++) {
		memset(why, POISON, sizeof(why));
		KTAP_EXPECT_EQ(srtt_ctl_parse(in, strlen(in), &cmd,
					      n ? why : NULL, n), -ERANGE);
		if (!n)
			continue;
		i = n - 1 < len ? n - 1 : len;
		KTAP_EXPECT(!memcmp(why, full, i) && why[i] == '\0',
			    "whylen %zu: \"%.*s\"", n, (int)i, why);
		for (i = n; i < sizeof(why); i++)
			if ((unsigned char)why[i] != POISON)
				break;
		KTAP_EXPECT(i == sizeof(why), "whylen %zu: byte %zu written",
			    n, i);
	}
	/* Success clears a stale message. */
	memset(why, 'x', sizeof(why));
	KTAP_EXPECT_EQ(srtt_ctl_parse(S("reset"), &cmd, why, 4), 0);
	KTAP_EXPECT_EQ(why[0], '\0');
	KTAP_EXPECT_EQ(why[1], 'x');
}

/* The longest messages fit SRTT_CTL_WHY_LEN without truncation. */
static void why_len_suffices(void)
{
	static const char *const worst[] = {
		"set ring_size \x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		"\x01\x01\x01\x01\x01\x01\x01\x01",
		"set sample \x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		"\x01\x01\x01\x01\x01\x01\x01\x01",
		"attach \x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		"\x01\x01\x01\x01\x01\x01\x01\x01",
		"attach eth0 \x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		"\x01\x01\x01\x01\x01\x01\x01\x01",
		"set ring_size 1 \x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		"\x01\x01\x01\x01\x01\x01\x01\x01",
		"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		"\x01\x01\x01\x01\x01\x01\x01\x01",
	};
	char why[SRTT_CTL_WHY_LEN];
	struct srtt_ctl_cmd cmd;
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(worst); i++) {
		KTAP_EXPECT(srtt_ctl_parse(worst[i], strlen(worst[i]), &cmd, why,
					   sizeof(why)) < 0, "case %zu", i);
		n = strlen(why);
		KTAP_EXPECT(n + 1 < sizeof(why) && strstr(why, "..."),
			    "case %zu: %zu bytes: %s", i, n, why);
	}
}

static const struct ktap_case cases[] = {
	KTAP_CASE(attach_detach),
	KTAP_CASE(attach_stages),
	KTAP_CASE(set_stamp_port),
	KTAP_CASE(set_sample),
	KTAP_CASE(set_ring_size),
	KTAP_CASE(reset),
	KTAP_CASE(detach_all),
	KTAP_CASE(ring_size_powers),
	KTAP_CASE(stamp_port_every_value),
	KTAP_CASE(unused_fields_zero),
	KTAP_CASE(max_len),
	KTAP_CASE(empty),
	KTAP_CASE(unknown_verb),
	KTAP_CASE(unknown_key),
	KTAP_CASE(missing_args),
	KTAP_CASE(extra_args),
	KTAP_CASE(embedded_nul),
	KTAP_CASE(newline_not_at_end),
	KTAP_CASE(bad_ifnames),
	KTAP_CASE(ifname_every_byte),
	KTAP_CASE(out_of_range),
	KTAP_CASE(overflow),
	KTAP_CASE(signs_and_syntax),
	KTAP_CASE(cmd_untouched_on_error),
	KTAP_CASE(why_buffer_sizes),
	KTAP_CASE(why_len_suffices),
};

int main(void)
{
	return KTAP_RUN(cases);
}
