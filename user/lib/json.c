// SPDX-License-Identifier: GPL-2.0
/* sriov-rtt: the one writer behind text and JSON output. */

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "json.h"

void srtt_out_init(struct srtt_out *o, FILE *fp, bool json, bool pretty)
{
	memset(o, 0, sizeof(*o));
	o->fp = fp;
	o->json = json;
	o->pretty = json && pretty;
	o->first[0] = true;
}

/*
 * Length of the valid UTF-8 sequence at @s (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF), or 0 if it is not one.
 */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	/* the second byte has the narrowed range, the others 80..bf */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

void srtt_json_string(FILE *fp, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	size_t n;

	fputc('"', fp);
	while (*s) {
		switch (*s) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\b':
			fputs("\\b", fp);
			break;
		case '\f':
			fputs("\\f", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		default:
			if (*s < 0x20) {
				fprintf(fp, "\\u%04x", *s);
			} else if (*s < 0x80) {
				fputc(*s, fp);
			} else {
				/* valid UTF-8 passes through, a bad byte
				 * becomes U+FFFD so the output stays JSON
				 */
				n = utf8_len(s);
				if (n) {
					fwrite(s, 1, n, fp);
					s += n;
					continue;
				}
				fputs("\\ufffd", fp);
			}
		}
		s++;
	}
	fputc('"', fp);
}

static void indent(struct srtt_out *o)
{
	unsigned int i;

	fputc('\n', o->fp);
	for (i = 0; i < o->depth; i++)
		fputs("  ", o->fp);
}

/* Separator, indent and key before a JSON value. */
static void json_member(struct srtt_out *o, const char *key)
{
	if (!o->depth)
		return;
	if (!o->first[o->depth])
		fputc(',', o->fp);
	o->first[o->depth] = false;
	if (o->pretty)
		indent(o);
	if (o->is_obj[o->depth]) {
		srtt_json_string(o->fp, key ? key : "");
		fputs(o->pretty ? ": " : ":", o->fp);
	}
}

/* A document at depth 0 ends its line. */
static void json_value_end(struct srtt_out *o)
{
	if (!o->depth)
		fputc('\n', o->fp);
}

static void json_open(struct srtt_out *o, const char *key, bool obj)
{
	if (!o->json)
		return;
	json_member(o, key);
	fputc(obj ? '{' : '[', o->fp);
	if (o->depth < SRTT_OUT_DEPTH)
		o->depth++;
	o->first[o->depth] = true;
	o->is_obj[o->depth] = obj;
}

static void json_close(struct srtt_out *o, bool obj)
{
	bool empty;

	if (!o->json || !o->depth)
		return;
	empty = o->first[o->depth];
	o->depth--;
	if (o->pretty && !empty)
		indent(o);
	fputc(obj ? '}' : ']', o->fp);
	json_value_end(o);
}

void srtt_open_object(struct srtt_out *o, const char *key)
{
	json_open(o, key, true);
}

void srtt_close_object(struct srtt_out *o)
{
	json_close(o, true);
}

void srtt_open_array(struct srtt_out *o, const char *key)
{
	json_open(o, key, false);
}

void srtt_close_array(struct srtt_out *o)
{
	json_close(o, false);
}

/* Text: @fmt with one argument, if this call is for text at all. */
static bool text_wanted(const struct srtt_out *o, enum srtt_pk pk,
			const char *fmt)
{
	return !o->json && pk != SRTT_PK_JSON && fmt;
}

static bool json_wanted(const struct srtt_out *o, enum srtt_pk pk)
{
	return o->json && pk != SRTT_PK_TEXT;
}

void srtt_print_string(struct srtt_out *o, enum srtt_pk pk, const char *key,
		       const char *fmt, const char *val)
{
	if (text_wanted(o, pk, fmt)) {
		fprintf(o->fp, fmt, val ? val : "");
	} else if (json_wanted(o, pk)) {
		json_member(o, key);
		srtt_json_string(o->fp, val);
		json_value_end(o);
	}
}

void srtt_print_u64(struct srtt_out *o, enum srtt_pk pk, const char *key,
		    const char *fmt, uint64_t val)
{
	if (text_wanted(o, pk, fmt)) {
		fprintf(o->fp, fmt, val);
	} else if (json_wanted(o, pk)) {
		json_member(o, key);
		fprintf(o->fp, "%" PRIu64, val);
		json_value_end(o);
	}
}

void srtt_print_s64(struct srtt_out *o, enum srtt_pk pk, const char *key,
		    const char *fmt, int64_t val)
{
	if (text_wanted(o, pk, fmt)) {
		fprintf(o->fp, fmt, val);
	} else if (json_wanted(o, pk)) {
		json_member(o, key);
		fprintf(o->fp, "%" PRId64, val);
		json_value_end(o);
	}
}

void srtt_print_bool(struct srtt_out *o, enum srtt_pk pk, const char *key,
		     const char *fmt, bool val, const char *yes, const char *no)
{
	if (text_wanted(o, pk, fmt)) {
		fprintf(o->fp, fmt, val ? yes : no);
	} else if (json_wanted(o, pk)) {
		json_member(o, key);
		fputs(val ? "true" : "false", o->fp);
		json_value_end(o);
	}
}

void srtt_print_on_off(struct srtt_out *o, enum srtt_pk pk, const char *key,
		       const char *fmt, bool val)
{
	srtt_print_bool(o, pk, key, fmt, val, "on", "off");
}

void srtt_print_null(struct srtt_out *o, enum srtt_pk pk, const char *key,
		     const char *fmt, const char *text)
{
	if (text_wanted(o, pk, fmt)) {
		fprintf(o->fp, fmt, text ? text : "");
	} else if (json_wanted(o, pk)) {
		json_member(o, key);
		fputs("null", o->fp);
		json_value_end(o);
	}
}

void srtt_print_nl(struct srtt_out *o)
{
	if (!o->json)
		fputc('\n', o->fp);
}
