/*
 * test_diag_sarif.c - the SARIF 2.1.0 renderer: the whole log for a small case, the
 * rules table (first-appearance order, ruleIndex, described or derived texts with full
 * description, help and default level), file names as URIs relative to the source root
 * (%SRCROOT%) or absolute, code flows from the path ending at the finding, the property
 * bag, fingerprints, tool errors as notifications, and levels.  Conformance to the SARIF
 * schema and GitHub's upload requirements: unit/diag_sarif_schema.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
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
	ck_assert_int_eq(diag_sink_set_source_root(c.sink, "/src"), 0);
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
	    "          \"semanticVersion\": \"" BPFCC_VERSION "\",\n"
	    "          \"rules\": [\n"
	    "            {\n"
	    "              \"id\": \"ir-float\",\n"
	    "              \"shortDescription\": {\n"
	    "                \"text\": \"floating point is not allowed\"\n"
	    "              },\n"
	    "              \"fullDescription\": {\n"
	    "                \"text\": \"floating point is not allowed\"\n"
	    "              },\n"
	    "              \"defaultConfiguration\": {\n"
	    "                \"level\": \"error\"\n"
	    "              },\n"
	    "              \"help\": {\n"
	    "                \"text\": \"floating point is not allowed\\n\\nHow to fix: use "
	    "integer arithmetic\",\n"
	    "                \"markdown\": \"floating point is not allowed\\n\\n**How to fix:** "
	    "use integer arithmetic\"\n"
	    "              },\n"
	    "              \"properties\": {\n"
	    "                \"tags\": [\n"
	    "                  \"ebpf\",\n"
	    "                  \"Program Structure\"\n"
	    "                ]\n"
	    "              }\n"
	    "            }\n"
	    "          ]\n"
	    "        }\n"
	    "      },\n"
	    "      \"invocations\": [\n"
	    "        {\n"
	    "          \"executionSuccessful\": false,\n"
	    "          \"toolExecutionNotifications\": [\n"
	    "            {\n"
	    "              \"level\": \"error\",\n"
	    "              \"message\": {\n"
	    "                \"text\": \"cannot open\"\n"
	    "              }\n"
	    "            }\n"
	    "          ]\n"
	    "        }\n"
	    "      ],\n"
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
	    "                  \"uri\": \"src/a.bpf.c\",\n"
	    "                  \"uriBaseId\": \"%SRCROOT%\"\n"
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
	    "          \"partialFingerprints\": {\n"
	    "            \"bpfcc/v1\": \"d25d0f4bc905a625:1\"\n"
	    "          },\n"
	    "          \"properties\": {\n"
	    "            \"category\": \"Program Structure\"\n"
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
	            "              \"fullDescription\": {\n"
	            "                \"text\": \"about a\"\n"
	            "              },\n"
	            "              \"defaultConfiguration\": {\n"
	            "                \"level\": \"error\"\n"
	            "              },\n"
	            "              \"help\": {\n"
	            "                \"text\": \"about a\\n\\nHow to fix: fix a\",\n"
	            "                \"markdown\": \"about a\\n\\n**How to fix:** fix a\"\n"
	            "              },\n");
	/* without an explanation: the message stands in, with the hint when there is one */
	ck_has(out, "              \"id\": \"b\",\n"
	            "              \"shortDescription\": {\n"
	            "                \"text\": \"b first\"\n"
	            "              },\n"
	            "              \"fullDescription\": {\n"
	            "                \"text\": \"b first\"\n"
	            "              },\n"
	            "              \"defaultConfiguration\": {\n"
	            "                \"level\": \"warning\"\n"
	            "              },\n"
	            "              \"help\": {\n"
	            "                \"text\": \"b first\",\n");
	ck_has(out, "              \"id\": \"c\",\n");
	ck_has(out, "                \"text\": \"c note\\n\\nHow to fix: c hint\",\n");
	ck_has(out, "                \"level\": \"note\"\n");
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

/* The uri of a finding at `file` with the source root `root`; `based`: relative to it. */
static void ck_uri_in(const char *root, const char *file, const char *uri, bool based)
{
	struct capture c;
	struct diag_loc loc = {.file = file};
	char *want;

	capture_open(&c, DIAG_FORMAT_SARIF);
	ck_assert_int_eq(diag_sink_set_source_root(c.sink, root), 0);
	diag_errorf(c.sink, "r", &loc, "m");
	ck_assert_int_ne(asprintf(&want,
	                          "\"artifactLocation\": {\n"
	                          "                  \"uri\": \"%s\"%s\n"
	                          "                }\n",
	                          uri,
	                          based ? ",\n                  \"uriBaseId\": \"%SRCROOT%\"" : ""),
	                 -1);
	ck_has(capture_close(&c), want);
	free(want);
	capture_free(&c);
}

