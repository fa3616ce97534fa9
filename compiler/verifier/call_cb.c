/*
 * call_cb.c - callbacks: functions the program hands to a helper by address (ld_imm64
 * BPF_PSEUDO_FUNC, a "func" pointer), as kernel/bpf/verifier.c of Linux 6.18 verifies
 * them (push_callback_call(), set_*_callback_state(), prepare_func_exit(),
 * check_return_code()).
 *
 * Sync callbacks run inside the helper, an unknown number of times: bpf_loop,
 * bpf_for_each_map_elem, bpf_find_vma, bpf_user_ringbuf_drain.  At the call the kernel
 * queues a state in which a new frame enters the callback with the helper's argument
 * registers turned into the callback's (bpf_loop: r1 = the index, r2 = the context;
 * for_each: r1 = map, r2 = key, r3 = value, r4 = context; ...), and goes on after the
 * call with r0 the helper's result.  When the callback returns, r0 must be a number in
 * [0, 1] ("At callback return the register R0 has ... should have been in [0, 1]"), and
 * the path goes back to the call instruction itself: the call is made again, entering
 * the callback once more, so the body is explored as a loop.  The call instruction is a
 * forced checkpoint; an arrival there whose state lies within (ranges, all scalars) the
 * state of an earlier round still in flight ends the path: the rounds have converged.
 * Before that comparison the kernel forgets what changed between the two rounds in
 * scalars whose exact value did not matter (widen_imprecise_scalars()), so counters
 * converge.  bpf_loop stops entering the callback after as many rounds as its count can
 * be (callback_depth against r1's maximum).
 *
 * Async callbacks (bpf_timer_set_callback) run later, on a stack of their own: a fresh
 * state with one frame (r1 = the map, r2 = the key, r3 = the value) is queued; its exit
 * is a program exit whose r0 must be 0 ("At async callback return ...").
 *
 * Precision: the kernel widens only scalars it has not marked precise.  Registers use
 * prune.c's static demand.  Spilled scalars: registers remember the stack slot they were
 * filled from (vrf_frame.reg_prov, cb_track_post()), and a branch the values decide marks
 * its operands' slots precise as mark_chain_precision() would; those stay exact.  Other
 * spilled scalars that changed between rounds are widened, which may forget more than the
 * kernel does (it also marks through uses bpfcc does not follow): a path that went through
 * such a widening and then fails is explored again without widening by run.c, and the
 * finding stands only when that confirms it.  The complexity limits hit while callback
 * rounds were explored are sure only when no round kept a value exact that the kernel may
 * have widened and nothing was widened on the failing path; a loop found there never is.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "verifier/calls.h"

/* The callback a helper takes: which argument register holds it and what the callback
 * gets (enum cb_args). */
enum cb_args {
	CB_ARGS_LOOP,
	CB_ARGS_MAP_ELEM,
	CB_ARGS_FIND_VMA,
	CB_ARGS_USER_RINGBUF,
	CB_ARGS_TIMER,
};

static const struct {
	int32_t helper;
	uint8_t func_reg;
	uint8_t args;
	uint8_t kind; /* enum vrf_cb_kind */
	int32_t ret_min, ret_max;
} cb_helpers[] = {
    {BPF_FUNC_loop, BPF_REG_2, CB_ARGS_LOOP, VRF_CB_SYNC, 0, 1},
    {BPF_FUNC_for_each_map_elem, BPF_REG_2, CB_ARGS_MAP_ELEM, VRF_CB_SYNC, 0, 1},
    {BPF_FUNC_find_vma, BPF_REG_3, CB_ARGS_FIND_VMA, VRF_CB_SYNC, 0, 1},
    {BPF_FUNC_user_ringbuf_drain, BPF_REG_2, CB_ARGS_USER_RINGBUF, VRF_CB_SYNC, 0, 1},
    {BPF_FUNC_timer_set_callback, BPF_REG_2, CB_ARGS_TIMER, VRF_CB_ASYNC, 0, 0},
};

