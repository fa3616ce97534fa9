/*
 * test_call_kernel.c - the branch and call cases against the live kernel: each program is
 * loaded with bpf_prog_load() (socket filter, GPL) and the kernel's verdict and message
 * must equal the case's expectation; verifier_run() must agree, at the same instruction.
 * Without the privileges to load programs the test exits 77 (ctest reports a skip).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfcc/runtime.h>

#include "cases.h"
#include "verifier/verifier.h"

START_TEST(test_case_kernel)
{
	const struct call_case *c = &call_cases[_i];
	struct bpfcc_rt_result *res = NULL;
	struct bpfcc_rt_load_opts lo = {
	    .sz = sizeof(lo), .log_size = 1u << 20, .log_size_max = 4u << 20};
	struct vrf_verdict v;
	int err;

	err = bpfcc_rt_load_insns(BPF_PROG_TYPE_SOCKET_FILTER, 0, c->insns, c->n, NULL, c->name,
	                          &lo, &res);
	ck_assert_msg(err == 0 && res, "%s: kernel load could not run: %d", c->name, err);
	if (c->ok) {
		ck_assert_msg(res->verdict == BPFCC_RT_ACCEPTED, "%s: kernel refused: %s", c->name,
		              res->kernel_msg ? res->kernel_msg : "?");
	} else {
		ck_assert_msg(res->verdict == BPFCC_RT_REJECTED,
		              "%s: kernel verdict %s, want \"%s\"", c->name,
		              bpfcc_rt_verdict_name(res->verdict), c->kmsg);
		ck_assert_msg(res->kernel_msg && strcmp(res->kernel_msg, c->kmsg) == 0,
		              "%s: kernel says \"%s\", want \"%s\"", c->name,
		              res->kernel_msg ? res->kernel_msg : "", c->kmsg);
		ck_assert_int_eq(-res->err, vrf_rule_errno(c->rule));
	}
	err = verifier_run(c->insns, c->n, NULL, NULL, &v, NULL);
	ck_assert_msg((err == 0) == c->ok, "%s: bpfcc disagrees with the kernel (%s)", c->name,
	              v.kernel_msg);
	if (!c->ok) {
		ck_assert_str_eq(v.kernel_msg, res->kernel_msg);
		if (res->insn >= 0)
			ck_assert_msg(v.insn == res->insn,
			              "%s: kernel fails at insn %d, bpfcc at %d", c->name,
			              res->insn, v.insn);
	}
	bpfcc_rt_result_free(res);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verifier_call_kernel");
	TCase *tc = tcase_create("kernel");
	char why[256] = "";
	SRunner *sr;
	int failed;

	if (bpfcc_rt_probe(why, sizeof(why)) < 0) {
		printf("SKIP: cannot load BPF programs here: %s\n", why);
		return 77;
	}
	tcase_add_loop_test(tc, test_case_kernel, 0, (int)call_ncases);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
