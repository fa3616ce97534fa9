/*
 * ref.h - acquired references of a path (the kernel's acquired_refs / refs[] in
 * struct bpf_verifier_state, Linux 6.18) and what acquiring and releasing does to the
 * registers that carry them.
 *
 * A helper or kfunc that hands out an object the program must give back (a ring buffer
 * record, a socket from a lookup, a task from bpf_task_from_pid, an iterator, a ring
 * buffer dynptr) acquires a reference: a fresh id from the id generator, recorded with the
 * instruction of the acquisition.  Pointers to the object carry the id as ref_obj_id.
 * Releasing it removes the record and turns every copy of the pointer (registers and
 * spills, all frames) into an unknown scalar (mark_reg_invalid() for a privileged
 * loader), so a later access fails with "invalid mem access 'scalar'".  A NULL branch of
 * the pointer that acquired it drops the record without a release.  An exit of the main
 * program, or a bpf_tail_call, with a pointer reference still held is refused.
 *
 * Users: refs (ringbuf, sockets, kfuncs, dynptrs), calls (iterators), progtype (locks).
 */
#ifndef BPFCC_VERIFIER_REF_H
#define BPFCC_VERIFIER_REF_H

#include "verifier/state.h"

/* acquire_reference(): records a new reference of `kind` acquired at insn and returns its
 * id (> 0).  When the table is full the path stops checking leaks (refs_overflow) and the
 * id is still returned. */
uint32_t ref_acquire(struct vrf_env *env, int insn, enum vrf_ref_kind kind);

/* The reference record of id on st, NULL when not held. */
const struct vrf_ref *ref_find(const struct vrf_state *st, uint32_t id);

/* release_reference_nomark(): removes the record of id from st (no register changes).
 * 0, or -ENOENT when st does not hold it. */
int ref_drop(struct vrf_state *st, uint32_t id);

/* release_reference(): removes the record of id from the current state and invalidates
 * every register and spilled register carrying ref_obj_id == id (unknown scalars).
 * 0, or -ENOENT when the reference is not held (nothing is changed then; on a path that
 * overflowed the table, 0). */
int ref_release(struct vrf_env *env, uint32_t id);

/* Invalidates every register and spill of the current state with ref_obj_id == id
 * (mark_reg_invalid: an unknown scalar), without touching the reference table. */
void ref_invalidate_regs(struct vrf_env *env, uint32_t id);

/* The NULL check of a pointer (id, ref_obj_id) on state st: on the NULL side of a pointer
 * that acquired its own reference (ref_obj_id == id) the reference is dropped, as
 * mark_ptr_or_null_regs() does. */
void ref_null_branch(struct vrf_state *st, uint32_t id, uint32_t ref_obj_id, bool is_null);

/*
 * check_resource_leak() / check_reference_leak(): before the main program's exit
 * (prefix "BPF_EXIT instruction in main prog") or a bpf_tail_call (prefix "tail_call"),
 * every pointer reference must be released ("Unreleased reference id=%d alloc_insn=%d",
 * then "<prefix> would lead to reference leak") and no RCU read section open.  Exits of
 * subprograms are not checked (frame > 0).  0 or the fault.
 */
int ref_check_leak(struct vrf_env *env, int idx, const char *prefix);

/* refsafe(): the two states hold the same references in the same order, ids matched by
 * ids_fn (the pruning id map). */
bool ref_states_equal(const struct vrf_state *o, const struct vrf_state *c,
                      bool (*ids_fn)(void *m, uint32_t old, uint32_t cur), void *m);

/* What a helper call's arguments said, for its result (struct bpf_call_arg_meta). */
struct ref_call {
	int release_regno;   /* the released argument register, 0 for none */
	uint32_t ref_obj_id; /* reference of a referenced argument (casts pass it on) */
	uint64_t alloc_size; /* ARG_CONST_ALLOC_SIZE_OR_ZERO (ringbuf_reserve) */
	bool alloc_size_known;
	/* bpf_kptr_xchg: the kernel BTF struct of the kptr field r1 points at, 0 unknown */
	uint32_t kptr_btf_id;
};

/* call_ref.c: before a helper call's registers are clobbered (after its argument types
 * were checked): release arguments checked and released, reservation sizes, the
 * tail-call leak check.  0 or the fault. */
int ref_helper_pre(struct vrf_env *env, const struct bpf_insn *in, int idx, struct ref_call *rc);
/* call_ref.c: after r0 was set from the prototype: the kinds refs owns, acquisitions,
 * references passed on by casts. */
void ref_helper_post(struct vrf_env *env, const struct bpf_insn *in, int idx,
                     const struct ref_call *rc);

/* mem_ref.c: an access of `size` bytes at insn offset off through ptr (register regno),
 * a VRF_T_MEM or VRF_T_SOCKET pointer.  0 or the fault. */
int mem_ref_access(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int off, int size,
                   bool write, int idx);

/* dynptr.c: a helper's PTR_TO_DYNPTR argument argi (0-based): initialises, checks or
 * releases the dynptr it points to; a dynptr's reference goes to rc->ref_obj_id (for
 * bpf_dynptr_data's slice).  0 or the fault. */
int dynptr_helper_arg(struct vrf_env *env, const struct bpf_insn *in, int argi, struct ref_call *rc,
                      int idx);
/* dynptr.c: destroy_if_dynptr_stack_slot() for a store into stack slot k of frame f: a
 * ring buffer dynptr there is refused ("cannot overwrite referenced dynptr"), another one
 * stops being a dynptr.  0 or the fault. */
int dynptr_stack_write(struct vrf_env *env, struct vrf_frame *f, int k, int idx);
/* dynptr.c: stack arguments of a kfunc about dynptrs become dynptrs of unknown kind. */
void dynptr_kfunc_args(struct vrf_env *env, const struct bpf_insn *in);

/* print_reg_state() for the kinds refs owns: "ringbuf_mem_or_null(id=2,ref_obj_id=2,sz=8)".
 * Returns what snprintf returns. */
int trace_ref_reg(const struct vrf_reg *r, char *buf, size_t len);

/* print_verifier_state()'s " refs=2,5" (nothing when no reference is held) into buf. */
void trace_ref_state(const struct vrf_state *st, char *buf, size_t len);

/* reg_type_str() for the kinds refs owns (VRF_T_MEM, VRF_T_SOCKET, VRF_T_BTF_ID): the
 * flag prefixes, the base name and "_or_null" ("ringbuf_mem_or_null", "sock",
 * "trusted_ptr_"). */
const char *reg_ref_type_name(const struct vrf_reg *r);

#endif
