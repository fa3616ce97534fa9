/*
 * vrf_case.c - verifier_run() against a case's recorded kernel verdict (vrf_case.h).
 */
#include "vrf_case.h"

#include <errno.h>
#include <stdlib.h>

void vrf_case_check(const struct vrf_case *c, const struct bpf_insn *insns, size_t n,
                    const struct vrf_options *o, struct vrf_stats *st)
{
	struct vrf_verdict v;
	int err;

	err = verifier_run(insns, n, o, NULL, &v, st);
	if (c->ok) {
		ck_assert_msg(err == 0, "%s: expected to load, got \"%s\" at insn %d", c->name,
		              v.kernel_msg, v.insn);
		return;
	}
	ck_assert_msg(err == -EINVAL, "%s: expected \"%s\", got err %d", c->name, c->kmsg, err);
	ck_assert_str_eq(v.kernel_msg, c->kmsg);
	ck_assert_int_eq(v.rule, c->rule);
	ck_assert_int_eq(v.kernel_errno, vrf_rule_errno(c->rule));
}

int vrf_case_main(const char *suite, const TTest *test, int ncases, const TTest *const *extra,
                  size_t nextra)
{
	Suite *s = suite_create(suite);
	TCase *tc = tcase_create("cases");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test, 0, ncases);
	for (size_t i = 0; i < nextra; i++)
		tcase_add_test(tc, extra[i]);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
