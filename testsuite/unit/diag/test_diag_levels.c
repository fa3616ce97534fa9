/*
 * test_diag_levels.c - counting and the warning options: -Werror, -w, -Werror=<rule>,
 * -Wno-error=<rule>, -Wno-<rule>; notes never count, errors cannot be suppressed (unless
 * --verify=warn turned them into warnings); and the sink's argument checks (NULL sink, bad
 * level, bad rule).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"

static void emit_set(struct diag_sink *sink)
{
	diag_errorf(sink, "e1", NULL, "error one");
	diag_warnf(sink, "w1", NULL, "warning one");
	diag_warnf(sink, "w2", NULL, "warning two");
	diag_warnf(sink, NULL, NULL, "warning without rule");
	diag_notef(sink, NULL, "a note");
}

START_TEST(plain_counts)
{
	struct capture c;

	capture_open(&c, DIAG_FORMAT_TEXT);
	ck_assert_uint_eq(diag_error_count(c.sink), 0);
	ck_assert_uint_eq(diag_warning_count(c.sink), 0);
	emit_set(c.sink);
	ck_assert_uint_eq(diag_error_count(c.sink), 1);
	ck_assert_uint_eq(diag_warning_count(c.sink), 3);
	ck_assert_str_eq(capture_close(&c), "bpfcc: error: error one [e1]\n"
	                                    "bpfcc: warning: warning one [-Ww1]\n"
	                                    "bpfcc: warning: warning two [-Ww2]\n"
	                                    "bpfcc: warning: warning without rule\n"
	                                    "bpfcc: note: a note\n");
	capture_free(&c);
}
END_TEST

START_TEST(werror_promotes_every_warning)
{
	struct capture c;

	capture_open(&c, DIAG_FORMAT_TEXT);
	diag_sink_set_werror(c.sink, true);
	emit_set(c.sink);
	ck_assert_uint_eq(diag_error_count(c.sink), 4);
	ck_assert_uint_eq(diag_warning_count(c.sink), 0);
	ck_assert_str_eq(capture_close(&c), "bpfcc: error: error one [e1]\n"
	                                    "bpfcc: error: warning one [-Werror,-Ww1]\n"
	                                    "bpfcc: error: warning two [-Werror,-Ww2]\n"
	                                    "bpfcc: error: warning without rule\n"
	                                    "bpfcc: note: a note\n");
	capture_free(&c);
}
END_TEST

START_TEST(no_warnings_drops_warnings_only)
{
	struct capture c;

	capture_open(&c, DIAG_FORMAT_TEXT);
	diag_sink_set_no_warnings(c.sink, true);
	diag_sink_set_werror(c.sink, true); /* -w wins over -Werror, as in gcc */
	emit_set(c.sink);
	ck_assert_uint_eq(diag_error_count(c.sink), 1);
	ck_assert_uint_eq(diag_warning_count(c.sink), 0);
	ck_assert_str_eq(capture_close(&c), "bpfcc: error: error one [e1]\n"
	                                    "bpfcc: note: a note\n");
	capture_free(&c);
}
END_TEST

START_TEST(errors_as_warnings)
{
	struct capture c;

	/* --verify=warn: errors with a rule are warnings; tool errors stay errors */
	capture_open(&c, DIAG_FORMAT_TEXT);
	diag_sink_set_errors_as_warnings(c.sink, true);
	emit_set(c.sink);
	diag_errorf(c.sink, NULL, NULL, "tool error");
	ck_assert_uint_eq(diag_error_count(c.sink), 1);
	ck_assert_uint_eq(diag_warning_count(c.sink), 4);
	ck_assert_str_eq(capture_close(&c), "bpfcc: warning: error one [-We1]\n"
	                                    "bpfcc: warning: warning one [-Ww1]\n"
	                                    "bpfcc: warning: warning two [-Ww2]\n"
	                                    "bpfcc: warning: warning without rule\n"
	                                    "bpfcc: note: a note\n"
	                                    "bpfcc: error: tool error\n");
	capture_free(&c);

	/* then -Werror=<rule> / -Werror make it an error again, -Wno-<rule> hides it */
	capture_open(&c, DIAG_FORMAT_TEXT);
	diag_sink_set_errors_as_warnings(c.sink, true);
	diag_sink_set_rule_level(c.sink, "e1", DIAG_ERROR, false);
	diag_sink_set_rule_level(c.sink, "e2", DIAG_WARNING, true);
	diag_errorf(c.sink, "e1", NULL, "one");
	diag_errorf(c.sink, "e2", NULL, "two");
	diag_sink_set_werror(c.sink, true);
	diag_errorf(c.sink, "e3", NULL, "three");
	diag_sink_set_errors_as_warnings(c.sink, false);
	diag_errorf(c.sink, "e2", NULL, "two again"); /* off: never suppressed */
	ck_assert_uint_eq(diag_error_count(c.sink), 3);
	ck_assert_uint_eq(diag_warning_count(c.sink), 0);
	ck_assert_str_eq(capture_close(&c), "bpfcc: error: one [-Werror,-We1]\n"
	                                    "bpfcc: error: three [-Werror,-We3]\n"
	                                    "bpfcc: error: two again [e2]\n");
	capture_free(&c);
}
END_TEST