#define CB_NHELPERS (sizeof(cb_helpers) / sizeof(cb_helpers[0]))

static int cb_find(const struct bpf_insn *in)
{
	size_t i;

	if (!insn_is_helper_call(in))
		return -1;
	for (i = 0; i < CB_NHELPERS; i++)
		if (cb_helpers[i].helper == in->imm)
			return (int)i;
	return -1;
}

/* regs_exact() for two scalars: the same value domain. */
static bool scalar_same_value(const struct vrf_reg *a, const struct vrf_reg *b)
{
	const struct scalar *x = &a->s, *y = &b->s;

	return x->var_off.value == y->var_off.value && x->var_off.mask == y->var_off.mask &&
	       x->smin == y->smin && x->smax == y->smax && x->umin == y->umin &&
	       x->umax == y->umax && x->s32_min == y->s32_min && x->s32_max == y->s32_max &&
	       x->u32_min == y->u32_min && x->u32_max == y->u32_max;
}

void cb_mark_func(struct vrf_reg *dst, int target)
{
	reg_mark_const(dst, 0);
	dst->type = VRF_T_FUNC;
	dst->off = target;
}

bool cb_calls_sync_callback(const struct vrf_env *env, int idx)
{
	int k = cb_find(&env->insns[idx]);

	return k >= 0 && cb_helpers[k].kind == VRF_CB_SYNC;
}

/* A known, non-NULL pointer of a kind bpfcc does not model (map keys, VMAs, dynptrs). */
static void cb_opaque_ptr(struct vrf_reg *r)
{
	reg_mark_const(r, 0);
	r->type = VRF_T_OTHER;
}

/* set_*_callback_state(): the callee's argument registers from the caller's. */
static void cb_set_args(struct vrf_frame *callee, const struct vrf_reg *caller, int args)
{
	struct vrf_reg *r = callee->regs;

	switch (args) {
	case CB_ARGS_LOOP:
		reg_mark_unknown(&r[BPF_REG_1]);
		r[BPF_REG_2] = caller[BPF_REG_3];
		break;
	case CB_ARGS_MAP_ELEM:
		r[BPF_REG_1] = caller[BPF_REG_1];
		cb_opaque_ptr(&r[BPF_REG_2]);
		reg_mark_const(&r[BPF_REG_3], 0);
		r[BPF_REG_3].type = VRF_T_MAP_VALUE;
		r[BPF_REG_3].map = caller[BPF_REG_1].map;
		r[BPF_REG_3].map_src =
		    caller[BPF_REG_1].type == VRF_T_MAP_PTR ? caller[BPF_REG_1].map_src : 0;
		r[BPF_REG_4] = caller[BPF_REG_3];
		break;
	case CB_ARGS_FIND_VMA:
		r[BPF_REG_1] = caller[BPF_REG_1];
		cb_opaque_ptr(&r[BPF_REG_2]);
		r[BPF_REG_3] = caller[BPF_REG_4];
		break;
	case CB_ARGS_USER_RINGBUF:
		cb_opaque_ptr(&r[BPF_REG_1]);
		r[BPF_REG_2] = caller[BPF_REG_3];
		break;
	case CB_ARGS_TIMER: {
		/* r1 of bpf_timer_set_callback points into a map value: the callback gets
		 * that map, a key and the value */
		bool known = caller[BPF_REG_1].type == VRF_T_MAP_VALUE && caller[BPF_REG_1].map_src;

		reg_mark_const(&r[BPF_REG_1], 0);
		r[BPF_REG_1].type = VRF_T_MAP_PTR;
		r[BPF_REG_1].map = caller[BPF_REG_1].map;
		r[BPF_REG_1].map_src = known ? caller[BPF_REG_1].map_src : 0;
		cb_opaque_ptr(&r[BPF_REG_2]);
		reg_mark_const(&r[BPF_REG_3], 0);
		r[BPF_REG_3].type = VRF_T_MAP_VALUE;
		r[BPF_REG_3].map = caller[BPF_REG_1].map;
		r[BPF_REG_3].map_src = known ? caller[BPF_REG_1].map_src : 0;
		break;
	}
	}
}