static void ck_uri(const char *file, const char *uri, bool based)
{
	ck_uri_in("/src", file, uri, based);
}

START_TEST(file_uris)
{
	/* relative to the source root, percent-encoded */
	ck_uri("a.bpf.c", "a.bpf.c", true);
	ck_uri("my dir/a b.c", "my%20dir/a%20b.c", true);
	ck_uri("c:x.c", "c%3Ax.c", true);
	ck_uri("100%.c", "100%25.c", true);
	ck_uri("q\"#?.c", "q%22%23%3F.c", true);
	ck_uri("\xc3\xa9.c", "%C3%A9.c", true);
	ck_uri("a-b_c~d!$&'()*+,;=@.c", "a-b_c~d!$&'()*+,;=@.c", true);
	/* absolute names under the root become relative; ".", ".." and "//" are resolved */
	ck_uri("/src/bpf/x.bpf.c", "bpf/x.bpf.c", true);
	ck_uri("./a/./b/../c.c", "a/c.c", true);
	ck_uri("/src//bpf///y.c", "bpf/y.c", true);
	/* outside the root: absolute file:// URIs */
	ck_uri("/abs/x.c", "file:///abs/x.c", false);
	ck_uri("../up.c", "file:///up.c", false);
	ck_uri("/srcfoo/x.c", "file:///srcfoo/x.c", false);
	ck_uri("/src/../abs/x.c", "file:///abs/x.c", false);
	ck_uri("/src", "file:///src", false);
	ck_uri("/../../x.c", "file:///x.c", false);
	ck_uri_in("/", "/x/y.c", "x/y.c", true);
	ck_uri_in("/a/b/", "/a/b/c.c", "c.c", true);
	/* a relative root is refused */
	{
		struct capture c;

		capture_open(&c, DIAG_FORMAT_SARIF);
		ck_assert_int_eq(diag_sink_set_source_root(c.sink, "rel"), -EINVAL);
		ck_assert_int_eq(diag_sink_set_source_root(NULL, "/"), -EINVAL);
		capture_close(&c);
		capture_free(&c);
	}
}
END_TEST

