/*
 * test_diag_json.c - the JSON renderer: the empty document, every member in its order,
 * absent members left out, escaping of message text, levels after -Werror, and a
 * document written once however often the sink is flushed.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"

START_TEST(empty_document)
{
	struct capture c;

	capture_open(&c, DIAG_FORMAT_JSON);
	ck_assert_str_eq(capture_close(&c), "{\"version\":1,\"diagnostics\":[]}\n");
	capture_free(&c);
}
END_TEST

START_TEST(every_member)
{
	struct capture c;
	struct diag_step path[] = {
	    {.loc = {.file = "a.bpf.c", .line = 4, .col = 7}, .insn = 3, .text = "taken"},
	    {.loc = {.file = NULL}, .insn = -1, .text = "fall through"},
	    {.loc = {.file = "a.bpf.c", .line = 5},
	     .insn = 6,
	     .text = "branch taken",
	     .kind = DIAG_STEP_BRANCH_TAKEN,
	     .target = 0},
	    {.insn = 8, .text = "branch not taken", .kind = DIAG_STEP_BRANCH_NOT_TAKEN, .target = 9},
	};
	struct diag d = {
	    .level = DIAG_ERROR,
	    .rule = "verifier-map-bounds",
	    .category = "memory safety",
	    .loc = {.file = "a.bpf.c", .line = 9, .col = 12},
	    .program = "xdp_prog",
	    .section = "xdp",
	    .insn = 0,
	    .message = "out of bounds",
	    .kernel_msg = "invalid access to map value, value_size=8 off=8 size=4",
	    .explanation = "two\nlines",
	    .hint = "check i < 2",
	    .path = path,
	    .path_len = 4,
	};

	capture_open(&c, DIAG_FORMAT_JSON);
	ck_assert_int_eq(diag_emit(c.sink, &d), 0);
	ck_assert_str_eq(capture_close(&c),
	                 "{\"version\":1,\"diagnostics\":[{\"level\":\"error\","
	                 "\"rule\":\"verifier-map-bounds\",\"category\":\"memory safety\","
	                 "\"file\":\"a.bpf.c\",\"line\":9,\"column\":12,\"program\":\"xdp_prog\","
	                 "\"section\":\"xdp\",\"insn\":0,\"message\":\"out of bounds\","
	                 "\"kernel_message\":\"invalid access to map value, value_size=8 off=8 "
	                 "size=4\",\"explanation\":\"two\\nlines\",\"hint\":\"check i < 2\","
	                 "\"path\":[{\"file\":\"a.bpf.c\",\"line\":4,\"column\":7,\"insn\":3,"
	                 "\"text\":\"taken\"},{\"text\":\"fall through\"},{\"file\":\"a.bpf.c\","
	                 "\"line\":5,\"insn\":6,\"branch\":\"taken\",\"target_insn\":0,"
	                 "\"text\":\"branch taken\"},{\"insn\":8,\"branch\":\"not_taken\","
	                 "\"target_insn\":9,\"text\":\"branch not taken\"}]}]}\n");
	capture_free(&c);
}
END_TEST

START_TEST(absent_members_and_levels)
{
	struct capture c;
	struct diag_loc file_only = {.file = "x.o"};
	struct diag_loc no_col = {.file = "x.c", .line = 3};

	capture_open(&c, DIAG_FORMAT_JSON);
	diag_sink_set_werror(c.sink, true);
	diag_errorf(c.sink, NULL, NULL, "tool error");
	diag_warnf(c.sink, "w", &file_only, "promoted");
	diag_notef(c.sink, &no_col, "note");
	ck_assert_uint_eq(diag_error_count(c.sink), 2);
	ck_assert_str_eq(capture_close(&c),
	                 "{\"version\":1,\"diagnostics\":["
	                 "{\"level\":\"error\",\"message\":\"tool error\"},"
	                 "{\"level\":\"error\",\"rule\":\"w\",\"file\":\"x.o\","
	                 "\"message\":\"promoted\"},"
	                 "{\"level\":\"note\",\"file\":\"x.c\",\"line\":3,\"message\":\"note\"}"
	                 "]}\n");
	capture_free(&c);
}
END_TEST

START_TEST(message_escaping)
{
	struct capture c;
	struct diag_loc loc = {.file = "dir\\\"q\".c", .line = 1, .col = 1};

	capture_open(&c, DIAG_FORMAT_JSON);
	diag_errorf(c.sink, "r", &loc, "tab\there \"q\" \x01 bad\xff utf8 \xc3\xa9");
	ck_assert_str_eq(
	    capture_close(&c),
	    "{\"version\":1,\"diagnostics\":[{\"level\":\"error\",\"rule\":\"r\","
	    "\"file\":\"dir\\\\\\\"q\\\".c\",\"line\":1,\"column\":1,"
	    "\"message\":\"tab\\there \\\"q\\\" \\u0001 bad\\ufffd utf8 \xc3\xa9\"}]}\n");
	capture_free(&c);
}
END_TEST

START_TEST(flush_writes_once)
{
	struct capture c;

	capture_open(&c, DIAG_FORMAT_JSON);
	diag_errorf(c.sink, NULL, NULL, "one");
	ck_assert_int_eq(diag_sink_flush(c.sink), 0);
	ck_assert_int_eq(diag_sink_flush(c.sink), 0);
	ck_assert_str_eq(capture_close(&c), "{\"version\":1,\"diagnostics\":[{\"level\":\"error\","
	                                    "\"message\":\"one\"}]}\n");
	capture_free(&c);
}
END_TEST

START_TEST(emitted_strings_are_copied)
{
	struct capture c;
	char msg[16], file[16], step_text[16];
	struct diag_step step = {.loc = {.file = file, .line = 1}, .insn = -1, .text = step_text};
	struct diag d = {.level = DIAG_WARNING,
	                 .message = msg,
	                 .loc = {.file = file, .line = 2},
	                 .insn = -1,
	                 .path = &step,
	                 .path_len = 1};

	strcpy(msg, "original");
	strcpy(file, "f.c");
	strcpy(step_text, "step");
	capture_open(&c, DIAG_FORMAT_JSON);
	ck_assert_int_eq(diag_emit(c.sink, &d), 0);
	strcpy(msg, "changed");
	strcpy(file, "g.c");
	strcpy(step_text, "other");
	ck_assert_str_eq(capture_close(&c),
	                 "{\"version\":1,\"diagnostics\":[{\"level\":\"warning\",\"file\":\"f.c\","
	                 "\"line\":2,\"message\":\"original\",\"path\":[{\"file\":\"f.c\","
	                 "\"line\":1,\"text\":\"step\"}]}]}\n");
	capture_free(&c);
}
END_TEST

START_TEST(many_findings)
{
	struct capture c;
	const char *out;
	unsigned n = 0;

	capture_open(&c, DIAG_FORMAT_JSON);
	for (int i = 0; i < 1000; i++)
		diag_warnf(c.sink, "w", NULL, "finding %d", i);
	ck_assert_uint_eq(diag_warning_count(c.sink), 1000);
	out = capture_close(&c);
	for (const char *p = out; (p = strstr(p, "\"level\":\"warning\"")) != NULL; p++)
		n++;
	ck_assert_uint_eq(n, 1000);
	ck_assert_ptr_nonnull(strstr(out, "{\"level\":\"warning\",\"rule\":\"w\","
	                                  "\"message\":\"finding 999\"}]}\n"));
	capture_free(&c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("diag_json");
	TCase *tc = tcase_create("json");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, empty_document);
	tcase_add_test(tc, every_member);
	tcase_add_test(tc, absent_members_and_levels);
	tcase_add_test(tc, message_escaping);
	tcase_add_test(tc, flush_writes_once);
	tcase_add_test(tc, emitted_strings_are_copied);
	tcase_add_test(tc, many_findings);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
