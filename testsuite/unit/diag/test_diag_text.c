/*
 * test_diag_text.c - the text renderer: gcc-style first line in each location form, the
 * source line and caret (tabs, UTF-8, CRLF, column past the end, missing file or line),
 * the verifier detail in the kernel's order (category, reason, at, causal path,
 * suggestion), rule brackets by level, and the colour escapes when colour is on.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"

static const char *src_path;

/* A source file with a tab-indented line, a UTF-8 line and a CRLF line. */
static const char source[] = "int x;\n"                                  /* 1 */
                             "\tint y = x + 1;\n"                        /* 2 */
                             "char *s = \"\xc3\xa9t\xc3\xa9\"; int z;\n" /* 3 */
                             "crlf line;\r\n"                            /* 4 */
                             "\n"                                        /* 5 */
                             "last";                                     /* 6, no newline */

static void setup(void)
{
	src_path = scratch_file(0, "prog.bpf.c", source);
}

/* The expected output with "@" standing for the scratch source path. */
static char *expect(const char *pattern)
{
	size_t n = 1;
	char *buf, *p;

	for (const char *q = pattern; *q; q++)
		n += *q == '@' ? strlen(src_path) : 1;
	buf = malloc(n);
	ck_assert_ptr_nonnull(buf);
	for (p = buf; *pattern; pattern++) {
		if (*pattern == '@')
			p = stpcpy(p, src_path);
		else
			*p++ = *pattern;
	}
	*p = '\0';
	return buf;
}

static void ck_output(struct capture *c, const char *pattern)
{
	char *want = expect(pattern);

	ck_assert_str_eq(capture_close(c), want);
	free(want);
	capture_free(c);
}

START_TEST(tool_level_message)
{
	struct capture c;

	capture_open(&c, DIAG_FORMAT_TEXT);
	diag_errorf(c.sink, NULL, NULL, "cannot open '%s': %s", "a.o", "No such file");
	diag_sink_set_tool(c.sink, "bpfcc-verify");
	diag_warnf(c.sink, "elf-odd", NULL, "odd %d", 3);
	diag_notef(c.sink, NULL, "see %s", "docs");
	ck_output(&c, "bpfcc: error: cannot open 'a.o': No such file\n"
	              "bpfcc-verify: warning: odd 3 [-Welf-odd]\n"
	              "bpfcc-verify: note: see docs\n");
}
END_TEST

START_TEST(file_without_line)
{
	struct capture c;
	struct diag_loc loc = {.file = "prog.bpf.o"};

	capture_open(&c, DIAG_FORMAT_TEXT);
	diag_errorf(c.sink, "elf-no-btf", &loc, "no .BTF section");
	ck_output(&c, "prog.bpf.o: error: no .BTF section [elf-no-btf]\n");
}
END_TEST

START_TEST(line_and_caret)
{
	struct capture c;
	struct diag_loc l1 = {.file = src_path, .line = 1, .col = 5};

	capture_open(&c, DIAG_FORMAT_TEXT);
	diag_errorf(c.sink, "ir-global", &l1, "global '%s'", "x");
	ck_output(&c, "@:1:5: error: global 'x' [ir-global]\n"
	              "int x;\n"
	              "    ^\n");
}
END_TEST

START_TEST(caret_keeps_tabs)
{
	struct capture c;
	struct diag_loc l2 = {.file = src_path, .line = 2, .col = 10};

	capture_open(&c, DIAG_FORMAT_TEXT);
	diag_warnf(c.sink, "ir-float", &l2, "m");
	/* bytes before column 10: "\tint y = " -> tab kept, 8 spaces */
	ck_output(&c, "@:2:10: warning: m [-Wir-float]\n"
	              "\tint y = x + 1;\n"
	              "\t        ^\n");
}
END_TEST

