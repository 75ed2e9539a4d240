// SPDX-License-Identifier: GPL-2.0
/* sriov-rtt: the text/JSON writer (lib/json.c). */

#include <inttypes.h>

#include "util.h"

/* srtt_json_string() of @s, as a string (free it). */
static char *escaped(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	srtt_json_string(f, s);
	fclose(f);
	return buf;
}

#define EXPECT_ESCAPED(in, want) do {		\
	char *__e = escaped(in);		\
	KTAP_EXPECT_STR(__e, want);		\
	free(__e);				\
} while (0)

static void test_escape_quote_backslash(void)
{
	EXPECT_ESCAPED("a\"b", "\"a\\\"b\"");
	EXPECT_ESCAPED("a\\b", "\"a\\\\b\"");
	EXPECT_ESCAPED("\"\\\"", "\"\\\"\\\\\\\"\"");
	EXPECT_ESCAPED("/", "\"/\"");
}

static void test_escape_control(void)
{
	EXPECT_ESCAPED("\x01", "\"\\u0001\"");
	EXPECT_ESCAPED("a\nb", "\"a\\nb\"");
	EXPECT_ESCAPED("\t", "\"\\t\"");
	EXPECT_ESCAPED("\r\b\f", "\"\\r\\b\\f\"");
	EXPECT_ESCAPED("\x1f\x7f", "\"\\u001f\x7f\"");
}

static void test_escape_empty(void)
{
	EXPECT_ESCAPED("", "\"\"");
	EXPECT_ESCAPED(NULL, "\"\"");
}

