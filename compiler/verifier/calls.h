/*
 * calls.h - what the verifier knows about functions beyond one frame (private to
 * compiler/verifier/): subprogram boundaries, the stack each one uses, which are callbacks
 * (sync: bpf_loop, bpf_for_each_map_elem, bpf_find_vma, bpf_user_ringbuf_drain; async:
 * bpf_timer_set_callback), and the checks the kernel makes across frames after the
 * exploration (check_max_stack_depth()).
 *
 * call_subprog.c: stack depth per subprogram (update_stack_depth() as accesses are
 * checked), the combined depth along every call chain and tail calls from subprograms.
 * call_cb.c: callbacks entered from helper calls, their argument registers, the range
 * their r0 must lie in, and the loop the kernel makes of sync callbacks.
 */
#ifndef BPFCC_VERIFIER_CALLS_H
#define BPFCC_VERIFIER_CALLS_H

#include "verifier/state.h"

struct calls_info {
	struct cfg *cfg;    /* subprogram boundaries */
	int32_t *depth;     /* per subprogram: bytes of stack used (subprog_info.stack_depth) */
	uint8_t *async;     /* per subprogram: entered as an async callback (is_async_cb) */
	uint8_t *tail;      /* per subprogram: calls bpf_tail_call (has_tail_call) */
	uint8_t *cb_target; /* per subprogram: entered as a callback on some path */
	bool cb_rounds;     /* a sync callback returned to its call (rounds explored) */
	bool no_widen;      /* callback rounds keep every value exact (second run) */
	uint8_t *called;    /* per subprogram: a global function whose call was reached */
	uint8_t *verified;  /* per subprogram: global function verified on its own */
	int entry;          /* subprogram being verified (0: the program's entry) */
	/* call_cb.c: the program enters sync callbacks (cb_track); per subprogram, the stack
	 * slots of its frames (bit k: fp-8(k+1)) whose value a branch the values decided
	 * compared: precise for the kernel; cb_unsure: a round kept a register exact for
	 * prune.c's static demand alone (the kernel may have widened it) */
	bool cb_track, cb_unsure;
	uint64_t *slot_sure;
};

/* call_subprog.c */
/* Subprogram table for env; 0, or -ENOMEM.  Leaves env->calls NULL when the program's
 * subprograms cannot be found (the structural checks reported it). */
int calls_prepare(struct vrf_env *env);
void calls_free(struct vrf_env *env);
/* Subprogram index of the function starting at (or containing) insn; -1 when unknown. */
int calls_subprog_of(const struct vrf_env *env, int insn);
/* A stack access reaching down to fp + lowest (lowest < 0) in frame `frameno` of the
 * current state: grows that function's stack depth. */
void calls_note_stack(struct vrf_env *env, int frameno, int64_t lowest);
/* The stack pointers among a call's argument registers r1-r5: the callee may touch the
 * bytes from there up. */
void calls_note_call_args(struct vrf_env *env);
/* check_max_stack_depth(): after a successful exploration, the stack of every call chain
 * ("combined stack size of %d calls is %d. Too large") and tail calls below big frames.
 * 0 or the fault (-EINVAL). */
int calls_check_stack_depth(struct vrf_env *env);

/* call_global.c */
/* Is insn the first instruction of a global function (BTF FUNC linkage global)? */
bool calls_is_global(const struct vrf_env *env, int insn);
/* A call at idx of the global function at target: marks it for verification, clears
 * r0-r5, r0 an unknown number unless it returns void; *next = idx + 1.  0. */
int calls_global_call(struct vrf_env *env, int idx, int target, int *next);
/* The initial state of the exploration: the program's (r1 = ctx) or, while a global
 * function is verified, its arguments typed from BTF.  0 or -ENOMEM. */
int calls_init_state(struct vrf_env *env);
/* do_check_subprogs(): every global function whose call was reached, verified on its
 * own after the entry function.  0, or the fault / -ENOMEM. */
int calls_run_globals(struct vrf_env *env);

/* iter.c */
/* Is insn idx a bpf_iter_*_next() kfunc call (forced checkpoint, loop convergence)? */
bool iter_is_next_call(const struct vrf_env *env, int idx);
/* A bpf_iter_*_{new,next,destroy} kfunc call: 0 handled (*next set), 1 not an iterator
 * call bpfcc models (the caller treats it as a plain kfunc), or the fault / -ENOMEM. */
int iter_kfunc_call(struct vrf_env *env, const struct bpf_insn *in, int idx, int *next);
/* At a next() call: is the iterator r1 points to active in the current state? */
bool iter_active_at(const struct vrf_env *env, int idx);
/* iter_active_depths_differ(): an active iterator one round deeper in b than in a. */
bool iter_depths_differ(const struct vrf_state *a, const struct vrf_state *b);
/* An exit of frame 0 with an iterator still alive: "BPF_EXIT instruction in main prog
 * would lead to reference leak".  0 or the fault. */
int iter_check_leak(struct vrf_env *env, int idx);

/* call_cb.c */
/* ld_imm64 BPF_PSEUDO_FUNC: dst becomes a pointer to the callback at insn `target`. */
void cb_mark_func(struct vrf_reg *dst, int target);
/* A helper call that takes a callback (after its arguments were checked, before r1-r5 are
 * clobbered): queues the callback's frame as the kernel's push_callback_call() does.
 * 0 or the fault / -ENOMEM. */
int cb_helper_call(struct vrf_env *env, const struct bpf_insn *in, int idx);
/* exit from a callback frame (st->frame[curframe]->cb_kind != 0): r0 in the callback's
 * range, then back to the call instruction (sync) or the end of the path (async).
 * *next as transfer_exit's.  0 or the fault. */
int cb_exit(struct vrf_env *env, int idx, int *next);
/* Is insn idx a helper call that takes a sync callback (prune point with RANGE_WITHIN
 * comparison of in-flight states)? */
bool cb_calls_sync_callback(const struct vrf_env *env, int idx);
/* Is the finding just recorded (env->fault, on env->cur) one bpfcc cannot be sure the
 * kernel makes?  A path through a callback round that widened more than the kernel may
 * (its precision marks are not fully modelled for the stack), a loop found while callback
 * rounds were explored, or the limits hit when a round kept a value the kernel may have
 * widened. */
bool cb_fault_undecided(const struct vrf_env *env);
/* Around each instruction of a program with sync callbacks (calls->cb_track): which stack
 * slot each register was last filled from (vrf_frame.reg_prov), and the slots a decided
 * branch makes precise.  cb_track_pre() before the step returns what the destination
 * register will come from; cb_track_post() after it (npending: queued branches before). */
uint16_t cb_track_pre(const struct vrf_env *env, const struct bpf_insn *in);
void cb_track_post(struct vrf_env *env, const struct bpf_insn *in, uint16_t pre, int npending);

#endif
