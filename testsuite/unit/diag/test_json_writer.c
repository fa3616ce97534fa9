/*
 * test_json_writer.c - the JSON writer: structure, pretty printing, RFC 8259 string
 * escaping and the replacement of ill-formed UTF-8 by U+FFFD (one per maximal
 * ill-formed subsequence), and the errors it reports for misuse.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag/json_writer.h"

struct mem {
	FILE *fp;
	char *buf;
	size_t len;
};

static struct json_writer *mem_open(struct mem *m, struct json_writer *w, bool pretty)
{
	m->buf = NULL;
	m->fp = open_memstream(&m->buf, &m->len);
	ck_assert_ptr_nonnull(m->fp);
	json_writer_init(w, m->fp, pretty);
	return w;
}

static void mem_close(struct mem *m)
{
	ck_assert_int_eq(fclose(m->fp), 0);
}

/* The escaped form of `len` bytes. */
static char *escaped(const char *s, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);

	ck_assert_ptr_nonnull(fp);
	json_write_escaped(fp, s, len);
	ck_assert_int_eq(fclose(fp), 0);
	return buf;
}

#define ck_escape(in, want)                                                                        \
	do {                                                                                       \
		char *got_ = escaped(in, sizeof(in) - 1);                                          \
		ck_assert_str_eq(got_, want);                                                      \
		free(got_);                                                                        \
	} while (0)

START_TEST(compact_document)
{
	struct mem m;
	struct json_writer w, *jw = mem_open(&m, &w, false);

	json_begin_object(jw);
	json_key(jw, "a");
	json_uint(jw, 18446744073709551615ull);
	json_key(jw, "b");
	json_begin_array(jw);
	json_bool(jw, true);
	json_string(jw, "x");
	json_int(jw, -3);
	json_bool(jw, false);
	json_end_array(jw);
	json_key(jw, "c");
	json_begin_object(jw);
	json_end_object(jw);
	json_key(jw, "d");
	json_begin_array(jw);
	json_end_array(jw);
	json_member_string_opt(jw, "absent", NULL);
	json_member_uint_opt(jw, "zero", 0);
	json_member_int_opt(jw, "negative", -1);
	json_member_int_opt(jw, "insn", 0);
	json_member_uint_opt(jw, "line", 7);
	json_member_string(jw, "null_string", NULL);
	json_end_object(jw);
	ck_assert_int_eq(json_writer_finish(jw), 0);
	mem_close(&m);
	ck_assert_str_eq(m.buf, "{\"a\":18446744073709551615,\"b\":[true,\"x\",-3,false],\"c\":{},"
	                        "\"d\":[],\"insn\":0,\"line\":7,\"null_string\":\"\"}\n");
	free(m.buf);
}
END_TEST

START_TEST(pretty_document)
{
	struct mem m;
	struct json_writer w, *jw = mem_open(&m, &w, true);

	json_begin_object(jw);
	json_member_string(jw, "k", "v");
	json_key(jw, "list");
	json_begin_array(jw);
	json_uint(jw, 1);
	json_begin_object(jw);
	json_member_string(jw, "x", "y");
	json_end_object(jw);
	json_begin_array(jw);
	json_end_array(jw);
	json_end_array(jw);
	json_key(jw, "empty");
	json_begin_object(jw);
	json_end_object(jw);
	json_end_object(jw);
	ck_assert_int_eq(json_writer_finish(jw), 0);
	mem_close(&m);
	ck_assert_str_eq(m.buf, "{\n"
	                        "  \"k\": \"v\",\n"
	                        "  \"list\": [\n"
	                        "    1,\n"
	                        "    {\n"
	                        "      \"x\": \"y\"\n"
	                        "    },\n"
	                        "    []\n"
	                        "  ],\n"
	                        "  \"empty\": {}\n"
	                        "}\n");
	free(m.buf);
}
END_TEST

START_TEST(escape_specials)
{
	ck_escape("plain text", "plain text");
	ck_escape("\"quoted\" \\back\\", "\\\"quoted\\\" \\\\back\\\\");
	ck_escape("\b\f\n\r\t", "\\b\\f\\n\\r\\t");
	ck_escape("\x01\x1f\x7f", "\\u0001\\u001f\x7f");
	ck_escape("a\0b", "a\\u0000b");
	ck_escape("/", "/");
}
END_TEST

START_TEST(escape_valid_utf8)
{
	/* two-, three- and four-byte sequences, and the extremes of each range */
	ck_escape("caf\xc3\xa9", "caf\xc3\xa9");
	ck_escape("\xe2\x82\xac", "\xe2\x82\xac");
	ck_escape("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");
	ck_escape("\xc2\x80\xdf\xbf", "\xc2\x80\xdf\xbf");
	ck_escape("\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf",
	          "\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf");
	ck_escape("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf");
	ck_escape("\xe2\x80\xa8", "\xe2\x80\xa8"); /* U+2028 is valid JSON as it is */
}
END_TEST

