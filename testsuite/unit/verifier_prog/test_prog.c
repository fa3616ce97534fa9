/*
 * test_prog.c - verifier_run() on the program-type cases (cases.c) without a kernel: the
 * verdict, rule and kernel message must be the kernel's (the expectations come from the live
 * kernel; test_prog_kernel.c re-checks them there).  Also the search for a bpf_spin_lock in
 * a map value's BTF (lock_find_spin_lock) on hand-built types.
 */
#include <bpf/btf.h>
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "../common/vrf_case.h"
#include "cases.h"
#include "verifier/prog.h"
#include "verifier/verifier.h"

START_TEST(test_case_verdict)
{
	const struct prog_case *c = &prog_cases[_i];
	const struct vrf_case vc = {c->name, c->ok, c->kmsg, c->rule};
	struct vrf_options o = prog_case_options(c);

	vrf_case_check(&vc, c->insns, c->n, &o, NULL);
}
END_TEST

/* Without the attach type the ranges that depend on it are not applied. */
START_TEST(test_no_attach_type)
{
	const struct bpf_insn insns[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	struct vrf_options o = {.prog_type = BPF_PROG_TYPE_CGROUP_SOCK_ADDR};

	ck_assert_int_eq(verifier_run(insns, 2, &o, NULL, NULL, NULL), 0);
	o.flags = VRF_F_ATTACH_TYPE;
	o.expected_attach_type = BPF_CGROUP_UDP6_RECVMSG;
	ck_assert_int_eq(verifier_run(insns, 2, &o, NULL, NULL, NULL), -EINVAL);
}
END_TEST

START_TEST(test_find_spin_lock)
{
	struct btf *btf = btf__new_empty();
	int u32, lock, inner, outer, plain, ptr, sec, var;

	ck_assert_ptr_nonnull(btf);
	u32 = btf__add_int(btf, "unsigned int", 4, 0);
	lock = btf__add_struct(btf, "bpf_spin_lock", 4);
	btf__add_field(btf, "val", u32, 0, 0);
	/* struct inner { u32 a; struct bpf_spin_lock l; } */
	inner = btf__add_struct(btf, "inner", 8);
	btf__add_field(btf, "a", u32, 0, 0);
	btf__add_field(btf, "l", lock, 32, 0);
	/* struct outer { u32 x, y; struct inner in; } */
	outer = btf__add_struct(btf, "outer", 16);
	btf__add_field(btf, "x", u32, 0, 0);
	btf__add_field(btf, "y", u32, 32, 0);
	btf__add_field(btf, "in", inner, 64, 0);
	plain = btf__add_struct(btf, "plain", 8);
	btf__add_field(btf, "a", u32, 0, 0);
	ptr = btf__add_ptr(btf, lock);
	btf__add_field(btf, "p", ptr, 0, 0);
	/* a .bss holding u32 then a lock: the lock at the variable's offset */
	var = btf__add_var(btf, "glock", BTF_VAR_GLOBAL_ALLOCATED, lock);
	sec = btf__add_datasec(btf, ".bss", 16);
	btf__add_datasec_var_info(btf, var, 8, 4);
	ck_assert_int_gt(sec, 0);

	ck_assert_int_eq(lock_find_spin_lock(btf, (uint32_t)lock), 0);
	ck_assert_int_eq(lock_find_spin_lock(btf, (uint32_t)inner), 4);
	ck_assert_int_eq(lock_find_spin_lock(btf, (uint32_t)outer), 12);
	ck_assert_int_eq(lock_find_spin_lock(btf, (uint32_t)plain), -ENOENT);
	ck_assert_int_eq(lock_find_spin_lock(btf, (uint32_t)sec), 8);
	ck_assert_int_eq(lock_find_spin_lock(btf, 0), -EINVAL);
	ck_assert_int_eq(lock_find_spin_lock(NULL, (uint32_t)lock), -EINVAL);
	btf__free(btf);
}
END_TEST

int main(void)
{
	const TTest *const extra[] = {test_no_attach_type, test_find_spin_lock};

	return vrf_case_main("verifier_prog", test_case_verdict, (int)prog_ncases, extra,
	                     sizeof(extra) / sizeof(extra[0]));
}
