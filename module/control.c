// SPDX-License-Identifier: GPL-2.0
/* sriov_rtt: parser for the debugfs control commands (grammar in control.h). */

#include "control.h"

/* A verb and at most three arguments; one more word is enough to reject. */
#define SRTT_CTL_MAX_WORDS	5

/*
 * A word quoted in a message shows at most this many bytes of the input,
 * each at most 4 characters once escaped, then "..." and the NUL.
 */
#define SRTT_CTL_SHOW_MAX	32
#define SRTT_CTL_SHOW_LEN	(4 * SRTT_CTL_SHOW_MAX + 3 + 1)

#define SRTT_CTL_USAGE	"attach IFNAME [stages LIST], detach IFNAME, detach-all, set KEY N, reset"
#define SRTT_CTL_STAGES	"default, all, or stage names (and those two) joined by ','"
#define SRTT_CTL_KEYS	SRTT_SETTING_NAMES

/* One blank-separated word of the input; not NUL-terminated. */
struct srtt_ctl_word {
	const char *p;
	size_t len;
};

/* Where a rejection is explained, and room to quote one input word. */
struct srtt_ctl_ctx {
	char *why;
	size_t whylen;
	char show[SRTT_CTL_SHOW_LEN];
};

static bool srtt_ctl_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool srtt_ctl_word_is(const struct srtt_ctl_word *w, const char *s)
{
	size_t n = strlen(s);

	return w->len == n && !memcmp(w->p, s, n);
}

/*
 * Quote @w for a message: printable ASCII as is, every other byte and the
 * quote and backslash as \xNN, so a message is always one line of
 * printable text whatever was written. Returns ctx->show.
 */
static const char *srtt_ctl_show(struct srtt_ctl_ctx *ctx,
				 const struct srtt_ctl_word *w)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, n = w->len < SRTT_CTL_SHOW_MAX ? w->len : SRTT_CTL_SHOW_MAX;
	char *o = ctx->show;

	for (i = 0; i < n; i++) {
		u8 c = w->p[i];

		if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
			*o++ = c;
			continue;
		}
		*o++ = '\\';
		*o++ = 'x';
		*o++ = hex[c >> 4];
		*o++ = hex[c & 0xf];
	}
	if (n < w->len) {
		memcpy(o, "...", 3);
		o += 3;
	}
	*o = '\0';
	return ctx->show;
}

/* Splits @buf at blanks; returns the number of words, at most @max. */
static int srtt_ctl_split(const char *buf, size_t len,
			  struct srtt_ctl_word *words, int max)
{
	size_t i = 0, start;
	int n = 0;

	while (n < max) {
		while (i < len && srtt_ctl_is_blank(buf[i]))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && !srtt_ctl_is_blank(buf[i]))
			i++;
		words[n].p = buf + start;
		words[n].len = i - start;
		n++;
	}
	return n;
}

/* As the kernel's dev_valid_name(), and printable ASCII only. */
static int srtt_ctl_ifname(struct srtt_ctl_ctx *ctx,
			   const struct srtt_ctl_word *w, char *ifname)
{
	size_t i;

	if (w->len >= SRTT_CTL_IFNAMSIZ) {
		snprintf(ctx->why, ctx->whylen,
			 "interface name '%s' is %zu bytes: at most %d",
			 srtt_ctl_show(ctx, w), w->len, SRTT_CTL_IFNAMSIZ - 1);
		return -EINVAL;
	}
	if (srtt_ctl_word_is(w, ".") || srtt_ctl_word_is(w, "..")) {
		snprintf(ctx->why, ctx->whylen,
			 "interface name '%s' is reserved: any name but '.' and '..'",
			 srtt_ctl_show(ctx, w));
		return -EINVAL;
	}
	for (i = 0; i < w->len; i++) {
		u8 c = w->p[i];

		/* Blanks never reach here: they separate words. */
		if (c <= 0x20 || c >= 0x7f || c == '/' || c == ':') {
			snprintf(ctx->why, ctx->whylen,
				 "interface name '%s': printable ASCII without '/', ':' or blanks",
				 srtt_ctl_show(ctx, w));
			return -EINVAL;
		}
	}
	memcpy(ifname, w->p, w->len);
	ifname[w->len] = '\0';
	return 0;
}

/*
 * Unsigned decimal, leading zeros allowed. -EINVAL unless digits only,
 * -ERANGE above U64_MAX: the check is exact, so it never wraps and any
 * number of leading zeros is fine.
 */