START_TEST(escape_invalid_utf8)
{
	ck_escape("\xff", "\\ufffd");
	ck_escape("a\x80z", "a\\ufffdz");                              /* lone continuation */
	ck_escape("\xc3", "\\ufffd");                                  /* truncated at end */
	ck_escape("\xe2\x82", "\\ufffd");                              /* one maximal subpart */
	ck_escape("\xe2\x82x", "\\ufffdx");                            /* cut by ASCII */
	ck_escape("\xf0\x9f\x98", "\\ufffd");                          /* truncated 4-byte */
	ck_escape("\xc0\xaf", "\\ufffd\\ufffd");                       /* overlong '/' */
	ck_escape("\xc1\xbf", "\\ufffd\\ufffd");                       /* overlong */
	ck_escape("\xe0\x80\xaf", "\\ufffd\\ufffd\\ufffd");            /* overlong 3-byte */
	ck_escape("\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd");            /* surrogate D800 */
	ck_escape("\xf0\x80\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd"); /* overlong 4-byte */
	ck_escape("\xf4\x90\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd"); /* above U+10FFFF */
	ck_escape("\xf5\x80", "\\ufffd\\ufffd");                       /* never a lead byte */
	ck_escape("\xc3\xc3\xa9", "\\ufffd\xc3\xa9");                  /* bad then good */
	ck_escape("\xe2\x82\xac\xe2", "\xe2\x82\xac\\ufffd");          /* good then cut */
}
END_TEST

START_TEST(string_with_nul_and_key_escaping)
{
	struct mem m;
	struct json_writer w, *jw = mem_open(&m, &w, false);

	json_begin_object(jw);
	json_key(jw, "a\"b");
	json_string_len(jw, "x\0y", 3);
	json_end_object(jw);
	ck_assert_int_eq(json_writer_finish(jw), 0);
	mem_close(&m);
	ck_assert_str_eq(m.buf, "{\"a\\\"b\":\"x\\u0000y\"}\n");
	free(m.buf);
}
END_TEST

START_TEST(misuse_is_reported)
{
	struct mem m;
	struct json_writer w, *jw;

	/* unbalanced */
	jw = mem_open(&m, &w, false);
	json_begin_array(jw);
	ck_assert_int_eq(json_writer_finish(jw), -EINVAL);
	mem_close(&m);
	free(m.buf);

	/* end without begin */
	jw = mem_open(&m, &w, false);
	json_end_object(jw);
	ck_assert_int_eq(json_writer_finish(jw), -EINVAL);
	mem_close(&m);
	free(m.buf);

	/* key outside an object, then a dangling key */
	jw = mem_open(&m, &w, false);
	json_key(jw, "k");
	ck_assert_int_eq(json_writer_finish(jw), -EINVAL);
	mem_close(&m);
	free(m.buf);

	jw = mem_open(&m, &w, false);
	json_begin_object(jw);
	json_key(jw, "k");
	json_end_object(jw);
	ck_assert_int_eq(json_writer_finish(jw), -EINVAL);
	mem_close(&m);
	free(m.buf);

	/* two top-level values */
	jw = mem_open(&m, &w, false);
	json_uint(jw, 1);
	json_uint(jw, 2);
	ck_assert_int_eq(json_writer_finish(jw), -EINVAL);
	mem_close(&m);
	free(m.buf);

	/* too deep */
	jw = mem_open(&m, &w, false);
	for (int i = 0; i < JSON_MAX_DEPTH + 2; i++)
		json_begin_array(jw);
	ck_assert_int_eq(json_writer_finish(jw), -E2BIG);
	mem_close(&m);
	free(m.buf);

	/* the deepest allowed nesting is fine */
	jw = mem_open(&m, &w, false);
	for (int i = 0; i < JSON_MAX_DEPTH - 1; i++)
		json_begin_array(jw);
	for (int i = 0; i < JSON_MAX_DEPTH - 1; i++)
		json_end_array(jw);
	ck_assert_int_eq(json_writer_finish(jw), 0);
	mem_close(&m);
	free(m.buf);
}
END_TEST

START_TEST(write_error_is_reported)
{
	FILE *fp = fopen("/dev/full", "w");
	struct json_writer w;

	ck_assert_ptr_nonnull(fp);
	setvbuf(fp, NULL, _IONBF, 0);
	json_writer_init(&w, fp, false);
	json_begin_object(&w);
	json_member_string(&w, "k", "v");
	json_end_object(&w);
	ck_assert_int_eq(json_writer_finish(&w), -EIO);
	fclose(fp);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("json_writer");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, compact_document);
	tcase_add_test(tc, pretty_document);
	tcase_add_test(tc, escape_specials);
	tcase_add_test(tc, escape_valid_utf8);
	tcase_add_test(tc, escape_invalid_utf8);
	tcase_add_test(tc, string_with_nul_and_key_escaping);
	tcase_add_test(tc, misuse_is_reported);
	tcase_add_test(tc, write_error_is_reported);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
