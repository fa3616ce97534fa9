/*
 * test_calls_kernel.c - the callback and stack-depth cases against the live kernel: each program is
 * loaded with bpf_prog_load() (socket filter, GPL) and the kernel's verdict and message
 * must equal the case's expectation; verifier_run() must agree, at the same instruction.
 * Without the privileges to load programs the test exits 77 (ctest reports a skip).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfcc/runtime.h>

#include "../common/vrf_kcheck.h"
#include "cases.h"
#include "verifier/verifier.h"

START_TEST(test_case_kernel)
{
	const struct calls_case *c = &calls_cases[_i];
	const struct vrf_kcheck k = {.name = c->name,
	                             .prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
	                             .ok = c->ok,
	                             .kmsg = c->kmsg,
	                             .rule = c->rule};

	bpfcc_rt_result_free(vrf_kcheck_run(&k, c->insns, c->n, 4u << 20, NULL, NULL));
}
END_TEST

int main(void)
{
	return vrf_kcheck_main("verifier_calls_kernel", test_case_kernel, (int)calls_ncases, 60);
}