static int srtt_ctl_u64(const struct srtt_ctl_word *w, u64 *val)
{
	u64 v = 0;
	size_t i;

	for (i = 0; i < w->len; i++)
		if (w->p[i] < '0' || w->p[i] > '9')
			return -EINVAL;
	for (i = 0; i < w->len; i++) {
		u32 d = w->p[i] - '0';

		if (v > (U64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*val = v;
	return 0;
}

static int srtt_ctl_value(struct srtt_ctl_ctx *ctx,
			  const struct srtt_setting *k,
			  const struct srtt_ctl_word *w, u64 *value)
{
	u64 v;
	int err;

	err = srtt_ctl_u64(w, &v);
	if (err == -EINVAL) {
		snprintf(ctx->why, ctx->whylen,
			 "%s '%s': not a decimal number (digits only, no sign); must be %s",
			 k->name, srtt_ctl_show(ctx, w), k->range);
		return err;
	}
	if (err || v < k->min || v > k->max || (k->pow2 && (v & (v - 1)))) {
		snprintf(ctx->why, ctx->whylen, "%s %s: must be %s", k->name,
			 srtt_ctl_show(ctx, w), k->range);
		return -ERANGE;
	}
	*value = v;
	return 0;
}

/* "set KEY N"; words[0] is "set". */
static int srtt_ctl_set(struct srtt_ctl_ctx *ctx,
			const struct srtt_ctl_word *words, int n,
			struct srtt_ctl_cmd *c)
{
	const struct srtt_setting *k = NULL;
	size_t i;

	if (n < 2) {
		snprintf(ctx->why, ctx->whylen,
			 "set: missing KEY; usage: set KEY N, KEY one of " SRTT_CTL_KEYS);
		return -EINVAL;
	}
	for (i = 0; i < SRTT_NR_SETTINGS; i++)
		if (srtt_ctl_word_is(&words[1], srtt_settings[i].name))
			k = &srtt_settings[i];
	if (!k) {
		snprintf(ctx->why, ctx->whylen, "unknown key '%s': " SRTT_CTL_KEYS,
			 srtt_ctl_show(ctx, &words[1]));
		return -EINVAL;
	}
	if (n < 3) {
		snprintf(ctx->why, ctx->whylen, "set %s: missing N; must be %s",
			 k->name, k->range);
		return -EINVAL;
	}
	if (n > 3) {
		snprintf(ctx->why, ctx->whylen,
			 "set %s: unexpected '%s' after N; usage: set %s N",
			 k->name, srtt_ctl_show(ctx, &words[3]), k->name);
		return -EINVAL;
	}
	c->verb = SRTT_CTL_SET;
	c->key = SRTT_CTL_KEY_STAMP_PORT + (k - srtt_settings);
	return srtt_ctl_value(ctx, k, &words[2], &c->value);
}

/* A verb without arguments: @verb alone, or why not */
static int srtt_ctl_bare(struct srtt_ctl_ctx *ctx,
			 const struct srtt_ctl_word *words, int n,
			 const char *verb)
{
	if (n == 1)
		return 0;
	snprintf(ctx->why, ctx->whylen, "%s: unexpected '%s'; %s takes no arguments",
		 verb, srtt_ctl_show(ctx, &words[1]), verb);
	return -EINVAL;
}

/* The stages one item of a list names: a stage, or a set; 0 for none */
static u32 srtt_ctl_stage_item(const struct srtt_ctl_word *item)
{
	unsigned int st;

	if (srtt_ctl_word_is(item, "default"))
		return SRTT_STAGES_DEFAULT;
	if (srtt_ctl_word_is(item, "all"))
		return SRTT_STAGES_ALL;
	for (st = 0; st < __SRTT_STAGE_MAX; st++)
		if (srtt_ctl_word_is(item, srtt_stage_name(st)))
			return 1U << st;
	return 0;
}

/*
 * Stage names joined by ',' into *@stages; a set's name stands for its
 * stages ("default,tx_nf_egress")
 */
static int srtt_ctl_stages(struct srtt_ctl_ctx *ctx,
			   const struct srtt_ctl_word *w, u32 *stages)
{
	struct srtt_ctl_word item;
	size_t i = 0, start;
	u32 set = 0, one;

	while (i <= w->len) {
		start = i;
		while (i < w->len && w->p[i] != ',')
			i++;
		item.p = w->p + start;
		item.len = i - start;
		i++;
		one = srtt_ctl_stage_item(&item);
		if (!one) {
			snprintf(ctx->why, ctx->whylen,
				 "attach: stages: '%s' is no stage; " SRTT_CTL_STAGES,
				 item.len ? srtt_ctl_show(ctx, &item) : "");
			return -EINVAL;
		}
		set |= one;
	}
	*stages = set;
	return 0;
}

/*
 * "attach IFNAME [stages LIST]", "detach IFNAME"; words[0] is the verb.
 * An attach without a list gets the default set.
 */
static int srtt_ctl_dev(struct srtt_ctl_ctx *ctx,
			const struct srtt_ctl_word *words, int n,
			enum srtt_ctl_verb verb, struct srtt_ctl_cmd *c)
{
	bool attach = verb == SRTT_CTL_ATTACH;
	const char *name = attach ? "attach" : "detach";
	const char *usage = attach ? " [stages LIST]" : "";
	int err;

	if (n < 2) {
		snprintf(ctx->why, ctx->whylen,
			 "%s: missing IFNAME; usage: %s IFNAME%s", name, name,
			 usage);
		return -EINVAL;
	}
	if (n == 3 && attach && srtt_ctl_word_is(&words[2], "stages")) {
		snprintf(ctx->why, ctx->whylen,
			 "attach: stages: missing LIST; " SRTT_CTL_STAGES);
		return -EINVAL;
	}
	if (n > 2 && (!attach || n > 4 ||
		      !srtt_ctl_word_is(&words[2], "stages"))) {
		snprintf(ctx->why, ctx->whylen,
			 "%s: unexpected '%s' after IFNAME; usage: %s IFNAME%s",
			 name, srtt_ctl_show(ctx, &words[n > 4 &&
				srtt_ctl_word_is(&words[2], "stages") ? 4 : 2]),
			 name, usage);
		return -EINVAL;
	}
	c->verb = verb;
	c->stages = SRTT_STAGES_DEFAULT;
	err = srtt_ctl_ifname(ctx, &words[1], c->ifname);
	if (!err && n == 4)
		err = srtt_ctl_stages(ctx, &words[3], &c->stages);
	return err;
}

/**
 * srtt_ctl_parse - parse one control command
 * @buf: the bytes written; need not be NUL-terminated, not read at all
 *	when @len > SRTT_CTL_MAX_LEN
 * @len: number of bytes in @buf
 * @cmd: the command, written only on success
 * @why: receives a NUL-terminated message naming what was wrong and what
 *	is accepted (empty on success); may be NULL if @whylen is 0
 * @whylen: size of @why; SRTT_CTL_WHY_LEN holds every message
 *
 * Return: 0; -E2BIG if @len > SRTT_CTL_MAX_LEN; -ERANGE if a value is out
 * of range; -EINVAL for anything else wrong. On error *@cmd is untouched.
 */
int srtt_ctl_parse(const char *buf, size_t len, struct srtt_ctl_cmd *cmd,
		   char *why, size_t whylen)
{
	struct srtt_ctl_word words[SRTT_CTL_MAX_WORDS];
	struct srtt_ctl_cmd c = { 0 };
	struct srtt_ctl_ctx ctx;
	const char *bad;
	int n, err;

	ctx.why = why;
	ctx.whylen = whylen < SRTT_CTL_WHY_LEN ? whylen : SRTT_CTL_WHY_LEN;
	if (ctx.whylen)
		why[0] = '\0';

	if (len > SRTT_CTL_MAX_LEN) {
		snprintf(ctx.why, ctx.whylen,
			 "command is %zu bytes: at most %d, trailing newline included",
			 len, SRTT_CTL_MAX_LEN);
		return -E2BIG;
	}
	bad = len ? memchr(buf, '\0', len) : NULL;
	if (bad) {
		snprintf(ctx.why, ctx.whylen,
			 "NUL byte at offset %zu: commands are text",
			 (size_t)(bad - buf));
		return -EINVAL;
	}
	if (len && buf[len - 1] == '\n')
		len--;
	bad = len ? memchr(buf, '\n', len) : NULL;
	if (bad) {
		snprintf(ctx.why, ctx.whylen,
			 "newline at offset %zu: one command per write, newline only at the end",
			 (size_t)(bad - buf));
		return -EINVAL;
	}

	n = srtt_ctl_split(buf, len, words, SRTT_CTL_MAX_WORDS);
	if (!n) {
		snprintf(ctx.why, ctx.whylen, "empty command; usage: " SRTT_CTL_USAGE);
		return -EINVAL;
	}

	if (srtt_ctl_word_is(&words[0], "attach")) {
		err = srtt_ctl_dev(&ctx, words, n, SRTT_CTL_ATTACH, &c);
	} else if (srtt_ctl_word_is(&words[0], "detach")) {
		err = srtt_ctl_dev(&ctx, words, n, SRTT_CTL_DETACH, &c);
	} else if (srtt_ctl_word_is(&words[0], "set")) {
		err = srtt_ctl_set(&ctx, words, n, &c);
	} else if (srtt_ctl_word_is(&words[0], "reset")) {
		err = srtt_ctl_bare(&ctx, words, n, "reset");
		c.verb = SRTT_CTL_RESET;
	} else if (srtt_ctl_word_is(&words[0], "detach-all")) {
		err = srtt_ctl_bare(&ctx, words, n, "detach-all");
		c.verb = SRTT_CTL_DETACH_ALL;
	} else {
		snprintf(ctx.why, ctx.whylen, "unknown command '%s': " SRTT_CTL_USAGE,
			 srtt_ctl_show(&ctx, &words[0]));
		err = -EINVAL;
	}
	if (err)
		return err;

	*cmd = c;
	return 0;
}