START_TEST(caret_counts_utf8_characters)
{
	struct capture c;
	/* column of 'i' of "int z": bytes 'char *s = "' (11) + 5 bytes ete + '"; ' (3) = 19 */
	struct diag_loc l3 = {.file = src_path, .line = 3, .col = 20};

	capture_open(&c, DIAG_FORMAT_TEXT);
	diag_notef(c.sink, &l3, "here");
	ck_output(&c, "@:3:20: note: here\n"
	              "char *s = \"\xc3\xa9t\xc3\xa9\"; int z;\n"
	              "                 ^\n");
}
END_TEST

START_TEST(crlf_line_and_column_past_end)
{
	struct capture c;
	struct diag_loc l4 = {.file = src_path, .line = 4, .col = 40};
	struct diag_loc l6 = {.file = src_path, .line = 6, .col = 1};

	capture_open(&c, DIAG_FORMAT_TEXT);
	diag_errorf(c.sink, NULL, &l4, "past the end");
	diag_errorf(c.sink, NULL, &l6, "last line");
	ck_output(&c, "@:4:40: error: past the end\n"
	              "crlf line;\n"
	              "          ^\n"
	              "@:6:1: error: last line\n"
	              "last\n"
	              "^\n");
}
END_TEST

START_TEST(whole_line_empty_line_missing_line_and_file)
{
	struct capture c;
	struct diag_loc whole = {.file = src_path, .line = 2};
	struct diag_loc empty = {.file = src_path, .line = 5, .col = 1};
	struct diag_loc beyond = {.file = src_path, .line = 7, .col = 1};
	struct diag_loc missing = {.file = "no/such/file.c", .line = 1, .col = 1};

	capture_open(&c, DIAG_FORMAT_TEXT);
	diag_warnf(c.sink, "r", &whole, "whole line");
	diag_warnf(c.sink, "r", &empty, "empty line");
	diag_warnf(c.sink, "r", &beyond, "beyond the end");
	diag_warnf(c.sink, "r", &missing, "missing file");
	diag_warnf(c.sink, "r", &missing, "missing file again");
	ck_output(&c, "@:2: warning: whole line [-Wr]\n"
	              "\tint y = x + 1;\n"
	              "@:5:1: warning: empty line [-Wr]\n"
	              "\n"
	              "^\n"
	              "@:7:1: warning: beyond the end [-Wr]\n"
	              "no/such/file.c:1:1: warning: missing file [-Wr]\n"
	              "no/such/file.c:1:1: warning: missing file again [-Wr]\n");
}
END_TEST

START_TEST(verifier_finding_in_full)
{
	struct capture c;
	struct diag_step path[] = {
	    {.loc = {.file = src_path, .line = 1, .col = 5}, .insn = 3, .text = "branch taken"},
	    {.loc = {.file = NULL}, .insn = 7, .text = "r1 = *(u64 *)(r10 -8)"},
	    {.loc = {.file = NULL}, .insn = -1, .text = "two\nlines"},
	    {.loc = {.file = src_path, .line = 2}, .insn = -1, .text = NULL},
	};
	struct diag d = {
	    .level = DIAG_ERROR,
	    .rule = "verifier-map-bounds",
	    .category = "Memory Safety",
	    .loc = {.file = src_path, .line = 2, .col = 6},
	    .program = "xdp_prog",
	    .section = "xdp",
	    .insn = 14,
	    .message = "map value read out of bounds",
	    .kernel_msg = "invalid access to map value, value_size=8 off=8 size=4\n"
	                  "R1 min value is outside of the allowed memory range",
	    .explanation = "The read ends past the value.\nThe map's value is 8 bytes.",
	    .hint = "check the index first",
	    .path = path,
	    .path_len = 4,
	};

	capture_open(&c, DIAG_FORMAT_TEXT);
	ck_assert_int_eq(diag_emit(c.sink, &d), 0);
	ck_output(&c, "@:2:6: error: Memory Safety: map value read out of bounds "
	              "[verifier-map-bounds]\n"
	              "  reason: The read ends past the value.\n"
	              "    The map's value is 8 bytes.\n"
	              "  note: kernel verifier says: invalid access to map value, value_size=8 "
	              "off=8 size=4\n"
	              "    R1 min value is outside of the allowed memory range\n"
	              "  at: program 'xdp_prog' (section 'xdp'), instruction 14\n"
	              "\tint y = x + 1;\n"
	              "\t    ^\n"
	              "  causal path:\n"
	              "@:1:5: note: branch taken\n"
	              "  note: instruction 7: r1 = *(u64 *)(r10 -8)\n"
	              "  note: two\n"
	              "    lines\n"
	              "@:2: note: \n"
	              "  suggestion: check the index first\n");
}
END_TEST