START_TEST(rule_levels)
{
	struct capture c;

	capture_open(&c, DIAG_FORMAT_TEXT);
	/* -Werror=w1 -Wno-w2 -w: w1 is still an error, w2 gone, the rest dropped by -w */
	ck_assert_int_eq(diag_sink_set_rule_level(c.sink, "w1", DIAG_ERROR, false), 0);
	ck_assert_int_eq(diag_sink_set_rule_level(c.sink, "w2", DIAG_WARNING, true), 0);
	diag_sink_set_no_warnings(c.sink, true);
	emit_set(c.sink);
	ck_assert_uint_eq(diag_error_count(c.sink), 2);
	ck_assert_uint_eq(diag_warning_count(c.sink), 0);
	ck_assert_str_eq(capture_close(&c), "bpfcc: error: error one [e1]\n"
	                                    "bpfcc: error: warning one [-Werror,-Ww1]\n"
	                                    "bpfcc: note: a note\n");
	capture_free(&c);
}
END_TEST

START_TEST(no_error_rule_under_werror)
{
	struct capture c;

	capture_open(&c, DIAG_FORMAT_TEXT);
	diag_sink_set_werror(c.sink, true);
	ck_assert_int_eq(diag_sink_set_rule_level(c.sink, "w2", DIAG_WARNING, false), 0);
	emit_set(c.sink);
	ck_assert_uint_eq(diag_error_count(c.sink), 3);
	ck_assert_uint_eq(diag_warning_count(c.sink), 1);
	ck_assert_str_eq(capture_close(&c), "bpfcc: error: error one [e1]\n"
	                                    "bpfcc: error: warning one [-Werror,-Ww1]\n"
	                                    "bpfcc: warning: warning two [-Ww2]\n"
	                                    "bpfcc: error: warning without rule\n"
	                                    "bpfcc: note: a note\n");
	capture_free(&c);
}
END_TEST

START_TEST(suppression_by_note_level_and_last_setting_wins)
{
	struct capture c;
	struct diag note = {.level = DIAG_NOTE, .rule = "w1", .message = "rule note", .insn = -1};

	capture_open(&c, DIAG_FORMAT_TEXT);
	/* level DIAG_NOTE means suppressed even when suppress is false */
	ck_assert_int_eq(diag_sink_set_rule_level(c.sink, "w1", DIAG_NOTE, false), 0);
	ck_assert_int_eq(diag_sink_set_rule_level(c.sink, "e1", DIAG_NOTE, true), 0);
	/* set twice: the second setting replaces the first */
	ck_assert_int_eq(diag_sink_set_rule_level(c.sink, "w2", DIAG_ERROR, false), 0);
	ck_assert_int_eq(diag_sink_set_rule_level(c.sink, "w2", DIAG_WARNING, false), 0);
	emit_set(c.sink);
	ck_assert_int_eq(diag_emit(c.sink, &note), 0);
	/* errors cannot be suppressed; the note of a suppressed rule goes with it */
	ck_assert_uint_eq(diag_error_count(c.sink), 1);
	ck_assert_uint_eq(diag_warning_count(c.sink), 2);
	ck_assert_str_eq(capture_close(&c), "bpfcc: error: error one [e1]\n"
	                                    "bpfcc: warning: warning two [-Ww2]\n"
	                                    "bpfcc: warning: warning without rule\n"
	                                    "bpfcc: note: a note\n");
	capture_free(&c);
}
END_TEST