static void cb_frame_setup(struct vrf_frame *callee, int frameno, int k)
{
	reg_mark_const(&callee->regs[BPF_REG_10], 0);
	callee->regs[BPF_REG_10].type = VRF_T_STACK;
	callee->regs[BPF_REG_10].frameno = (uint8_t)frameno;
	callee->cb_kind = cb_helpers[k].kind;
	callee->cb_ret_min = cb_helpers[k].ret_min;
	callee->cb_ret_max = cb_helpers[k].ret_max;
}

/* push_async_cb(): a fresh state whose only frame is the callback. */
static int cb_push_async(struct vrf_env *env, int k, int target, int idx)
{
	const struct vrf_reg *caller = state_regs(&env->cur);
	struct vrf_state *st;
	struct vrf_frame *f;
	int err = 0, i;

	f = state_frame_new(env, -1, target);
	if (!f)
		return -ENOMEM;
	cb_set_args(f, caller, cb_helpers[k].args);
	cb_frame_setup(f, 0, k);
	st = explore_push(env, target, idx, &err);
	if (!st) {
		state_frame_free(env, f);
		return err;
	}
	for (i = 0; i < VRF_MAX_CALL_FRAMES; i++) {
		state_frame_free(env, st->frame[i]);
		st->frame[i] = NULL;
	}
	st->frame[0] = f;
	st->curframe = 0;
	st->may_goto_depth = 0;
	st->callback_unroll_depth = 0;
	return 0;
}

int cb_helper_call(struct vrf_env *env, const struct bpf_insn *in, int idx)
{
	int k = cb_find(in), target, sp, err = 0;
	const struct vrf_reg *regs, *fn;
	struct vrf_frame *caller, *callee;
	struct vrf_state *st;

	if (k < 0 || !env->calls)
		return 0;
	regs = state_regs(&env->cur);
	fn = &regs[cb_helpers[k].func_reg];
	if (fn->type != VRF_T_FUNC)
		return 0; /* not a callback bpfcc can follow: nothing assumed */
	target = fn->off;
	sp = calls_subprog_of(env, target);
	if (sp < 0 || env->calls->cfg->subprogs[sp].start != target)
		return 0;
	env->calls->cb_target[sp] = 1;
	if (cb_helpers[k].kind == VRF_CB_ASYNC) {
		env->calls->async[sp] = 1;
		return cb_push_async(env, k, target, idx);
	}
	caller = state_cur_frame(&env->cur);
	if (cb_helpers[k].args == CB_ARGS_LOOP) {
		/* the count is precise; no more rounds than it can be */
		uint64_t max =
		    regs[BPF_REG_1].type == VRF_T_SCALAR ? regs[BPF_REG_1].s.umax : UINT64_MAX;

		if (caller->callback_depth >= max) {
			caller->callback_depth = 0;
			return 0;
		}
	}
	if (env->cur.curframe + 1 >= VRF_MAX_CALL_FRAMES)
		return env_fault(env, VRF_R_CALL_DEPTH, idx, "bpf-to-bpf calls nest deeper than 8",
		                 "the call stack of %d frames is too deep", env->cur.curframe + 2);
	callee = state_frame_new(env, idx, target);
	if (!callee)
		return -ENOMEM;
	st = explore_push(env, target, idx, &err);
	if (!st) {
		state_frame_free(env, callee);
		return err;
	}
	cb_set_args(callee, state_regs(st), cb_helpers[k].args);
	cb_frame_setup(callee, st->curframe + 1, k);
	st->frame[st->curframe]->callback_depth++;
	st->frame[++st->curframe] = callee;
	st->callback_unroll_depth++;
	caller->callback_depth = 0;
	return 0;
}

