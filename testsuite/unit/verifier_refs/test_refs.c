/*
 * test_refs.c - verifier_run() on the reference cases (cases.c) without a kernel: the
 * verdict, rule, errno and kernel message must be the kernel's (the expectations come
 * from the live kernel and test_refs_kernel.c re-checks them there).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "cases.h"
#include "verifier/verifier.h"

START_TEST(test_case_verdict)
{
	const struct refs_case *c = &refs_cases[_i];
	struct vrf_options o = refs_case_options(c);
	struct vrf_verdict v;
	int err;

	err = verifier_run(c->insns, c->n, &o, NULL, &v, NULL);
	if (c->ok) {
		ck_assert_msg(err == 0, "%s: expected to load, got \"%s\" at insn %d", c->name,
		              v.kernel_msg, v.insn);
	} else {
		ck_assert_msg(err == -EINVAL, "%s: expected \"%s\", got err %d", c->name, c->kmsg,
		              err);
		ck_assert_str_eq(v.kernel_msg, c->kmsg);
		ck_assert_int_eq(v.rule, c->rule);
		ck_assert_int_eq(v.kernel_errno, vrf_rule_errno(c->rule));
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verifier_refs");
	TCase *tc = tcase_create("cases");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_case_verdict, 0, (int)refs_ncases);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
