/*
 * test_rule_categories.c - every rule bpfcc can report has one of the kernel verifier's
 * categories ("Verification failed: <category>: <problem>", kernel/bpf/diagnostics.c):
 * each verifier rule of VRF_RULES through compiler/verifier/rule_category.def, and each
 * rule id of the object checks, the ELF reader, the link stage and the IR checks that
 * appears as a string literal in compiler/ through compiler/diag/rule_category.def.  The
 * sink fills a finding's category from that table.
 */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/diag.h"
#include "verifier/verifier.h"

START_TEST(category_names_are_the_kernels)
{
	static const char *const kernel[] = {
	    "Memory Safety",
	    "Register Type Safety",
	    "Call Type Safety",
	    "Resource Lifetime Safety",
	    "Execution Context Safety",
	    "Program Structure",
	    "Policy",
	    "Verifier Limit",
	    "Verifier Internal Error",
	};

	ck_assert_uint_eq(DIAG_CAT_COUNT - 1, sizeof(kernel) / sizeof(kernel[0]));
	for (unsigned i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++) {
		enum diag_category c = (enum diag_category)(i + 1);

		ck_assert_str_eq(diag_category_name(c), kernel[i]);
		ck_assert_ptr_nonnull(diag_category_summary(c));
		ck_assert_int_eq(diag_category_lookup(kernel[i]), c);
	}
	ck_assert_ptr_null(diag_category_name(DIAG_CAT_NONE));
	ck_assert_ptr_null(diag_category_name(DIAG_CAT_COUNT));
	ck_assert_int_eq(diag_category_lookup("memory safety"), DIAG_CAT_NONE);
}
END_TEST

START_TEST(every_verifier_rule_has_a_category)
{
	unsigned missing = 0;

	for (int r = 0; r < VRF_R_COUNT; r++) {
		enum diag_category c = vrf_rule_category((enum vrf_rule)r);

		if (c == DIAG_CAT_NONE || !diag_category_name(c)) {
			fprintf(stderr, "%s has no line in compiler/verifier/rule_category.def\n",
			        vrf_rule_id((enum vrf_rule)r));
			missing++;
		}
	}
	ck_assert_uint_eq(missing, 0);
	ck_assert_int_eq(vrf_rule_category(VRF_R_COUNT), DIAG_CAT_NONE);
	ck_assert_int_eq(vrf_rule_category(VRF_R_MAP_VALUE_BOUNDS), DIAG_CAT_MEMORY_SAFETY);
	ck_assert_int_eq(vrf_rule_category(VRF_R_PROG_SIZE), DIAG_CAT_VERIFIER_LIMIT);
}
END_TEST

/* Rule ids of the earlier stages, as string literals in compiler/ sources. */
static const char *const prefixes[] = {"check-", "elf-", "link-", "ir-"};
static unsigned scanned_ids, missing_ids, scanned_files;

static void scan_text(const char *path, const char *text)
{
	for (const char *p = strchr(text, '"'); p; p = strchr(p + 1, '"')) {
		const char *id = p + 1, *e = id;
		bool known = false;
		char buf[96];

		while ((*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9') || *e == '-')
			e++;
		if (*e != '"' || e == id || e[-1] == '-' || (size_t)(e - id) >= sizeof(buf))
			continue;
		for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
			known |= !strncmp(id, prefixes[i], strlen(prefixes[i]));
		if (!known)
			continue;
		memcpy(buf, id, (size_t)(e - id));
		buf[e - id] = '\0';
		scanned_ids++;
		if (diag_rule_category(buf) == DIAG_CAT_NONE) {
			fprintf(stderr,
			        "%s: rule '%s' has no line in compiler/diag/rule_category.def\n",
			        path, buf);
			missing_ids++;
		}
		p = e; /* the closing quote is not an opening one */
	}
}

static int scan_file(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	size_t n = strlen(path);
	FILE *f;
	char *text;

	(void)ftw;
	if (flag != FTW_F || n < 2 || strcmp(path + n - 2, ".c") != 0)
		return 0;
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	text = calloc(1, (size_t)st->st_size + 1);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(fread(text, 1, (size_t)st->st_size, f), (size_t)st->st_size);
	fclose(f);
	scan_text(path, text);
	free(text);
	scanned_files++;
	return 0;
}

START_TEST(every_stage_rule_has_a_category)
{
	ck_assert_int_eq(nftw(BPFCC_SOURCE_DIR, scan_file, 16, FTW_PHYS), 0);
	/* The scan sees the sources (dozens of files, the rules of four stages). */
	ck_assert_uint_gt(scanned_files, 50);
	ck_assert_uint_gt(scanned_ids, 50);
	ck_assert_uint_eq(missing_ids, 0);
	ck_assert_int_eq(diag_rule_category("check-map-flags"), DIAG_CAT_POLICY);
	ck_assert_int_eq(diag_rule_category("no-such-rule"), DIAG_CAT_NONE);
	ck_assert_int_eq(diag_rule_category(NULL), DIAG_CAT_NONE);
}
END_TEST

START_TEST(scanner_finds_a_missing_rule)
{
	unsigned before = missing_ids;

	scan_text("test", "x(\"check-not-a-rule\"); y(\"ir-\"); z(\"elf-bad-btf\");");
	ck_assert_uint_eq(missing_ids, before + 1);
	missing_ids = before;
}
END_TEST

/* A finding without a category gets its rule's from the sink. */
static char *emit_json(const struct diag *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct diag_sink *sink;

	ck_assert_ptr_nonnull(out);
	sink = diag_sink_new(out, DIAG_FORMAT_JSON);
	ck_assert_ptr_nonnull(sink);
	ck_assert_int_eq(diag_emit(sink, d), 0);
	diag_sink_free(sink);
	fclose(out);
	return buf;
}

START_TEST(sink_fills_the_category)
{
	struct diag d = {
	    .level = DIAG_ERROR, .rule = "check-license-missing", .insn = -1, .message = "m"};
	char *out = emit_json(&d);

	ck_assert_ptr_nonnull(strstr(out, "\"category\":\"Policy\""));
	free(out);
	d.category = "Memory Safety";
	out = emit_json(&d);
	ck_assert_ptr_nonnull(strstr(out, "\"category\":\"Memory Safety\""));
	free(out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rule_categories");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, category_names_are_the_kernels);
	tcase_add_test(tc, every_verifier_rule_has_a_category);
	tcase_add_test(tc, every_stage_rule_has_a_category);
	tcase_add_test(tc, scanner_finds_a_missing_rule);
	tcase_add_test(tc, sink_fills_the_category);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