START_TEST(program_line_forms)
{
	struct capture c;
	struct diag d = {.level = DIAG_ERROR, .message = "m", .insn = -1};

	capture_open(&c, DIAG_FORMAT_TEXT);
	d.section = "tc";
	diag_emit(c.sink, &d);
	d.insn = 0;
	diag_emit(c.sink, &d);
	d.section = NULL;
	diag_emit(c.sink, &d);
	d.program = "p";
	diag_emit(c.sink, &d);
	d.insn = -1;
	d.kernel_msg = "";
	diag_emit(c.sink, &d);
	ck_output(&c, "bpfcc: error: m\n"
	              "  at: section 'tc'\n"
	              "bpfcc: error: m\n"
	              "  at: section 'tc', instruction 0\n"
	              "bpfcc: error: m\n"
	              "  at: instruction 0\n"
	              "bpfcc: error: m\n"
	              "  at: program 'p', instruction 0\n"
	              "bpfcc: error: m\n"
	              "  note: kernel verifier says: \n"
	              "  at: program 'p'\n");
}
END_TEST

START_TEST(rule_brackets_by_level)
{
	struct capture c;
	struct diag d = {.level = DIAG_NOTE, .rule = "n-rule", .message = "a note", .insn = -1};

	capture_open(&c, DIAG_FORMAT_TEXT);
	diag_emit(c.sink, &d);
	ck_assert_int_eq(diag_sink_set_rule_level(c.sink, "promo", DIAG_ERROR, false), 0);
	diag_warnf(c.sink, "promo", NULL, "promoted by rule");
	diag_sink_set_werror(c.sink, true);
	diag_warnf(c.sink, "w", NULL, "promoted by -Werror");
	diag_errorf(c.sink, "e", NULL, "plain error");
	ck_output(&c, "bpfcc: note: a note [n-rule]\n"
	              "bpfcc: error: promoted by rule [-Werror,-Wpromo]\n"
	              "bpfcc: error: promoted by -Werror [-Werror,-Ww]\n"
	              "bpfcc: error: plain error [e]\n");
}
END_TEST

START_TEST(colour_on)
{
	struct capture c;
	struct diag_loc l1 = {.file = src_path, .line = 1, .col = 5};
	struct diag_step step = {
	    .loc = {.file = src_path, .line = 2, .col = 1}, .insn = -1, .text = "t"};
	struct diag d = {.level = DIAG_WARNING,
	                 .rule = "w",
	                 .loc = l1,
	                 .insn = 2,
	                 .message = "msg",
	                 .kernel_msg = "k",
	                 .hint = "h",
	                 .path = &step,
	                 .path_len = 1};

	capture_open(&c, DIAG_FORMAT_TEXT);
	diag_sink_set_color(c.sink, true);
	diag_emit(c.sink, &d);
	diag_errorf(c.sink, NULL, NULL, "tool");
	diag_notef(c.sink, NULL, "n");
	ck_output(&c, "\033[1m@:1:5:\033[0m \033[1;35mwarning:\033[0m msg "
	              "[\033[1;35m-Ww\033[0m]\n"
	              "  \033[1;36mnote:\033[0m kernel verifier says: k\n"
	              "  \033[1;36mat:\033[0m instruction 2\n"
	              "int x;\n"
	              "    \033[1;32m^\033[0m\n"
	              "  \033[1mcausal path:\033[0m\n"
	              "\033[1m@:2:1:\033[0m \033[1;36mnote:\033[0m t\n"
	              "  \033[1msuggestion:\033[0m h\n"
	              "\033[1mbpfcc:\033[0m \033[1;31merror:\033[0m tool\n"
	              "\033[1mbpfcc:\033[0m \033[1;36mnote:\033[0m n\n");
}
END_TEST

