/*
 * test_calls.c - verifier_run() on the callback and stack-depth cases (cases.c) without a kernel:
 * the verdict, rule and kernel message must be the kernel's (the expectations come from
 * the live kernel; test_calls_kernel.c re-checks them there).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "../common/vrf_case.h"
#include "cases.h"
#include "verifier/verifier.h"

START_TEST(test_case_verdict)
{
	const struct calls_case *c = &calls_cases[_i];
	const struct vrf_case vc = {c->name, c->ok, c->kmsg, c->rule};
	struct vrf_stats st;

	vrf_case_check(&vc, c->insns, c->n, NULL, &st);
	ck_assert_uint_gt(st.insns_processed, 0);
}
END_TEST

int main(void)
{
	return vrf_case_main("verifier_calls", test_case_verdict, (int)calls_ncases, NULL, 0);
}
