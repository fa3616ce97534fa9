/*
 * test_diag_sarif.c - the SARIF 2.1.0 renderer: the whole log for a small case, the
 * rules table (first-appearance order, ruleIndex, described or derived texts), file
 * names as URI references, code flows from the path, the property bag, and levels.
 * Conformance to the SARIF schema is checked by the unit/diag_sarif_schema test.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"

#ifndef BPFCC_VERSION
#error "BPFCC_VERSION must be defined by the build"
#endif

#define ck_has(out, s) ck_assert_msg(strstr(out, s) != NULL, "missing in output: %s", s)

START_TEST(whole_log)
{
	struct capture c;
	struct diag d = {
	    .level = DIAG_ERROR,
	    .rule = "ir-float",
	    .loc = {.file = "src/a.bpf.c", .line = 3, .col = 9},
	    .program = "prog",
	    .insn = -1,
	    .message = "float division",
	};

	capture_open(&c, DIAG_FORMAT_SARIF);
	ck_assert_int_eq(diag_sink_describe_rule(c.sink, "ir-float",
	                                         "floating point is not allowed",
	                                         "use integer arithmetic"),
	                 0);
	ck_assert_int_eq(diag_sink_describe_rule(c.sink, "unused", "never seen", NULL), 0);
	ck_assert_int_eq(diag_emit(c.sink, &d), 0);
	diag_errorf(c.sink, NULL, NULL, "cannot open");
	ck_assert_str_eq(
	    capture_close(&c),
	    "{\n"
	    "  \"$schema\": \"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/"
	    "schemas/sarif-schema-2.1.0.json\",\n"
	    "  \"version\": \"2.1.0\",\n"
	    "  \"runs\": [\n"
	    "    {\n"
	    "      \"tool\": {\n"
	    "        \"driver\": {\n"
	    "          \"name\": \"bpfcc\",\n"
	    "          \"version\": \"" BPFCC_VERSION "\",\n"
	    "          \"rules\": [\n"
	    "            {\n"
	    "              \"id\": \"ir-float\",\n"
	    "              \"shortDescription\": {\n"
	    "                \"text\": \"floating point is not allowed\"\n"
	    "              },\n"
	    "              \"help\": {\n"
	    "                \"text\": \"use integer arithmetic\"\n"
	    "              }\n"
	    "            }\n"
	    "          ]\n"
	    "        }\n"
	    "      },\n"
	    "      \"results\": [\n"
	    "        {\n"
	    "          \"ruleId\": \"ir-float\",\n"
	    "          \"ruleIndex\": 0,\n"
	    "          \"level\": \"error\",\n"
	    "          \"message\": {\n"
	    "            \"text\": \"float division\"\n"
	    "          },\n"
	    "          \"locations\": [\n"
	    "            {\n"
	    "              \"physicalLocation\": {\n"
	    "                \"artifactLocation\": {\n"
	    "                  \"uri\": \"src/a.bpf.c\"\n"
	    "                },\n"
	    "                \"region\": {\n"
	    "                  \"startLine\": 3,\n"
	    "                  \"startColumn\": 9\n"
	    "                }\n"
	    "              },\n"
	    "              \"logicalLocations\": [\n"
	    "                {\n"
	    "                  \"name\": \"prog\",\n"
	    "                  \"kind\": \"function\"\n"
	    "                }\n"
	    "              ]\n"
	    "            }\n"
	    "          ],\n"
	    "          \"properties\": {\n"
	    "            \"category\": \"Program Structure\"\n"
	    "          }\n"
	    "        },\n"
	    "        {\n"
	    "          \"level\": \"error\",\n"
	    "          \"message\": {\n"
	    "            \"text\": \"cannot open\"\n"
	    "          }\n"
	    "        }\n"
	    "      ]\n"
	    "    }\n"
	    "  ]\n"
	    "}\n");
	capture_free(&c);
}
END_TEST

START_TEST(empty_log)
{
	struct capture c;
	const char *out;

	capture_open(&c, DIAG_FORMAT_SARIF);
	out = capture_close(&c);
	ck_has(out, "\"rules\": []\n");
	ck_has(out, "\"results\": []\n");
	capture_free(&c);
}
END_TEST

START_TEST(rules_table)
{
	struct capture c;
	struct diag a1 = {.level = DIAG_ERROR,
	                  .rule = "a",
	                  .message = "a first",
	                  .insn = -1,
	                  .explanation = "about a",
	                  .hint = "fix a"};
	struct diag b = {.level = DIAG_WARNING, .rule = "b", .message = "b first", .insn = -1};
	struct diag a2 = {.level = DIAG_ERROR,
	                  .rule = "a",
	                  .message = "a second",
	                  .insn = -1,
	                  .explanation = "not used",
	                  .hint = "not used"};
	struct diag n = {
	    .level = DIAG_NOTE, .rule = "c", .message = "c note", .insn = -1, .hint = "c hint"};
	const char *out;

	capture_open(&c, DIAG_FORMAT_SARIF);
	diag_emit(c.sink, &a1);
	diag_emit(c.sink, &b);
	diag_emit(c.sink, &a2);
	diag_emit(c.sink, &n);
	out = capture_close(&c);
	/* rules in first-appearance order, texts derived from the first finding */
	ck_has(out, "\"rules\": [\n"
	            "            {\n"
	            "              \"id\": \"a\",\n"
	            "              \"shortDescription\": {\n"
	            "                \"text\": \"about a\"\n"
	            "              },\n"
	            "              \"help\": {\n"
	            "                \"text\": \"fix a\"\n"
	            "              }\n"
	            "            },\n"
	            "            {\n"
	            "              \"id\": \"b\",\n"
	            "              \"shortDescription\": {\n"
	            "                \"text\": \"b first\"\n"
	            "              },\n"
	            "              \"help\": {\n"
	            "                \"text\": \"b first\"\n"
	            "              }\n"
	            "            },\n"
	            "            {\n"
	            "              \"id\": \"c\",\n"
	            "              \"shortDescription\": {\n"
	            "                \"text\": \"c note\"\n"
	            "              },\n"
	            "              \"help\": {\n"
	            "                \"text\": \"c hint\"\n"
	            "              }\n"
	            "            }\n"
	            "          ]");
	ck_has(out,
	       "\"ruleId\": \"a\",\n          \"ruleIndex\": 0,\n          \"level\": \"error\"");
	ck_has(out,
	       "\"ruleId\": \"b\",\n          \"ruleIndex\": 1,\n          \"level\": \"warning\"");
	ck_has(out,
	       "\"ruleId\": \"c\",\n          \"ruleIndex\": 2,\n          \"level\": \"note\"");
	/* the second finding's texts appear in its own result, not in the rules table */
	ck_assert_ptr_nonnull(strstr(out, "not used\""));
	ck_assert(strstr(out, "not used\"") > strstr(out, "\"results\""));
	capture_free(&c);
}
END_TEST

