/*
 * test_mem.c - verifier_run() on the memory-rule cases (cases.c) without a kernel: the
 * verdict, rule, errno and kernel message must be the kernel's (the expectations come
 * from the live kernel and test_mem_kernel.c re-checks them there).  Also: a program
 * type or attach type the context table does not know stays permissive.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "../verifier_engine/insn_build.h"
#include "cases.h"
#include "verifier/verifier.h"

START_TEST(test_case_verdict)
{
	const struct mem_case *c = &mem_cases[_i];
	struct vrf_options o = mem_case_options(c);
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

/* Without an answer from the table (XDP loaded with an attach type we were not told, a
 * program type never probed) an out-of-range context read is not refused. */
START_TEST(test_unknown_config_permissive)
{
	const struct bpf_insn prog[] = {LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 4000),
	                                MOV64_IMM(BPF_REG_0, 2), EXIT()};
	struct vrf_options xdp = {.prog_type = BPF_PROG_TYPE_XDP};
	struct vrf_options unspec = {.prog_type = BPF_PROG_TYPE_UNSPEC};
	struct vrf_options told = {.prog_type = BPF_PROG_TYPE_XDP,
	                           .flags = VRF_F_ATTACH_TYPE,
	                           .expected_attach_type = BPF_XDP};
	struct vrf_verdict v;

	ck_assert_int_eq(verifier_run(prog, 3, &xdp, NULL, &v, NULL), 0);
	ck_assert_int_eq(verifier_run(prog, 3, &unspec, NULL, &v, NULL), 0);
	ck_assert_int_eq(verifier_run(prog, 3, &told, NULL, &v, NULL), -EINVAL);
	ck_assert_int_eq(v.rule, VRF_R_CTX_ACCESS);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verifier_mem");
	TCase *tc = tcase_create("cases");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_case_verdict, 0, (int)mem_ncases);
	tcase_add_test(tc, test_unknown_config_permissive);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