static void test_utf8(void)
{
	/* valid UTF-8 passes through: é, €, U+1F600, U+10FFFF */
	EXPECT_ESCAPED("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf",
		       "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\"");
	/* a stray continuation byte, 0xff, an overlong '/', a surrogate,
	 * a cut sequence, and above U+10FFFF all become U+FFFD
	 */
	EXPECT_ESCAPED("\x80", "\"\\ufffd\"");
	EXPECT_ESCAPED("a\xff" "b", "\"a\\ufffdb\"");
	EXPECT_ESCAPED("\xc0\xaf", "\"\\ufffd\\ufffd\"");
	EXPECT_ESCAPED("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
	EXPECT_ESCAPED("\xe2\x82", "\"\\ufffd\\ufffd\"");
	EXPECT_ESCAPED("\xf4\x90\x80\x80",
		       "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
}

static void test_numbers(void)
{
	struct srtt_mem m;
	struct srtt_out *o = srtt_mem_begin(&m, true, false);
	char *s;

	srtt_open_object(o, NULL);
	srtt_print_u64(o, SRTT_PK_ANY, "max", "%" PRIu64, UINT64_MAX);
	srtt_print_u64(o, SRTT_PK_ANY, "zero", "%" PRIu64, 0);
	srtt_print_s64(o, SRTT_PK_ANY, "min", "%" PRId64, INT64_MIN);
	srtt_print_s64(o, SRTT_PK_ANY, "neg", "%" PRId64, -1);
	srtt_close_object(o);
	s = srtt_mem_end(&m);
	KTAP_EXPECT_STR(s, "{\"max\":18446744073709551615,\"zero\":0,"
			   "\"min\":-9223372036854775808,\"neg\":-1}\n");
	free(s);
}

/* One set of print calls, used for both outputs. */
static void emit(struct srtt_out *o)
{
	srtt_open_array(o, NULL);
	srtt_open_object(o, NULL);
	srtt_print_string(o, SRTT_PK_ANY, "ifname", "%s:", "eth\"0");
	srtt_print_u64(o, SRTT_PK_JSON, "ifindex", NULL, 4);
	srtt_print_u64(o, SRTT_PK_ANY, "numvfs", " vfs %" PRIu64, 2);
	srtt_print_u64(o, SRTT_PK_ANY, "totalvfs", "/%" PRIu64, 7);
	srtt_print_on_off(o, SRTT_PK_ANY, "trust", " trust %s", false);
	srtt_print_bool(o, SRTT_PK_ANY, "attached", " %s", true, "attached",
			"not attached");
	srtt_print_null(o, SRTT_PK_ANY, "pf", " pf %s",
			"not in this namespace");
	srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s", " (text only)");
	srtt_print_nl(o);
	srtt_open_array(o, "vfs");
	srtt_open_object(o, NULL);
	srtt_print_u64(o, SRTT_PK_ANY, "vf", "    vf %" PRIu64, 0);
	srtt_print_string(o, SRTT_PK_ANY, "mac", " mac %s",
			  "02:00:00:00:05:10");
	srtt_close_object(o);
	srtt_print_nl(o);
	srtt_close_array(o);
	srtt_close_object(o);
	srtt_close_array(o);
}

static void test_text_json_pair(void)
{
	struct srtt_mem m;
	char *s;

	emit(srtt_mem_begin(&m, false, false));
	s = srtt_mem_end(&m);
	KTAP_EXPECT_STR(s,
		"eth\"0: vfs 2/7 trust off attached pf not in this namespace (text only)\n"
		"    vf 0 mac 02:00:00:00:05:10\n");
	free(s);

	emit(srtt_mem_begin(&m, true, false));
	s = srtt_mem_end(&m);
	KTAP_EXPECT_STR(s,
		"[{\"ifname\":\"eth\\\"0\",\"ifindex\":4,\"numvfs\":2,"
		"\"totalvfs\":7,\"trust\":false,\"attached\":true,\"pf\":null,"
		"\"vfs\":[{\"vf\":0,\"mac\":\"02:00:00:00:05:10\"}]}]\n");
	free(s);
}

static void test_pretty_nesting(void)
{
	struct srtt_mem m;
	char *s;

	emit(srtt_mem_begin(&m, true, true));
	s = srtt_mem_end(&m);
	KTAP_EXPECT_STR(s,
		"[\n"
		"  {\n"
		"    \"ifname\": \"eth\\\"0\",\n"
		"    \"ifindex\": 4,\n"
		"    \"numvfs\": 2,\n"
		"    \"totalvfs\": 7,\n"
		"    \"trust\": false,\n"
		"    \"attached\": true,\n"
		"    \"pf\": null,\n"
		"    \"vfs\": [\n"
		"      {\n"
		"        \"vf\": 0,\n"
		"        \"mac\": \"02:00:00:00:05:10\"\n"
		"      }\n"
		"    ]\n"
		"  }\n"
		"]\n");
	free(s);
}

static void test_empty_containers(void)
{
	struct srtt_mem m;
	struct srtt_out *o;
	char *s;

	o = srtt_mem_begin(&m, true, true);
	srtt_open_array(o, NULL);
	srtt_close_array(o);
	srtt_open_object(o, NULL);
	srtt_open_array(o, "stages");
	srtt_close_array(o);
	srtt_close_object(o);
	s = srtt_mem_end(&m);
	KTAP_EXPECT_STR(s, "[]\n{\n  \"stages\": []\n}\n");
	free(s);

	/* text: containers print nothing */
	o = srtt_mem_begin(&m, false, false);
	srtt_open_array(o, NULL);
	srtt_close_array(o);
	s = srtt_mem_end(&m);
	KTAP_EXPECT_STR(s, "");
	free(s);
}

/* Top-level values are documents of their own: JSON lines. */
static void test_json_lines(void)
{
	struct srtt_mem m;
	struct srtt_out *o = srtt_mem_begin(&m, true, false);
	char *s;
	int i;

	for (i = 0; i < 2; i++) {
		srtt_open_object(o, NULL);
		srtt_print_u64(o, SRTT_PK_ANY, "lost", "lost %" PRIu64,
			       (uint64_t)i);
		srtt_close_object(o);
		srtt_print_nl(o);
	}
	s = srtt_mem_end(&m);
	KTAP_EXPECT_STR(s, "{\"lost\":0}\n{\"lost\":1}\n");
	free(s);
}

/* Keys are escaped too, and a missing key in an object is "". */
static void test_keys(void)
{
	struct srtt_mem m;
	struct srtt_out *o = srtt_mem_begin(&m, true, false);
	char *s;

	srtt_open_object(o, NULL);
	srtt_print_string(o, SRTT_PK_ANY, "a\"\n", NULL, "\t");
	srtt_print_string(o, SRTT_PK_ANY, NULL, NULL, "x");
	srtt_close_object(o);
	s = srtt_mem_end(&m);
	KTAP_EXPECT_STR(s, "{\"a\\\"\\n\":\"\\t\",\"\":\"x\"}\n");
	free(s);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_escape_quote_backslash),
	KTAP_CASE(test_escape_control),
	KTAP_CASE(test_escape_empty),
	KTAP_CASE(test_utf8),
	KTAP_CASE(test_numbers),
	KTAP_CASE(test_text_json_pair),
	KTAP_CASE(test_pretty_nesting),
	KTAP_CASE(test_empty_containers),
	KTAP_CASE(test_json_lines),
	KTAP_CASE(test_keys),
};

int main(void)
{
	return KTAP_RUN(cases);
}
