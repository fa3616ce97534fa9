/*
 * test_check_sections.c - the section table against libbpf 1.1's own.
 *
 * For every entry of sections.def that libbpf 1.1 (the system's libbpf) knows, a section
 * name matching the entry is formed (the pattern itself, or the pattern plus a target);
 * libbpf_prog_type_by_name() must give it the same program type and expected attach type,
 * and check_section_lookup() must pick that very entry (both match in table order).
 * Entries newer than libbpf 1.1 must be unknown to it, so that the flag stays true.
 */
#include <bpf/libbpf.h>
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check/check.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static void sample_name(const struct check_section *s, char *buf, size_t size)
{
	if (s->match == CHECK_SEC_PREFIX)
		snprintf(buf, size, "%sfoo", s->pattern);
	else
		snprintf(buf, size, "%s", s->pattern);
}

START_TEST(test_entry)
{
	const struct check_section *s = check_section_at((size_t)_i), *found = NULL;
	enum bpf_prog_type pt;
	enum bpf_attach_type at;
	char name[256];
	int err;

	sample_name(s, name, sizeof(name));
	err = libbpf_prog_type_by_name(name, &pt, &at);
	if (!(s->flags & CHECK_SEC_LIBBPF_1_1)) {
		/* newer than libbpf 1.1: unknown to it, or known as something else */
		ck_assert_msg(
		    err != 0 || (uint32_t)pt != s->prog_type ||
		        (s->attach_type != CHECK_ATTACH_NONE && (int32_t)at != s->attach_type),
		    "SEC(\"%s\") is known to libbpf 1.1 as the table says: flag it", name);
		return;
	}
	ck_assert_msg(err == 0, "libbpf 1.1 does not know SEC(\"%s\")", name);
	ck_assert_msg((uint32_t)pt == s->prog_type, "SEC(\"%s\"): libbpf type %d, table %u", name,
	              pt, s->prog_type);
	if (s->attach_type != CHECK_ATTACH_NONE)
		ck_assert_msg((int32_t)at == s->attach_type,
		              "SEC(\"%s\"): libbpf attach %d, table %d", name, at, s->attach_type);
	ck_assert_int_eq(check_section_lookup(name, &found), 0);
	ck_assert_msg(found == s, "SEC(\"%s\"): lookup found '%s', not '%s'", name,
	              found ? found->pattern : "-", s->pattern);
}
END_TEST

START_TEST(test_unknown)
{
	const struct check_section *found = (const void *)1;
	enum bpf_prog_type pt;
	enum bpf_attach_type at;
	char sugg[128];

	ck_assert_int_ne(libbpf_prog_type_by_name("xpd", &pt, &at), 0);
	ck_assert_int_eq(check_section_lookup("xpd", &found), -ENOENT);
	ck_assert_ptr_null(found);
	ck_assert_int_eq(check_section_suggest("xpd", sugg, sizeof(sugg)), 0);
	ck_assert_str_eq(sugg, "xdp");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("check_sections");
	TCase *tc = tcase_create("sections");
	SRunner *sr;
	int failed;

	libbpf_set_print(quiet);
	tcase_add_loop_test(tc, test_entry, 0, (int)check_section_count());
	tcase_add_test(tc, test_unknown);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