/* verbose_invalid_scalar() */
static int cb_bad_return(struct vrf_env *env, int idx, const char *ctx, const struct vrf_reg *r0,
                         int32_t lo, int32_t hi)
{
	char have[64] = "", d[200];
	int n = 0;

	if (r0->s.smin > INT64_MIN)
		n += snprintf(have + n, sizeof(have) - (size_t)n, " smin=%lld",
		              (long long)r0->s.smin);
	if (r0->s.smax < INT64_MAX)
		n += snprintf(have + n, sizeof(have) - (size_t)n, " smax=%lld",
		              (long long)r0->s.smax);
	if (!n)
		snprintf(have, sizeof(have), " unknown scalar value");
	snprintf(d, sizeof(d), "a %s callback must return a value in [%d, %d]; this path returns%s",
	         lo == hi ? "timer" : "bpf_loop/for_each", lo, hi, have);
	return env_fault(env, VRF_R_CALLBACK_RETURN, idx, d,
	                 "%s the register R0 has%s should have been in [%d, %d]", ctx, have, lo,
	                 hi);
}

/* The slot a load through the stack pointer `p` at offset `off` reads: 1 + frameno * 64 +
 * slot, 0 when it is not one fixed slot. */
static uint16_t cb_slot_of(const struct vrf_reg *p, int16_t off)
{
	int64_t at;

	if (p->type != VRF_T_STACK || p->s.var_off.mask || p->frameno >= VRF_MAX_CALL_FRAMES)
		return 0;
	at = (int64_t)p->off + (int64_t)p->s.var_off.value + off;
	if (at >= 0 || at < -VRF_MAX_STACK)
		return 0;
	return (uint16_t)(1 + p->frameno * VRF_STACK_SLOTS + (-at - 1) / VRF_SLOT_SIZE);
}

/* Marks the slot `prov` names (in the function whose frame it is) in mask. */
static void cb_mark_slot(struct vrf_env *env, uint64_t *mask, uint16_t prov)
{
	int frameno = (prov - 1) / VRF_STACK_SLOTS, slot = (prov - 1) % VRF_STACK_SLOTS, sp;

	if (!prov || frameno > env->cur.curframe || !env->cur.frame[frameno])
		return;
	sp = calls_subprog_of(env, env->cur.frame[frameno]->subprog);
	if (sp >= 0)
		mask[sp] |= 1ull << slot;
}

uint16_t cb_track_pre(const struct vrf_env *env, const struct bpf_insn *in)
{
	const struct vrf_frame *f = env->cur.frame[env->cur.curframe];
	uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
	uint8_t d = in->dst_reg & 15, sr = in->src_reg & 15;

	if (d >= INSN_NREGS || sr >= INSN_NREGS)
		return 0;
	if (cls == BPF_LDX && (BPF_MODE(in->code) == BPF_MEM || BPF_MODE(in->code) == BPF_MEMSX))
		return cb_slot_of(&f->regs[sr], in->off);
	if (cls != BPF_ALU && cls != BPF_ALU64)
		return 0;
	if (op == BPF_MOV)
		return BPF_SRC(in->code) == BPF_X ? f->reg_prov[sr] : 0;
	if (BPF_SRC(in->code) == BPF_X && !f->reg_prov[d] && op != BPF_NEG && op != BPF_END)
		return f->reg_prov[sr];
	return f->reg_prov[d];
}

/*
 * mark_chain_precision() seen from the stack: a branch the values decide makes the kernel
 * mark its scalar operands precise and walk back to where they came from, through copies
 * and arithmetic, up to the stack slot they were filled from.  Such a slot stays exact
 * across callback rounds (cb_widen()).
 */
