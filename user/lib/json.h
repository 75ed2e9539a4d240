/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov-rtt: one output writer for text and JSON (iproute2's json_print
 * shape). Every value goes through one print call that carries both its
 * JSON key and its text format, so the two outputs never drift apart.
 *
 *   text:  the format is printed with the value; keys and nesting are
 *          ignored.
 *   JSON:  key and value are printed, strings escaped per RFC 8259;
 *          formats are ignored. A value at depth 0 is a document of its
 *          own and ends with a newline (JSON lines).
 */
#ifndef _SRTT_JSON_H
#define _SRTT_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Which output a print call is for. */
enum srtt_pk {
	SRTT_PK_ANY,		/* both */
	SRTT_PK_TEXT,		/* text only: labels, headers, padding */
	SRTT_PK_JSON,		/* JSON only: fields text shows elsewhere */
};

#define SRTT_OUT_DEPTH	16	/* deeper nesting is a programming error */

struct srtt_out {
	FILE		*fp;
	bool		json;
	bool		pretty;		/* JSON with newlines and indent */
	unsigned int	depth;
	bool		first[SRTT_OUT_DEPTH + 1];	/* no member yet */
	bool		is_obj[SRTT_OUT_DEPTH + 1];	/* object, not array */
};

void srtt_out_init(struct srtt_out *o, FILE *fp, bool json, bool pretty);

void srtt_open_object(struct srtt_out *o, const char *key);
void srtt_close_object(struct srtt_out *o);
void srtt_open_array(struct srtt_out *o, const char *key);
void srtt_close_array(struct srtt_out *o);

void srtt_print_string(struct srtt_out *o, enum srtt_pk pk, const char *key,
		       const char *fmt, const char *val);
void srtt_print_u64(struct srtt_out *o, enum srtt_pk pk, const char *key,
		    const char *fmt, uint64_t val);
void srtt_print_s64(struct srtt_out *o, enum srtt_pk pk, const char *key,
		    const char *fmt, int64_t val);
/* JSON true/false; text "on"/"off" through @fmt. */
void srtt_print_on_off(struct srtt_out *o, enum srtt_pk pk, const char *key,
		       const char *fmt, bool val);
/* JSON true/false; text @fmt with @val ? @yes : @no. */
void srtt_print_bool(struct srtt_out *o, enum srtt_pk pk, const char *key,
		     const char *fmt, bool val, const char *yes, const char *no);
/* JSON null; text @fmt with @text ("-", "not in this namespace"). */
void srtt_print_null(struct srtt_out *o, enum srtt_pk pk, const char *key,
		     const char *fmt, const char *text);
/* Ends a text line; nothing in JSON. */
void srtt_print_nl(struct srtt_out *o);

/* Writes @s as a JSON string, quotes included. */
void srtt_json_string(FILE *fp, const char *s);

#endif /* _SRTT_JSON_H */
