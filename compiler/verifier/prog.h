/*
 * prog.h - the rules that depend on the program type and on locks held (private to
 * compiler/verifier/): what r0 may hold at exit (prog_exit.c, check_return_code()),
 * which calls a program may make where (prog_call.c: the helper allow-list of the program
 * type, helpers that might sleep, calls inside a bpf_spin_lock or RCU read section), and
 * the lock state of a path (lock.c: bpf_spin_lock / bpf_spin_unlock, bpf_rcu_read_lock /
 * bpf_rcu_read_unlock, maps with a lock in tracing programs).
 *
 * Every function returns 0 when the kernel would go on, or -EINVAL after env_fault() with
 * the kernel's message.  What bpfcc cannot decide passes.
 */
#ifndef BPFCC_VERIFIER_PROG_H
#define BPFCC_VERIFIER_PROG_H

#include "verifier/state.h"

/* The expected attach type the program is loaded with (CHECK_ATTACH_NONE when none). */
int32_t prog_attach_type(const struct vrf_env *env);

/* prog_exit.c: check_return_code() for the main program's exit (r0 already read). */
int prog_exit_check_return(struct vrf_env *env, int idx);

/*
 * prog_call.c: a helper or kfunc call before its arguments are looked at: calls inside a
 * bpf_spin_lock section, helpers the program type does not offer, helpers that might
 * sleep in a non-sleepable program or inside an RCU read section.
 */
int prog_call_check(struct vrf_env *env, const struct bpf_insn *in, int idx);
/* After the arguments passed: bpf_spin_lock/unlock and the RCU kfuncs change the path's
 * lock state. */
int prog_call_after_args(struct vrf_env *env, const struct bpf_insn *in, int idx);

/* lock.c */
/* check_resource_leak() for the lock sections at the main program's exit (prefix "BPF_EXIT
 * instruction in main prog") and at a tail call ("tail_call"). */
int lock_check_exit(struct vrf_env *env, int idx, const char *prefix);
/* process_spin_lock() for bpf_spin_lock (is_lock) / bpf_spin_unlock, lock pointer in r1. */
int lock_spin(struct vrf_env *env, bool is_lock, int idx);
/* bpf_rcu_read_lock() / bpf_rcu_read_unlock() kfuncs. */
int lock_rcu(struct vrf_env *env, bool is_lock, int idx);
/* check_map_prog_compatibility(): maps holding a bpf_spin_lock named by ld_imm64 in a
 * tracing or socket filter program, map types a sleepable program may not use.  Run once
 * over the program before exploring. */
int lock_check_maps(struct vrf_env *env);
/* Do two states hold the same locks (for pruning)? */
bool lock_state_equal(const struct vrf_state *a, const struct vrf_state *b);
/*
 * Offset of the struct bpf_spin_lock inside BTF type `type_id` of the program's BTF
 * (structs, nested structs, DATASEC variables): >= 0, -ENOENT when it has none, -EINVAL
 * when the BTF cannot tell.
 */
int lock_find_spin_lock(const struct btf *btf, uint32_t type_id);

/* mem_btf.c */
/* r becomes a pointer to kernel_btf struct struct_id with VRF_RF_* flags (VRF_RF_KBTF added). */
void mem_btf_set_ptr(struct vrf_reg *r, uint32_t struct_id, uint8_t flags);
/* btf_ctx_access(): a tracing program's read of its argument at ctx offset off; 1 when *dst
 * became a BTF pointer, 0 when bpfcc leaves it as it was. */
int mem_btf_ctx_arg(struct vrf_env *env, int off, int size, struct vrf_reg *dst);
/* r0 of bpf_get_current_task_btf(): 1 when typed (task_struct found in the kernel BTF). */
int mem_btf_current_task(struct vrf_env *env, struct vrf_reg *r0);
/*
 * check_ptr_to_btf_access() through the BTF pointer ptr (register regno) at insn offset
 * off: 0 when not judged (dst untouched), 1 when *dst was filled for a read, -EINVAL after
 * the fault.
 */
int mem_btf_access(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int off, int size,
                   bool write, struct vrf_reg *dst, bool sx, int idx);

/* btf_trust.c */
/* Is the path inside an RCU read section as in_rcu_cs() sees it (bpf_rcu_read_lock held,
 * a spin lock held, or a program that is not sleepable)? */
bool btf_trust_in_rcu_cs(const struct vrf_env *env);
/* is_trusted_reg() for a kernel object pointer: referenced, or PTR_TRUSTED alone. */
bool btf_trust_is_trusted(const struct vrf_reg *r);
/* An 8-byte load at byte `at` of the kernel object ptr points to: 1 when it reads a
 * pointer to a kernel struct and *dst became that pointer with the kernel's trust flags
 * (maybe NULL with a fresh id for the _or_null lists), 0 when bpfcc leaves *dst alone. */
int btf_trust_load(struct vrf_env *env, const struct vrf_reg *ptr, long long at, int size,
                   struct vrf_reg *dst);
/* Do the `size` bytes at `at` of the kernel object ptr points to lie inside an integer or
 * enum member (a number for sure, never a pointer)? */
bool btf_trust_is_scalar(const struct vrf_env *env, const struct vrf_reg *ptr, long long at,
                         int size);
/* bpf_rcu_read_unlock(): the path's MEM_RCU pointers become untrusted. */
void btf_trust_rcu_unlock(struct vrf_env *env);

/* kptr.c */
/* An access (insn in) at insn offset off through the map value pointer ptr, bounds already
 * checked: -EINVAL/-EACCES after the fault when it touches a kptr field the wrong way, 1
 * when a load of one filled *dst (a kernel object pointer that may be NULL), 0 otherwise. */
int kptr_map_access(struct vrf_env *env, const struct bpf_insn *in, const struct vrf_reg *ptr,
                    int off, int size, struct vrf_reg *dst, int idx);
/* bpf_kptr_xchg(): the kernel struct of the referenced kptr field r points at exactly; 0
 * when r points at none or bpfcc cannot tell. */
uint32_t kptr_xchg_struct(struct vrf_env *env, const struct vrf_reg *r);

#endif /* BPFCC_VERIFIER_PROG_H */