void cb_track_post(struct vrf_env *env, const struct bpf_insn *in, uint16_t pre, int npending)
{
	struct vrf_frame *f = env->cur.frame[env->cur.curframe];
	uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
	uint8_t d = in->dst_reg & 15, sr = in->src_reg & 15;
	int r;

	if (d >= INSN_NREGS || sr >= INSN_NREGS)
		return;
	switch (cls) {
	case BPF_LDX:
		if (BPF_MODE(in->code) != BPF_MEM && BPF_MODE(in->code) != BPF_MEMSX)
			pre = 0;
		f->reg_prov[d] = pre;
		return;
	case BPF_ALU:
	case BPF_ALU64:
		f->reg_prov[d] = pre;
		return;
	case BPF_STX:
		if (BPF_MODE(in->code) == BPF_MEM)
			return;
		for (r = 0; r < INSN_NREGS; r++) /* atomics: fetches, cmpxchg */
			f->reg_prov[r] = r == BPF_REG_0 || r == sr ? 0 : f->reg_prov[r];
		return;
	case BPF_LD:
		if (BPF_MODE(in->code) == BPF_IMM)
			f->reg_prov[d] = 0;
		else
			memset(f->reg_prov, 0, 6 * sizeof(f->reg_prov[0]));
		return;
	case BPF_JMP:
	case BPF_JMP32:
		if (op == BPF_CALL || op == BPF_EXIT) {
			/* r0-r5 are written (the caller's after a return; a callee's frame
			 * starts with none) */
			memset(f->reg_prov, 0, 6 * sizeof(f->reg_prov[0]));
			return;
		}
		if (op == BPF_JA || in->code == (BPF_JMP | BPF_JCOND) || env->npending != npending)
			return;
		/* a branch the values decided: its scalar operands become precise */
		if (f->regs[d].type == VRF_T_SCALAR)
			cb_mark_slot(env, env->calls->slot_sure, f->reg_prov[d]);
		if (BPF_SRC(in->code) == BPF_X && f->regs[sr].type == VRF_T_SCALAR)
			cb_mark_slot(env, env->calls->slot_sure, f->reg_prov[sr]);
		return;
	default:
		return;
	}
}

/*
 * widen_imprecise_scalars() against the most recent round still in flight at the call.
 * A scalar that differs from that round's is forgotten unless the kernel keeps it
 * precise: registers by prune.c's static demand, spilled scalars when a decided branch
 * compared a value filled from them (cb_track_post()).  Every other spilled scalar is
 * widened and the path marked: the kernel may have marked it precise through uses bpfcc
 * does not follow, so a finding there is checked by run.c without widening.
 */
static void cb_widen(struct vrf_env *env, int idx)
{
	struct vrf_explored *e;
	int f, r, k;

	if (env->calls->no_widen) {
		env->calls->cb_unsure = true;
		return;
	}
	for (e = env->explored[idx]; e; e = e->next) {
		const struct vrf_state *o = &e->st;
		bool same = o->curframe == env->cur.curframe && e->branches;

		for (f = 0; same && f <= o->curframe; f++)
			same = o->frame[f]->callsite == env->cur.frame[f]->callsite;
		if (same)
			break;
	}
	if (!e)
		return;
	for (f = 0; f <= env->cur.curframe; f++) {
		const struct vrf_frame *of = e->st.frame[f];
		struct vrf_frame *cf = env->cur.frame[f];
		int at = f == env->cur.curframe ? idx : env->cur.frame[f + 1]->callsite + 1;
		int sp = calls_subprog_of(env, cf->subprog);
		uint64_t sure = sp >= 0 ? env->calls->slot_sure[sp] : 0;

		for (r = 0; r < BPF_REG_10; r++) {
			const struct vrf_reg *o = &of->regs[r];
			struct vrf_reg *c = &cf->regs[r];

			if (o->type != VRF_T_SCALAR || c->type != VRF_T_SCALAR ||
			    scalar_same_value(o, c))
				continue;
			if (prune_precise_decided(env, at) & (1u << r)) {
				/* the static demand is a superset of the kernel's marks */
				env->calls->cb_unsure = true;
				continue;
			}
			reg_mark_unknown(c);
			env->cur.cb_widened = 1;
		}
		for (k = 0; k < of->nslots && k < cf->nslots; k++) {
			const struct vrf_slot *os = &of->slot[k];
			struct vrf_slot *cs = &cf->slot[k];

			if (os->type[0] != VRF_S_SPILL || cs->type[0] != VRF_S_SPILL ||
			    os->spill.type != VRF_T_SCALAR || cs->spill.type != VRF_T_SCALAR ||
			    scalar_same_value(&os->spill, &cs->spill))
				continue;
			if (sure & (1ull << k))
				continue;
			reg_mark_unknown(&cs->spill);
			env->cur.cb_widened = 1;
		}
	}
}

