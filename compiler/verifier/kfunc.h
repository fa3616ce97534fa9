/*
 * kfunc.h - kfunc calls (check_kfunc_call() of kernel/bpf/verifier.c, Linux 6.18) as far
 * as references go: the kfunc is named through the target kernel's BTF (the call's imm is
 * a FUNC id there; off 0 = vmlinux, module kfuncs are not looked at), its flags come from
 * kfunc_flags.def (the kernel's BTF_ID_FLAGS lists), r0 from its BTF prototype.
 */
#ifndef BPFCC_VERIFIER_KFUNC_H
#define BPFCC_VERIFIER_KFUNC_H

#include <stdint.h>

#include "verifier/state.h"

/* The kernel's KF_* kfunc flags (include/linux/btf.h), our own bit values. */
#define VRF_KF_ACQUIRE       (1u << 0)  /* returns a referenced object */
#define VRF_KF_RELEASE       (1u << 1)  /* releases its referenced argument */
#define VRF_KF_RET_NULL      (1u << 2)  /* the result may be NULL */
#define VRF_KF_TRUSTED_ARGS  (1u << 3)  /* pointer arguments must be trusted */
#define VRF_KF_SLEEPABLE     (1u << 4)  /* only in sleepable programs */
#define VRF_KF_RCU           (1u << 5)  /* arguments may be RCU pointers */
#define VRF_KF_ITER_NEW      (1u << 6)  /* open-coded iterator constructor */
#define VRF_KF_ITER_NEXT     (1u << 7)  /* ... its next step */
#define VRF_KF_ITER_DESTROY  (1u << 8)  /* ... its destructor */
#define VRF_KF_RCU_PROTECTED (1u << 9)  /* only inside bpf_rcu_read_lock() */
#define VRF_KF_DESTRUCTIVE   (1u << 10) /* needs CAP_SYS_BOOT */
/* bpfcc's own: the referenced node argument is taken over by a collection (list and
 * rbtree insertions: the kernel turns the reference into a non-owning one) */
#define VRF_KF_TAKES_NODE (1u << 16)

/* The flags of the kfunc called name (with its bpf_ prefix); 0 when not in the table. */
uint32_t kfunc_flags_by_name(const char *name);

/* The name of the kfunc an instruction calls (BPF_PSEUDO_KFUNC_CALL, off 0), from
 * vrf_options.kernel_btf; NULL when unknown (no BTF, module kfunc, bad id). */
const char *kfunc_name(const struct vrf_env *env, const struct bpf_insn *in);

/* Before a kfunc call's registers are clobbered: KF_RELEASE releases the referenced
 * argument, bpf_rcu_read_lock/unlock open and close the RCU section ("unmatched rcu read
 * unlock (kernel function %s)").  0 or the fault. */
int kfunc_call_pre(struct vrf_env *env, const struct bpf_insn *in, int idx);
/* After the call: r0 from the BTF prototype (void: not initialised; a struct pointer:
 * VRF_T_BTF_ID, maybe NULL with KF_RET_NULL, referenced with KF_ACQUIRE). */
void kfunc_call_post(struct vrf_env *env, const struct bpf_insn *in, int idx);

/* A kfunc call with imm 0 and off 0 is one libbpf left unresolved (a __weak kfunc the
 * kernel lacks).  check_kfunc_call() skips it - no argument checks, nothing clobbered, r0
 * not written - and fixup_kfunc_call() refuses the program once verification is over if
 * a path reached it ("invalid kernel function call not eliminated in verifier pass").
 * kfunc_call_unresolved() is true for such a call and notes that a path reached it;
 * kfunc_check_unresolved() gives the fault after the exploration (0 when none was reached). */
/* kfunc_prog.c: may a program of this type and expected attach type (CHECK_ATTACH_NONE
 * for none) call kfunc `name`?  1 yes, 0 no (the kernel refuses it), -ENOENT when the
 * table cannot tell (a kfunc it does not name, a program type it could not probe). */
int kfunc_prog_allowed(const char *name, uint32_t prog_type, int32_t attach_type);
/* The kernel release the table was probed on. */
const char *kfunc_prog_kernel(void);
/* At a kfunc call, before its arguments: "calling kernel function %s is not allowed" when
 * the table says so.  0 or the fault. */
int kfunc_check_prog_type(struct vrf_env *env, const struct bpf_insn *in, int idx);

bool kfunc_call_unresolved(struct vrf_env *env, const struct bpf_insn *in, int idx);
int kfunc_check_unresolved(struct vrf_env *env);

#endif