START_TEST(colour_off_again)
{
	struct capture c;

	capture_open(&c, DIAG_FORMAT_TEXT);
	diag_sink_set_color(c.sink, true);
	diag_sink_set_color(c.sink, false);
	diag_errorf(c.sink, "r", NULL, "plain");
	ck_output(&c, "bpfcc: error: plain [r]\n");
}
END_TEST

START_TEST(source_file_changes_are_not_reread)
{
	struct capture c;
	const char *p = scratch_file(1, "cached.c", "first version\n");
	struct diag_loc loc = {.file = p, .line = 1, .col = 1};
	char *want;

	capture_open(&c, DIAG_FORMAT_TEXT);
	diag_errorf(c.sink, NULL, &loc, "a");
	scratch_file(1, "cached.c", "second version\n");
	diag_errorf(c.sink, NULL, &loc, "b");
	ck_assert_int_ne(asprintf(&want,
	                          "%s:1:1: error: a\nfirst version\n^\n"
	                          "%s:1:1: error: b\nfirst version\n^\n",
	                          p, p),
	                 -1);
	ck_assert_str_eq(capture_close(&c), want);
	free(want);
	capture_free(&c);
}
END_TEST

START_TEST(control_characters_are_shown_not_sent)
{
	struct capture c;
	const char *p = scratch_file(2, "ctl.c", "a\033[2Jb = 1;\n");
	struct diag_loc loc = {.file = p, .line = 1, .col = 7};
	struct diag_loc evil = {.file = "e\033]0;x\007.o"};
	struct diag d = {.level = DIAG_ERROR,
	                 .rule = "r\033",
	                 .message = "m\033[31m\nx",
	                 .program = "p\001",
	                 .section = "s\177",
	                 .insn = -1,
	                 .kernel_msg = "k\033\nline2\t"};
	char *want;

	capture_open(&c, DIAG_FORMAT_TEXT);
	diag_errorf(c.sink, NULL, &loc, "at b");
	diag_errorf(c.sink, NULL, &evil, "name");
	diag_emit(c.sink, &d);
	/* "a\x1b[2J" is 8 columns on screen, so 'b' (byte 6, column 7) sits at column 10 */
	ck_assert_int_ne(asprintf(&want,
	                          "%s:1:7: error: at b\n"
	                          "a\\x1b[2Jb = 1;\n"
	                          "         ^\n"
	                          "e\\x1b]0;x\\x07.o: error: name\n"
	                          "bpfcc: error: m\\x1b[31m\\x0ax [r\\x1b]\n"
	                          "  note: kernel verifier says: k\\x1b\n"
	                          "    line2\t\n"
	                          "  at: program 'p\\x01' (section 's\\x7f')\n",
	                          p),
	                 -1);
	ck_assert_str_eq(capture_close(&c), want);
	free(want);
	capture_free(&c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("diag_text");
	TCase *tc = tcase_create("text");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, tool_level_message);
	tcase_add_test(tc, file_without_line);
	tcase_add_test(tc, line_and_caret);
	tcase_add_test(tc, caret_keeps_tabs);
	tcase_add_test(tc, caret_counts_utf8_characters);
	tcase_add_test(tc, crlf_line_and_column_past_end);
	tcase_add_test(tc, whole_line_empty_line_missing_line_and_file);
	tcase_add_test(tc, verifier_finding_in_full);
	tcase_add_test(tc, program_line_forms);
	tcase_add_test(tc, rule_brackets_by_level);
	tcase_add_test(tc, colour_on);
	tcase_add_test(tc, colour_off_again);
	tcase_add_test(tc, source_file_changes_are_not_reread);
	tcase_add_test(tc, control_characters_are_shown_not_sent);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