int cb_exit(struct vrf_env *env, int idx, int *next)
{
	struct vrf_state *st = &env->cur;
	struct vrf_frame *callee = state_cur_frame(st);
	const struct vrf_reg *r0 = &callee->regs[BPF_REG_0];
	int err, callsite = callee->callsite;

	if (callee->cb_kind == VRF_CB_GLOBAL) {
		/* a global function verified on its own: the path ends (its r0 is not
		 * checked: callers take an unknown number) */
		*next = -1;
		return iter_check_leak(env, idx);
	}
	if (callee->cb_kind == VRF_CB_ASYNC) {
		/* check_return_code() of an async callback: a program exit */
		*next = -1;
		err = iter_check_leak(env, idx);
		if (!err)
			err = transfer_check_read(env, BPF_REG_0, idx);
		if (err)
			return err;
		if (r0->type != VRF_T_SCALAR)
			return env_fault(env, VRF_R_CALLBACK_RETURN, idx,
			                 "a timer callback must return the number 0",
			                 "At async callback return the register R0 is not a known "
			                 "value (%s)",
			                 reg_type_name(r0));
		if (r0->s.smin < callee->cb_ret_min || r0->s.smax > callee->cb_ret_max)
			return cb_bad_return(env, idx, "At async callback return", r0,
			                     callee->cb_ret_min, callee->cb_ret_max);
		return 0;
	}
	if (r0->type == VRF_T_STACK)
		return env_fault(env, VRF_R_CALLBACK_R0, idx,
		                 "a function may not return a pointer to its own stack",
		                 "cannot return stack pointer to the caller");
	if (r0->type != VRF_T_SCALAR)
		return env_fault(env, VRF_R_CALLBACK_R0, idx,
		                 "a callback must return a number (0: go on, 1: stop)",
		                 "R0 not a scalar value");
	/* a number that may hide a pointer (a map word) is refused either way: as a
	 * pointer ("R0 not a scalar value") or for its range */
	if (r0->s.smin < callee->cb_ret_min || r0->s.smax > callee->cb_ret_max)
		return cb_bad_return(env, idx, "At callback return", r0, callee->cb_ret_min,
		                     callee->cb_ret_max);
	/* back to the call: it enters the callback again */
	env->calls->cb_rounds = true;
	st->frame[st->curframe--] = NULL;
	state_frame_free(env, callee);
	*next = callsite;
	cb_widen(env, callsite);
	return 0;
}

bool cb_fault_undecided(const struct vrf_env *env)
{
	enum vrf_rule r = env->fault->rule;

	if (env->cur.cb_widened)
		return true;
	if (!env->calls || !env->calls->cb_rounds)
		return false;
	/* the limits hit while every round kept exactly what the kernel keeps (nothing
	 * widened on this path, no register kept for its static demand alone): sure */
	if (r == VRF_R_TOO_COMPLEX || r == VRF_R_JMP_SEQ)
		return env->calls->cb_unsure;
	return r == VRF_R_INFINITE_LOOP;
}