START_TEST(code_flow_and_properties)
{
	struct capture c;
	struct diag_step path[] = {
	    {.loc = {.file = "p.c", .line = 4, .col = 2},
	     .insn = 5,
	     .text = "taken",
	     .kind = DIAG_STEP_BRANCH_TAKEN,
	     .target = 8},
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
	diag_sink_set_source_root(c.sink, "/src");
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
	            "                            \"uri\": \"p.c\",\n"
	            "                            \"uriBaseId\": \"%SRCROOT%\"\n"
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
	            "                      \"kinds\": [\n"
	            "                        \"branch\"\n"
	            "                      ],\n"
	            "                      \"properties\": {\n"
	            "                        \"insn\": 5,\n"
	            "                        \"branch\": \"taken\",\n"
	            "                        \"targetInsn\": 8\n"
	            "                      }\n"
	            "                    },\n"
	            "                    {\n"
	            "                      \"location\": {\n"
	            "                        \"message\": {\n"
	            "                          \"text\": \"then\"\n"
	            "                        }\n"
	            "                      }\n"
	            "                    },\n"
	            /* the flow ends at the finding */
	            "                    {\n"
	            "                      \"location\": {\n"
	            "                        \"physicalLocation\": {\n"
	            "                          \"artifactLocation\": {\n"
	            "                            \"uri\": \"p.c\",\n"
	            "                            \"uriBaseId\": \"%SRCROOT%\"\n"
	            "                          },\n"
	            "                          \"region\": {\n"
	            "                            \"startLine\": 6\n"
	            "                          }\n"
	            "                        },\n"
	            "                        \"message\": {\n"
	            "                          \"text\": \"bad\"\n"
	            "                        }\n"
	            "                      },\n"
	            "                      \"properties\": {\n"
	            "                        \"insn\": 9\n"
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

START_TEST(tool_errors_are_notifications)
{
	struct capture c;
	struct diag_loc f = {.file = "/src/x.o"};
	const char *out;

	capture_open(&c, DIAG_FORMAT_SARIF);
	diag_sink_set_source_root(c.sink, "/src");
	diag_errorf(c.sink, NULL, &f, "cannot read it");
	diag_warnf(c.sink, "w", NULL, "a finding");
	diag_notef(c.sink, NULL, "a note");
	out = capture_close(&c);
	ck_has(out, "      \"invocations\": [\n"
	            "        {\n"
	            "          \"executionSuccessful\": false,\n"
	            "          \"toolExecutionNotifications\": [\n"
	            "            {\n"
	            "              \"level\": \"error\",\n"
	            "              \"message\": {\n"
	            "                \"text\": \"cannot read it\"\n"
	            "              },\n"
	            "              \"locations\": [\n"
	            "                {\n"
	            "                  \"physicalLocation\": {\n"
	            "                    \"artifactLocation\": {\n"
	            "                      \"uri\": \"x.o\",\n"
	            "                      \"uriBaseId\": \"%SRCROOT%\"\n"
	            "                    }\n"
	            "                  }\n"
	            "                }\n"
	            "              ]\n"
	            "            },\n"
	            "            {\n"
	            "              \"level\": \"note\",\n"
	            "              \"message\": {\n"
	            "                \"text\": \"a note\"\n"
	            "              }\n"
	            "            }\n"
	            "          ]\n");
	/* the one result is the finding with a rule */
	ck_assert_ptr_null(strstr(strstr(out, "\"results\""), "cannot read it"));
	ck_has(strstr(out, "\"results\""), "\"ruleId\": \"w\"");
	capture_free(&c);

	/* without a tool error the execution succeeded */
	capture_open(&c, DIAG_FORMAT_SARIF);
	diag_notef(c.sink, NULL, "just a note");
	ck_has(capture_close(&c), "\"executionSuccessful\": true,\n");
	capture_free(&c);
}
END_TEST

/* The "bpfcc/v1" fingerprint of the n-th result (from 1) of `out`, in `fp`. */
static void nth_print(const char *out, int n, char fp[64])
{
	const char *p = out;

	for (int i = 0; i < n; i++) {
		p = strstr(p, "\"bpfcc/v1\": \"");
		ck_assert_ptr_nonnull(p);
		p += strlen("\"bpfcc/v1\": \"");
	}
	ck_assert_int_eq(sscanf(p, "%63[^\"]", fp), 1);
}

START_TEST(fingerprints)
{
	struct capture c;
	struct diag d = {.level = DIAG_ERROR,
	                 .rule = "verifier-x",
	                 .loc = {.file = "/src/p.c", .line = 10, .col = 3},
	                 .program = "prog",
	                 .insn = 4,
	                 .message = "bad",
	                 .kernel_msg = "R1 invalid"};
	char a[64], b[64], moved[64], other[64], again[64];
	const char *out;

	capture_open(&c, DIAG_FORMAT_SARIF);
	diag_emit(c.sink, &d);
	diag_emit(c.sink, &d); /* the same finding twice: the occurrence tells them apart */
	d.loc.line = 30;       /* moved by an edit above it */
	d.insn = 9;
	diag_emit(c.sink, &d);
	d.program = "other";
	diag_emit(c.sink, &d);
	out = capture_close(&c);
	nth_print(out, 1, a);
	nth_print(out, 2, b);
	nth_print(out, 3, moved);
	nth_print(out, 4, other);
	ck_assert_int_eq((int)strlen(a), 16 + 2);
	ck_assert_str_eq(a + 16, ":1");
	ck_assert_str_eq(b + 16, ":2");
	ck_assert_str_eq(moved + 16, ":3");
	ck_assert_int_eq(strncmp(a, b, 16), 0);
	ck_assert_int_eq(strncmp(a, moved, 16), 0);
	ck_assert_int_ne(strncmp(a, other, 16), 0);
	ck_assert_str_eq(other + 16, ":1");
	capture_free(&c);

	/* the same input in another run gives the same fingerprint */
	capture_open(&c, DIAG_FORMAT_SARIF);
	d.program = "prog";
	diag_emit(c.sink, &d);
	nth_print(capture_close(&c), 1, again);
	ck_assert_str_eq(again, a);
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
	tcase_add_test(tc, tool_errors_are_notifications);
	tcase_add_test(tc, fingerprints);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