START_TEST(counts_do_not_depend_on_format)
{
	enum diag_format formats[] = {DIAG_FORMAT_TEXT, DIAG_FORMAT_JSON, DIAG_FORMAT_SARIF};

	for (unsigned i = 0; i < 3; i++) {
		struct capture c;

		capture_open(&c, formats[i]);
		ck_assert_int_eq(diag_sink_set_rule_level(c.sink, "w1", DIAG_ERROR, false), 0);
		emit_set(c.sink);
		emit_set(c.sink);
		ck_assert_uint_eq(diag_error_count(c.sink), 4);
		ck_assert_uint_eq(diag_warning_count(c.sink), 4);
		capture_close(&c);
		capture_free(&c);
	}
}
END_TEST

START_TEST(argument_checks)
{
	struct capture c;
	struct diag bad = {.level = (enum diag_level)7, .message = "x", .insn = -1};
	struct diag ok = {.level = DIAG_ERROR, .message = NULL, .insn = -1};

	ck_assert_ptr_null(diag_sink_new(NULL, DIAG_FORMAT_TEXT));
	ck_assert_ptr_null(diag_sink_new(stderr, (enum diag_format)9));
	diag_sink_free(NULL);
	ck_assert_int_eq(diag_sink_flush(NULL), -EINVAL);
	ck_assert_int_eq(diag_emit(NULL, &ok), -EINVAL);
	diag_errorf(NULL, "r", NULL, "nothing happens");
	diag_sink_set_color(NULL, true);
	diag_sink_set_tool(NULL, "x");
	diag_sink_set_werror(NULL, true);
	diag_sink_set_no_warnings(NULL, true);
	ck_assert_uint_eq(diag_error_count(NULL), 0);
	ck_assert_uint_eq(diag_warning_count(NULL), 0);
	ck_assert_int_eq(diag_sink_set_rule_level(NULL, "r", DIAG_ERROR, false), -EINVAL);
	ck_assert_int_eq(diag_sink_describe_rule(NULL, "r", "s", NULL), -EINVAL);

	capture_open(&c, DIAG_FORMAT_TEXT);
	ck_assert_int_eq(diag_emit(c.sink, NULL), -EINVAL);
	ck_assert_int_eq(diag_emit(c.sink, &bad), -EINVAL);
	ck_assert_int_eq(diag_sink_set_rule_level(c.sink, NULL, DIAG_ERROR, false), -EINVAL);
	ck_assert_int_eq(diag_sink_set_rule_level(c.sink, "", DIAG_ERROR, false), -EINVAL);
	ck_assert_int_eq(diag_sink_set_rule_level(c.sink, "r", (enum diag_level)5, false), -EINVAL);
	ck_assert_int_eq(diag_sink_describe_rule(c.sink, "r", NULL, NULL), -EINVAL);
	ck_assert_int_eq(diag_sink_describe_rule(c.sink, "r", "s", NULL), 0);
	diag_sink_set_tool(c.sink, NULL);            /* keeps "bpfcc" */
	ck_assert_int_eq(diag_emit(c.sink, &ok), 0); /* NULL message: empty text */
	ck_assert_uint_eq(diag_error_count(c.sink), 1);
	ck_assert_int_eq(diag_sink_flush(c.sink), 0);
	ck_assert_str_eq(capture_close(&c), "bpfcc: error: \n");
	capture_free(&c);
}
END_TEST

START_TEST(write_error_reported_by_flush)
{
	FILE *fp = fopen("/dev/full", "w");
	struct diag_sink *sink;

	ck_assert_ptr_nonnull(fp);
	sink = diag_sink_new(fp, DIAG_FORMAT_JSON);
	ck_assert_ptr_nonnull(sink);
	diag_errorf(sink, "r", NULL, "m");
	ck_assert_int_eq(diag_sink_flush(sink), -EIO);
	diag_sink_free(sink);
	fclose(fp);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("diag_levels");
	TCase *tc = tcase_create("levels");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, plain_counts);
	tcase_add_test(tc, werror_promotes_every_warning);
	tcase_add_test(tc, no_warnings_drops_warnings_only);
	tcase_add_test(tc, errors_as_warnings);
	tcase_add_test(tc, rule_levels);
	tcase_add_test(tc, no_error_rule_under_werror);
	tcase_add_test(tc, suppression_by_note_level_and_last_setting_wins);
	tcase_add_test(tc, counts_do_not_depend_on_format);
	tcase_add_test(tc, argument_checks);
	tcase_add_test(tc, write_error_reported_by_flush);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
