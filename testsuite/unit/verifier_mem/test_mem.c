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
#include "../common/vrf_case.h"
#include "cases.h"
#include "verifier/verifier.h"

START_TEST(test_case_verdict)
{
	const struct mem_case *c = &mem_cases[_i];
	const struct vrf_case vc = {c->name, c->ok, c->kmsg, c->rule};
	struct vrf_options o = mem_case_options(c);

	vrf_case_check(&vc, c->insns, c->n, &o, NULL);
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
	const TTest *const extra[] = {test_unknown_config_permissive};

	return vrf_case_main("verifier_mem", test_case_verdict, (int)mem_ncases, extra,
	                     sizeof(extra) / sizeof(extra[0]));
}
