/*
 * pkt.h - direct packet access (private to compiler/verifier/, implemented by mem_pkt.c).
 *
 * Models the kernel's packet pointers (PTR_TO_PACKET, PTR_TO_PACKET_META,
 * PTR_TO_PACKET_END): the range a comparison with data_end proves
 * (find_good_pkt_pointers, mark_pkt_end), the branches such a comparison decides
 * (is_pkt_ptr_branch_taken), loads and stores through them (check_packet_access), the
 * new id a variable offset makes (adjust_ptr_min_max_vals), and the helpers that may
 * move the packet data and so invalidate every packet pointer (clear_all_pkt_pointers).
 */
#ifndef BPFCC_VERIFIER_PKT_H
#define BPFCC_VERIFIER_PKT_H

#include <stdbool.h>
#include <stdint.h>

#include "verifier/state.h"

#define VRF_MAX_PACKET_OFF 0xffff /* MAX_PACKET_OFF */
#define VRF_PKT_AT_END     (-1)   /* range: the pointer equals data_end (AT_PKT_END) */
#define VRF_PKT_BEYOND_END (-2)   /* range: the pointer lies past data_end (BEYOND_PKT_END) */

/* A packet pointer of any kind (reg_is_pkt_pointer_any). */
bool pkt_is_any(const struct vrf_reg *r);

/*
 * check_packet_access() of `size` bytes at insn offset `off` (ptr->off is added here)
 * through packet pointer ptr held in register regno: refuses a negative variable part,
 * an access outside the proven range, stores in program types that may only read the
 * packet (write: a BPF_ST/BPF_STX store), and any access through data_end.  A read (dst
 * non-NULL) leaves an unknown scalar in *dst.  Helper memory arguments pointing into the
 * packet call this with off 0, write false and the helper's access size (size 0 is
 * allowed: the caller decides zero sizes).  0 or -EINVAL after the fault.
 */
int mem_pkt_access(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int off, int size,
                   bool write, struct vrf_reg *dst, int idx);

/* is_pkt_ptr_branch_taken(): 1 taken, 0 not taken, -1 unknown (64-bit jumps only). */
int pkt_branch_taken(const struct vrf_reg *dst, const struct vrf_reg *src, uint8_t op, bool is32);

/*
 * try_match_pkt_pointers(): after the conditional jump `in` was split into fall (the
 * fall-through state) and taken (the jump target's), gives the proven range to every
 * register and spilled copy of the compared pointer's id, in the branch where it holds,
 * and marks the pointer as at or beyond data_end in the other.  Nothing for JMP32, BPF_K
 * or pairs that are not packet vs data_end / meta vs packet start.
 */
void pkt_cond_refine(const struct bpf_insn *in, struct vrf_state *fall, struct vrf_state *taken);

/*
 * adjust_ptr_min_max_vals() for packet pointers, after the result `dst` was computed from
 * ptr and a scalar `val` with op (BPF_ADD / BPF_SUB): a variable offset makes a new
 * pointer (fresh id) whose range is unknown (0); a subtracted value known not to be
 * negative keeps the range.
 */
void pkt_after_arith(struct vrf_env *env, struct vrf_reg *dst, const struct scalar *val,
                     uint8_t op);

/* bpf_helper_changes_pkt_data(): may the helper move or resize the packet data? */
bool pkt_helper_changes_data(int32_t helper_id);

/* is_kfunc_pkt_changing(): a kfunc call to bpf_xdp_pull_data (named through
 * opts->kernel_btf; false when it is not known). */
bool pkt_kfunc_changes_data(const struct vrf_env *env, const struct bpf_insn *in);

/*
 * changes_pkt_data of a subprogram (Linux 6.13+, computed from the instructions): does the
 * function starting at insn `start`, or one it calls, call a helper that changes packet
 * data, bpf_tail_call or bpf_xdp_pull_data?  A call to such a global function (verified
 * on its own) invalidates the caller's packet pointers: pkt_clear_all() after it.
 */
bool pkt_subprog_changes_data(const struct vrf_env *env, int start);

/* clear_all_pkt_pointers(): every packet pointer of every frame, registers and spills,
 * becomes an unknown scalar. */
void pkt_clear_all(struct vrf_state *st);

#endif