/* The uri of a finding at `file`. */
static void ck_uri(const char *file, const char *uri)
{
	struct capture c;
	struct diag_loc loc = {.file = file};
	char *want;

	capture_open(&c, DIAG_FORMAT_SARIF);
	diag_errorf(c.sink, NULL, &loc, "m");
	ck_assert_int_ne(asprintf(&want,
	                          "\"artifactLocation\": {\n"
	                          "                  \"uri\": \"%s\"\n"
	                          "                }\n"
	                          "              }\n",
	                          uri),
	                 -1);
	ck_has(capture_close(&c), want);
	free(want);
	capture_free(&c);
}

START_TEST(file_uris)
{
	ck_uri("a.bpf.c", "a.bpf.c");
	ck_uri("my dir/a b.c", "my%20dir/a%20b.c");
	ck_uri("/abs/x.c", "file:///abs/x.c");
	ck_uri("c:x.c", "c%3Ax.c");
	ck_uri("100%.c", "100%25.c");
	ck_uri("q\"#?.c", "q%22%23%3F.c");
	ck_uri("\xc3\xa9.c", "%C3%A9.c");
	ck_uri("a-b_c~d!$&'()*+,;=@.c", "a-b_c~d!$&'()*+,;=@.c");
}
END_TEST

START_TEST(code_flow_and_properties)
{
	struct capture c;
	struct diag_step path[] = {
	    {.loc = {.file = "p.c", .line = 4, .col = 2}, .insn = 5, .text = "taken"},
	    {.loc = {.file = NULL}, .insn = -1, .text = "then"},
	};
	struct diag d = {
	    .level = DIAG_ERROR,
	    .rule = "v",
	    .category = "memory safety",
	    .section = "xdp",
	    .insn = 9,
	    .loc = {.file = "p.c", .line = 6},
	    .message = "bad",
	    .kernel_msg = "R1 invalid mem access 'scalar'",
	    .explanation = "e",
	    .hint = "h",
	    .path = path,
	    .path_len = 2,
	};
	const char *out;

	capture_open(&c, DIAG_FORMAT_SARIF);
	diag_emit(c.sink, &d);
	out = capture_close(&c);
	ck_has(out, "                \"region\": {\n"
	            "                  \"startLine\": 6\n"
	            "                }\n");
	ck_has(out, "          \"codeFlows\": [\n"
	            "            {\n"
	            "              \"threadFlows\": [\n"
	            "                {\n"
	            "                  \"locations\": [\n"
	            "                    {\n"
	            "                      \"location\": {\n"
	            "                        \"physicalLocation\": {\n"
	            "                          \"artifactLocation\": {\n"
	            "                            \"uri\": \"p.c\"\n"
	            "                          },\n"
	            "                          \"region\": {\n"
	            "                            \"startLine\": 4,\n"
	            "                            \"startColumn\": 2\n"
	            "                          }\n"
	            "                        },\n"
	            "                        \"message\": {\n"
	            "                          \"text\": \"taken\"\n"
	            "                        }\n"
	            "                      },\n"
	            "                      \"properties\": {\n"
	            "                        \"insn\": 5\n"
	            "                      }\n"
	            "                    },\n"
	            "                    {\n"
	            "                      \"location\": {\n"
	            "                        \"message\": {\n"
	            "                          \"text\": \"then\"\n"
	            "                        }\n"
	            "                      }\n"
	            "                    }\n"
	            "                  ]\n");
	ck_has(out, "          \"properties\": {\n"
	            "            \"category\": \"memory safety\",\n"
	            "            \"section\": \"xdp\",\n"
	            "            \"insn\": 9,\n"
	            "            \"kernelMessage\": \"R1 invalid mem access 'scalar'\",\n"
	            "            \"explanation\": \"e\",\n"
	            "            \"hint\": \"h\"\n"
	            "          }\n");
	capture_free(&c);
}
END_TEST

START_TEST(werror_level_in_results)
{
	struct capture c;
	const char *out;

	capture_open(&c, DIAG_FORMAT_SARIF);
	diag_sink_set_werror(c.sink, true);
	diag_warnf(c.sink, "w", NULL, "was a warning");
	out = capture_close(&c);
	ck_has(out, "\"ruleIndex\": 0,\n          \"level\": \"error\",\n");
	ck_assert_ptr_null(strstr(out, "\"warning\""));
	capture_free(&c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("diag_sarif");
	TCase *tc = tcase_create("sarif");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, whole_log);
	tcase_add_test(tc, empty_log);
	tcase_add_test(tc, rules_table);
	tcase_add_test(tc, file_uris);
	tcase_add_test(tc, code_flow_and_properties);
	tcase_add_test(tc, werror_level_in_results);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
