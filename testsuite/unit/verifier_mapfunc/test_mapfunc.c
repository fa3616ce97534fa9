/*
 * test_mapfunc.c - verifier_run() on the helper/map compatibility cases (cases.c) without a
 * kernel: the verdict, rule, errno and kernel message must be the kernel's (the expectations
 * come from the live kernel and test_mapfunc_kernel.c re-checks them there).  Also: a map
 * bpfcc does not know is let through (when unsure, accept).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "cases.h"
#include "verifier/verifier.h"

static struct mapfunc_maps maps_of(const struct mapfunc_case *c)
{
	struct mapfunc_maps m = {.n = 0};

	while (m.n < MAPFUNC_MAX_MAPS && c->maps[m.n]) {
		m.fds[m.n] = m.n;
		m.types[m.n] = c->maps[m.n];
		m.n++;
	}
	return m;
}

START_TEST(test_case_verdict)
{
	const struct mapfunc_case *c = &mapfunc_cases[_i];
	struct mapfunc_maps m = maps_of(c);
	struct vrf_options o = mapfunc_case_options(c, &m);
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

/* Without map information every case passes this rule (the map may be of any type). */
START_TEST(test_case_unknown_map)
{
	const struct mapfunc_case *c = &mapfunc_cases[_i];
	struct vrf_options o = {.prog_type = c->prog_type};
	struct vrf_verdict v;
	int err;

	err = verifier_run(c->insns, c->n, &o, NULL, &v, NULL);
	ck_assert_msg(err == 0 || v.rule != VRF_R_MAP_FUNC, "%s: refused an unknown map: %s",
	              c->name, v.kernel_msg);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verifier_mapfunc");
	TCase *tc = tcase_create("cases");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_case_verdict, 0, (int)mapfunc_ncases);
	tcase_add_loop_test(tc, test_case_unknown_map, 0, (int)mapfunc_ncases);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
