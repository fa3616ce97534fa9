/*
 * call.h - the verifier's checks on calls beyond register bookkeeping (check_helper_call()
 * and friends): which helper ids exist, argument registers' types.  Argument memory,
 * callbacks and references are still to come.
 */
#ifndef BPFCC_VERIFIER_CALL_H
#define BPFCC_VERIFIER_CALL_H

#include "verifier/state.h"

/* One past the last helper id the 6.18 kernel knows (__BPF_FUNC_MAX_ID). */
#define VRF_HELPER_ID_END 212
/* libbpf's "call 0xbad2310": an instruction whose CO-RE relocation could not be resolved */
#define VRF_CORE_POISON_IMM 0xbad2310

/*
 * A helper call reached on a path with an id the kernel does not know ("invalid func
 * unknown#%d", -EINVAL), libbpf's poisoned CO-RE call among them.  0 or the fault.
 */
int call_check_helper_id(struct vrf_env *env, const struct bpf_insn *in, int idx);
/*
 * The arguments of a helper call against its prototype (helper_proto.h): each register
 * initialised ("R%d !read_ok") and of an accepted type ("R%d type=%s expected=%s").
 * Kinds bpfcc does not model pass.  0 or the fault.
 */
int call_check_helper_args(struct vrf_env *env, const struct bpf_insn *in, int idx);
/*
 * After the arguments (call_map.c): the helper and the map type of its map argument fit
 * each other (check_map_func_compatibility(), map_func.def: "cannot pass map_type %d into
 * func %s#%d"; "expected prog array map for tail call").  A map bpfcc does not know passes.
 * 0 or the fault.
 */
int call_map_check(struct vrf_env *env, const struct bpf_insn *in, int idx);
/* bpf_for_each_map_elem over a map type without per-element callbacks ("callback function
 * not allowed for map", -ENOTSUPP), checked where the kernel sets the callback up, before
 * the callback runs.  0 or the fault. */
int call_map_check_callback(struct vrf_env *env, const struct bpf_insn *in, int idx);
/* check_map_prog_compatibility() for the map the ld_imm64 at insn i names, beyond the spin
 * lock and sleepable rules (lock.c): a tracing program may not use a map whose value holds
 * a bpf_timer or a bpf_wq ("tracing progs cannot use bpf_timer yet").  0 or the fault. */
int call_map_prog_check(struct vrf_env *env, const struct bpf_insn *in, int i);

#endif
