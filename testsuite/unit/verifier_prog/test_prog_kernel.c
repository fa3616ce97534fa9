/*
 * test_prog_kernel.c - the program-type cases against the live kernel: each program is
 * loaded with its program and expected attach type and the kernel's verdict and message
 * must equal the case's expectation; verifier_run() must agree, at the same instruction.
 * Without the privileges to load programs the test exits 77 (ctest reports a skip).
 */
#include <check.h>

#include <bpfcc/runtime.h>

#include "../common/vrf_kcheck.h"
#include "cases.h"
#include "verifier/verifier.h"

START_TEST(test_case_kernel)
{
	const struct prog_case *c = &prog_cases[_i];
	const struct vrf_kcheck k = {.name = c->name,
	                             .prog_type = c->prog_type,
	                             .attach_type = c->attach_type,
	                             .ok = c->ok,
	                             .kmsg = c->kmsg,
	                             .rule = c->rule};
	struct vrf_options o = prog_case_options(c);

	bpfcc_rt_result_free(vrf_kcheck_run(&k, c->insns, c->n, 1u << 20, &o, NULL));
}
END_TEST

int main(void)
{
	return vrf_kcheck_main("verifier_prog_kernel", test_case_kernel, (int)prog_ncases, 60);
}
