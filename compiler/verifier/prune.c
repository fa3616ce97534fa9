/*
 * prune.c - state pruning: prune points, register liveness, checkpoints and the
 * comparison of states (is_state_visited(), states_equal(), regsafe(), stacksafe()).
 *
 * Prune points are where the kernel's check_cfg() marks them: every conditional jump and
 * its target, the target of every goto, the instruction after every call and every
 * bpf-to-bpf call itself; may_goto forces a checkpoint.  Register liveness is computed
 * statically (compute_live_registers()): a register dead at an instruction never matters
 * there.
 *
 * At a prune point the current state is compared with each checkpoint stored at the same
 * instruction with the same call sites.  A checkpoint whose paths are all finished
 * (branches == 0) covers the current state when every live register and every stack
 * byte it has is at least as general: not initialised covers anything, a scalar covers
 * one whose ranges and known bits lie within its own, a pointer covers the same kind with
 * the same fixed offset and a variable part within its own, ids consistently renamed.
 * Precision: the kernel only compares scalars whose exact value mattered on the explored
 * paths (mark_chain_precision); we compute statically which registers may matter at each
 * instruction (insn_demand: a superset of what the kernel can mark; the operands of a
 * 64-bit add/sub count only where one of them may be a pointer) and compare only those
 * and every spilled scalar, which is sound and may explore more states than the kernel.
 * Linked scalars (same id) must be linked the same way in both states.
 *
 * A checkpoint still in flight (an ancestor of the current path) is not used to prune
 * (bounded loops are walked iteration by iteration, as the kernel does).  When the current
 * frame's registers are identical to it, ids included, and the whole
 * state is equal, the path came back to where it was: "infinite loop detected at insn %d".
 * At may_goto, an in-flight checkpoint with another may_goto depth prunes when the ranges
 * are within its own, and otherwise imprecise scalars that changed are widened so that the
 * loop converges.  New checkpoints are taken with the kernel's heuristics (at least 2 jumps
 * and 8 instructions since the last one; near an in-flight checkpoint, 20 jumps or 100
 * instructions), and checkpoints that miss too often are evicted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/calls.h"
#include "verifier/helper_proto.h"
#include "verifier/prog.h"
#include "verifier/ref.h"
#include "verifier/state.h"

enum prune_mode {
	PRUNE_NOT_EXACT,
	PRUNE_RANGE_WITHIN,
	PRUNE_EXACT,
};

#define PRUNE_IDMAP 640

struct prune_idmap {
	uint32_t old[PRUNE_IDMAP], cur[PRUNE_IDMAP];
	int n;
	int fresh; /* ids handed to unlinked scalars */
};

static uint16_t regs_bits(int a, int b)
{
	uint16_t m = 0;
	int i;

	for (i = a; i <= b; i++)
		m |= (uint16_t)(1u << i);
	return m;
}

/* The argument registers a call reads: a helper's own (its prototype's nargs: r4, r5 of
 * a three-argument helper are neither live nor precise there, so that a may_goto loop
 * changing them is widened as in the kernel), r1-r5 for other calls. */
static uint16_t call_args(const struct bpf_insn *in)
{
	const struct vrf_helper_proto *p;

	if (in->src_reg != 0 || !(p = vrf_helper_proto((uint32_t)in->imm)) || p->nargs > 5)
		return regs_bits(1, 5);
	return regs_bits(1, p->nargs);
}

/* Registers an instruction reads (use) and writes (def). */
static void insn_use_def(const struct bpf_insn *in, uint16_t *use, uint16_t *def)
{
	uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
	uint16_t d = (uint16_t)(1u << (in->dst_reg & 15)), s = (uint16_t)(1u << (in->src_reg & 15));

	*use = 0;
	*def = 0;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if (op == BPF_MOV) {
			*use = BPF_SRC(in->code) == BPF_X ? s : 0;
		} else {
			*use = d;
			if (op != BPF_NEG && op != BPF_END && BPF_SRC(in->code) == BPF_X)
				*use |= s;
		}
		*def = d;
		return;
	case BPF_LDX:
		*use = s;
		*def = d;
		return;
	case BPF_ST:
		*use = d;
		return;
	case BPF_STX:
		*use = d | s;
		if (BPF_MODE(in->code) == BPF_ATOMIC) {
			if (in->imm == INSN_LOAD_ACQ) {
				*use = s;
				*def = d;
			} else if (in->imm == BPF_CMPXCHG) {
				*use |= 1u << BPF_REG_0;
				*def = 1u << BPF_REG_0;
			} else if (in->imm & BPF_FETCH) {
				*def = s;
			}
		}
		return;
	case BPF_LD:
		if (BPF_MODE(in->code) == BPF_IMM) {
			*def = d;
			return;
		}
		*use = (uint16_t)(1u << BPF_REG_6) | (BPF_MODE(in->code) == BPF_IND ? s : 0);
		*def = regs_bits(0, 5);
		return;
	default:
		if (insn_is_exit(in)) {
			*use = 1u << BPF_REG_0;
		} else if (op == BPF_CALL) {
			*use = call_args(in);
			*def = regs_bits(0, 5);
		} else if (!insn_is_goto(in) && in->code != (BPF_JMP | BPF_JCOND)) {
			*use = d | (BPF_SRC(in->code) == BPF_X ? s : 0);
		}
		return;
	}
}

/* Successors of insn i inside its function: up to two, -1 when absent. */
static void insn_succ(const struct vrf_env *env, int i, int succ[2])
{
	const struct bpf_insn *in = &env->insns[i];

	succ[0] = succ[1] = -1;
	if (insn_is_exit(in))
		return;
	if (insn_is_goto(in)) {
		succ[0] = (int)insn_jump_target(in, (size_t)i);
		return;
	}
	succ[0] = i + (insn_is_ldimm64(in) ? 2 : 1);
	if (insn_is_jump(in))
		succ[1] = (int)insn_jump_target(in, (size_t)i);
	if (succ[0] >= env->n)
		succ[0] = -1;
	if (succ[1] >= env->n || succ[1] < 0)
		succ[1] = -1;
}

/*
 * Registers whose exact value may matter at insn i (need_in) given those that matter
 * after it (out): the uses the kernel's precision tracking starts from (conditional jump
 * operands, 64-bit add/sub operands that may be pointer arithmetic, call arguments, r0 at
 * exit) and the data flow back from a demanded destination to its sources.  A superset of
 * what mark_chain_precision() can mark, so treating the rest as imprecise is sound.
 */
static uint16_t insn_demand(const struct bpf_insn *in, uint16_t out, bool exit_r0, uint16_t mp,
                            bool jmp_seed)
{
	uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
	uint16_t d = (uint16_t)(1u << (in->dst_reg & 15)), s = (uint16_t)(1u << (in->src_reg & 15));
	bool x = BPF_SRC(in->code) == BPF_X;

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if (op == BPF_MOV)
			return (uint16_t)((out & ~d) | (x && (out & d) ? s : 0));
		if (op == BPF_NEG || op == BPF_END || !x)
			return out;
		if (cls == BPF_ALU64 && (op == BPF_ADD || op == BPF_SUB) && (mp & (d | s)))
			return (uint16_t)(out | d | s);
		return (uint16_t)(out | ((out & d) ? s : 0));
	case BPF_LDX:
		return (uint16_t)(out & ~d);
	case BPF_ST:
		return out;
	case BPF_STX:
		if (BPF_MODE(in->code) == BPF_ATOMIC && in->imm == INSN_LOAD_ACQ)
			return (uint16_t)(out & ~d);
		return out;
	case BPF_LD:
		if (BPF_MODE(in->code) == BPF_IMM)
			return (uint16_t)(out & ~d);
		return (uint16_t)((out & ~regs_bits(0, 5)) |
		                  (BPF_MODE(in->code) == BPF_IND ? s : 0));
	default:
		if (insn_is_exit(in))
			return exit_r0 ? 1u << BPF_REG_0 : 0;
		if (op == BPF_CALL)
			return (uint16_t)((out & ~regs_bits(0, 5)) | call_args(in));
		if (insn_is_goto(in) || in->code == (BPF_JMP | BPF_JCOND) || !jmp_seed)
			return out;
		return (uint16_t)(out | d | (x ? s : 0));
	}
}

/*
 * Does the kernel check the return value of this program type (check_return_code() with
 * a range: cgroup, LSM, struct_ops, ... hooks)?  Then r0 at the main exit is precise.
 * Socket filters, XDP, tc and the tracing types take any value.
 */
static bool prog_checks_return(enum bpf_prog_type t)
{
	switch (t) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
	case BPF_PROG_TYPE_XDP:
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_PERF_EVENT:
		return false;
	default:
		return true;
	}
}

/* First instruction of the first subprogram after the entry one (n when none). */
static int first_subprog(const struct vrf_env *env)
{
	int i, first = env->n;

	for (i = 0; i < env->n; i++) {
		long t;

		if (insn_is_pseudo_call(&env->insns[i]) || insn_is_pseudo_func(&env->insns[i])) {
			t = insn_call_target(&env->insns[i], (size_t)i);
			if (t > 0 && t < first)
				first = (int)t;
		}
	}
	return first;
}

/*
 * Registers that may hold a pointer before each instruction (a forward may-analysis):
 * r10, the arguments at every function entry, ld_imm64 of maps and functions, loads
 * (spilled or context pointers), call results, copies and 64-bit add/sub of those.  The
 * kernel marks the scalar side of pointer arithmetic precise; a 64-bit add/sub of two
 * registers that are surely numbers marks nothing, so it demands nothing here.
 */
static uint16_t insn_mayptr_out(const struct bpf_insn *in, uint16_t mp, bool stack_ptrs)
{
	uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
	uint16_t d = (uint16_t)(1u << (in->dst_reg & 15)), s = (uint16_t)(1u << (in->src_reg & 15));
	bool x = BPF_SRC(in->code) == BPF_X;

	switch (cls) {
	case BPF_ALU64:
		if (op == BPF_MOV)
			return x && (in->off == 1 || (mp & s)) ? mp | d : (uint16_t)(mp & ~d);
		if ((op == BPF_ADD || op == BPF_SUB) && (!x || !(mp & s)))
			return mp;
		if (op == BPF_ADD || op == BPF_SUB)
			return mp | d;
		return (uint16_t)(mp & ~d);
	case BPF_ALU:
		return (uint16_t)(mp & ~d);
	case BPF_LDX:
		/* a sign-extending load, or a load from the frame of a program that never
		 * stores a pointer, reads a number */
		if (BPF_MODE(in->code) == BPF_MEMSX || (in->src_reg == BPF_REG_10 && !stack_ptrs))
			return (uint16_t)(mp & ~d);
		return mp | d;
	case BPF_LD:
		if (BPF_MODE(in->code) == BPF_IMM)
			return in->src_reg ? mp | d : (uint16_t)(mp & ~d);
		return (uint16_t)(mp & ~regs_bits(0, 5));
	case BPF_STX:
		if (BPF_MODE(in->code) == BPF_ATOMIC) {
			if (in->imm == INSN_LOAD_ACQ)
				return mp | d;
			if (in->imm == BPF_CMPXCHG)
				return mp | 1u;
			if (in->imm & BPF_FETCH)
				return mp | s;
		}
		return mp;
	case BPF_ST:
		return mp;
	default:
		if (op == BPF_CALL)
			return (uint16_t)((mp & ~regs_bits(0, 5)) | 1u);
		return mp;
	}
}

/* Does an 8-byte store write a register that may hold a pointer (a spill)? */
static bool mayptr_spills(const struct vrf_env *env, const uint16_t *mp)
{
	int i;

	for (i = 0; i < env->n; i++) {
		const struct bpf_insn *in = &env->insns[i];

		if (BPF_CLASS(in->code) == BPF_STX && BPF_SIZE(in->code) == BPF_DW &&
		    (mp[i] & (1u << (in->src_reg & 15))))
			return true;
	}
	return false;
}

static void compute_mayptr_pass(struct vrf_env *env, uint16_t *mp, bool stack_ptrs)
{
	uint16_t entry = (uint16_t)(regs_bits(1, 5) | (1u << BPF_REG_10));
	bool changed = true;
	int i, k, guard = 0;

	memset(mp, 0, (size_t)env->n * sizeof(*mp));
	mp[0] = entry;
	for (i = 0; i < env->n; i++) {
		const struct bpf_insn *in = &env->insns[i];

		if (insn_is_pseudo_call(in) || insn_is_pseudo_func(in)) {
			long t = insn_call_target(in, (size_t)i);

			if (t >= 0 && t < env->n)
				mp[t] = entry;
		}
	}
	while (changed && guard++ < 1000) {
		changed = false;
		for (i = 0; i < env->n; i++) {
			int succ[2];
			uint16_t out;

			if (i > 0 && insn_is_ldimm64(&env->insns[i - 1]))
				continue;
			insn_succ(env, i, succ);
			out = insn_mayptr_out(&env->insns[i], mp[i], stack_ptrs);
			for (k = 0; k < 2; k++) {
				if (succ[k] < 0 || (mp[succ[k]] | out) == mp[succ[k]])
					continue;
				mp[succ[k]] |= out;
				changed = true;
			}
		}
	}
	if (changed) /* did not settle: every register may be a pointer */
		for (i = 0; i < env->n; i++)
			mp[i] = 0x7ff;
}

static void compute_mayptr(struct vrf_env *env, uint16_t *mp)
{
	compute_mayptr_pass(env, mp, false);
	if (mayptr_spills(env, mp))
		compute_mayptr_pass(env, mp, true);
}

static int compute_liveness(struct vrf_env *env)
{
	uint16_t *use = malloc((size_t)env->n * sizeof(*use));
	uint16_t *def = malloc((size_t)env->n * sizeof(*def));
	uint16_t *mp = malloc((size_t)env->n * sizeof(*mp));
	bool changed = true, main_r0 = prog_checks_return(env->ienv.prog_type);
	int i, sub = first_subprog(env);

	if (!use || !def || !mp) {
		free(use);
		free(def);
		free(mp);
		return -ENOMEM;
	}
	compute_mayptr(env, mp);
	for (i = 0; i < env->n; i++) {
		insn_use_def(&env->insns[i], &use[i], &def[i]);
		env->live[i] = use[i];
	}
	while (changed) {
		changed = false;
		for (i = env->n - 1; i >= 0; i--) {
			int succ[2], k;
			uint16_t out = 0, in;

			if (i > 0 && insn_is_ldimm64(&env->insns[i - 1]))
				continue;
			insn_succ(env, i, succ);
			for (k = 0; k < 2; k++)
				if (succ[k] >= 0)
					out |= env->live[succ[k]];
			in = (uint16_t)(use[i] | (out & ~def[i]) | (1u << BPF_REG_10));
			if (in != env->live[i]) {
				env->live[i] = in;
				changed = true;
			}
			out = 0;
			for (k = 0; k < 2; k++)
				if (succ[k] >= 0)
					out |= env->precise[succ[k]];
			in = insn_demand(&env->insns[i], out, i >= sub || main_r0, mp[i], true);
			if (in != env->precise[i]) {
				env->precise[i] = in;
				changed = true;
			}
		}
	}
	free(use);
	free(def);
	env->mayptr = mp;
	return 0;
}

void prune_note_decided(struct vrf_env *env, int idx)
{
	if (env->jmp_decided && !env->jmp_decided[idx]) {
		env->jmp_decided[idx] = 1;
		env->precise_dec_stale = true;
	}
}

/* compute_liveness()'s demand again, conditional jumps seeding only where decided. */
static void compute_precise_decided(struct vrf_env *env)
{
	bool changed = true, main_r0 = prog_checks_return(env->ienv.prog_type);
	int i, k, sub = first_subprog(env);

	memset(env->precise_dec, 0, (size_t)env->n * sizeof(*env->precise_dec));
	while (changed) {
		changed = false;
		for (i = env->n - 1; i >= 0; i--) {
			int succ[2];
			uint16_t out = 0, in;

			if (i > 0 && insn_is_ldimm64(&env->insns[i - 1]))
				continue;
			insn_succ(env, i, succ);
			for (k = 0; k < 2; k++)
				if (succ[k] >= 0)
					out |= env->precise_dec[succ[k]];
			in = insn_demand(&env->insns[i], out, i >= sub || main_r0, env->mayptr[i],
			                 env->jmp_decided[i] != 0);
			if (in != env->precise_dec[i]) {
				env->precise_dec[i] = in;
				changed = true;
			}
		}
	}
	env->precise_dec_stale = false;
}

uint16_t prune_precise_decided(struct vrf_env *env, int at)
{
	if (!env->precise_dec || !env->mayptr || !env->jmp_decided)
		return env->precise[at];
	if (env->precise_dec_stale)
		compute_precise_decided(env);
	return env->precise_dec[at];
}

int prune_prepare(struct vrf_env *env)
{
	int i;

	env->prune_point = calloc((size_t)env->n, 1);
	env->live = calloc((size_t)env->n, sizeof(*env->live));
	env->precise = calloc((size_t)env->n, sizeof(*env->precise));
	env->explored = calloc((size_t)env->n, sizeof(*env->explored));
	env->jmp_decided = calloc((size_t)env->n, 1);
	env->precise_dec = calloc((size_t)env->n, sizeof(*env->precise_dec));
	env->precise_dec_stale = true;
	if (!env->prune_point || !env->live || !env->precise || !env->explored ||
	    !env->jmp_decided || !env->precise_dec)
		return -ENOMEM;
	for (i = 0; i < env->n; i++) {
		const struct bpf_insn *in = &env->insns[i];
		long t;

		if (insn_is_ldimm64(in)) {
			i++;
			continue;
		}
		if (BPF_CLASS(in->code) != BPF_JMP && BPF_CLASS(in->code) != BPF_JMP32)
			continue;
		if (BPF_OP(in->code) == BPF_CALL) {
			if (i + 1 < env->n)
				env->prune_point[i + 1] |= 1;
			if (insn_is_pseudo_call(in))
				env->prune_point[i] |= 1;
			/* a helper entering a sync callback: forced checkpoint, rounds of the
			 * callback compared there (call_cb.c); an async one: a prune point */
			if (cb_calls_sync_callback(env, i))
				env->prune_point[i] |= 4 | 1;
			else if (iter_is_next_call(env, i))
				env->prune_point[i] |= 8 | 1;
			else if (insn_is_helper_call(in) && in->imm == BPF_FUNC_timer_set_callback)
				env->prune_point[i] |= 1;
		} else if (insn_is_goto(in)) {
			t = insn_jump_target(in, (size_t)i);
			if (t >= 0 && t < env->n)
				env->prune_point[t] |= 1;
		} else if (!insn_is_exit(in)) {
			env->prune_point[i] |= in->code == (BPF_JMP | BPF_JCOND) ? 3 : 1;
			t = insn_jump_target(in, (size_t)i);
			if (t >= 0 && t < env->n)
				env->prune_point[t] |= 1;
		}
	}
	return compute_liveness(env);
}

static bool check_ids(struct prune_idmap *m, uint32_t old, uint32_t cur)
{
	int i;

	if (!old || !cur)
		return !old && !cur;
	for (i = 0; i < m->n; i++) {
		if (m->old[i] == old)
			return m->cur[i] == cur;
		if (m->cur[i] == cur)
			return false;
	}
	if (m->n < PRUNE_IDMAP) {
		m->old[m->n] = old;
		m->cur[m->n] = cur;
		m->n++;
	}
	return true;
}

static bool prune_ids(void *m, uint32_t old, uint32_t cur)
{
	return check_ids(m, old, cur);
}

static bool range_within(const struct scalar *o, const struct scalar *c)
{
	return o->umin <= c->umin && c->umax <= o->umax && o->smin <= c->smin &&
	       c->smax <= o->smax && o->u32_min <= c->u32_min && c->u32_max <= o->u32_max &&
	       o->s32_min <= c->s32_min && c->s32_max <= o->s32_max &&
	       tnum_in(o->var_off, c->var_off);
}

static bool scalar_same(const struct scalar *a, const struct scalar *b)
{
	return a->var_off.value == b->var_off.value && a->var_off.mask == b->var_off.mask &&
	       a->smin == b->smin && a->smax == b->smax && a->umin == b->umin &&
	       a->umax == b->umax && a->s32_min == b->s32_min && a->s32_max == b->s32_max &&
	       a->u32_min == b->u32_min && a->u32_max == b->u32_max;
}

static bool regsafe(const struct vrf_reg *o, const struct vrf_reg *c, enum prune_mode mode,
                    bool precise, struct prune_idmap *m)
{
	if (o->type == VRF_T_NOT_INIT)
		return mode != PRUNE_EXACT || c->type == VRF_T_NOT_INIT;
	if (o->type != c->type)
		return false;
	if (o->type == VRF_T_SCALAR && mode == PRUNE_NOT_EXACT && !precise)
		return true;
	/* check_scalar_ids(): linked scalars must be linked the same way (0: a fresh id) */
	if (o->type == VRF_T_SCALAR) {
		uint32_t oid = o->id ? o->id : 0x10000000u + (uint32_t)++m->fresh;
		uint32_t cid = c->id ? c->id : 0x10000000u + (uint32_t)++m->fresh;

		if (!check_ids(m, oid, cid) || (o->id && o->off != c->off))
			return false;
	}
	if (o->type != VRF_T_SCALAR &&
	    (o->off != c->off || o->map != c->map || o->frameno != c->frameno ||
	     o->maybe_null != c->maybe_null || !check_ids(m, o->id, c->id)))
		return false;
	/* packet pointers: at least the old proven range (regsafe's PTR_TO_PACKET case) */
	if ((o->type == VRF_T_PACKET || o->type == VRF_T_PACKET_META) &&
	    (mode == PRUNE_EXACT ? o->range != c->range : o->range > c->range))
		return false;
	/* references, memory sizes, socket kinds, type flags (regsafe's ref_obj_id check) */
	if (o->type != VRF_T_SCALAR &&
	    (o->flags != c->flags || o->sock_kind != c->sock_kind || o->mem_size != c->mem_size ||
	     o->btf_id != c->btf_id || !check_ids(m, o->ref_obj_id, c->ref_obj_id)))
		return false;
	if (mode == PRUNE_EXACT)
		return scalar_same(&o->s, &c->s);
	return range_within(&o->s, &c->s);
}

static bool stacksafe(const struct vrf_frame *o, const struct vrf_frame *c, enum prune_mode mode,
                      struct prune_idmap *m)
{
	static const struct vrf_slot empty;
	int n = o->nslots > c->nslots ? o->nslots : c->nslots, k, b;

	for (k = 0; k < n; k++) {
		const struct vrf_slot *os = k < o->nslots ? &o->slot[k] : &empty;
		const struct vrf_slot *cs = k < c->nslots ? &c->slot[k] : &empty;
		bool spill_done = false;

		for (b = 0; b < VRF_SLOT_SIZE; b++) {
			uint8_t ot = os->type[b], ct = cs->type[b];

			if (mode == PRUNE_EXACT && ot != ct)
				return false;
			switch (ot) {
			case VRF_S_INVALID:
				continue;
			case VRF_S_DYNPTR:
				/* stacksafe(): same kind, same slot, references matched */
				if (ct != VRF_S_DYNPTR || os->spill.flags != cs->spill.flags ||
				    os->spill.off != cs->spill.off ||
				    !check_ids(m, os->spill.ref_obj_id, cs->spill.ref_obj_id))
					return false;
				continue;
			case VRF_S_MISC:
				if (ct == VRF_S_MISC || ct == VRF_S_ZERO ||
				    (ct == VRF_S_SPILL && cs->spill.type == VRF_T_SCALAR))
					continue;
				return false;
			case VRF_S_ITER:
				/* the same iterator in the same state; its depth is not
				 * compared (iter.c) */
				if (ct != VRF_S_ITER)
					return false;
				if (b == 0 &&
				    (os->spill.btf_id != cs->spill.btf_id ||
				     os->spill.flags != cs->spill.flags ||
				     !check_ids(m, os->spill.ref_obj_id, cs->spill.ref_obj_id)))
					return false;
				continue;
			case VRF_S_ZERO:
				if (ct == VRF_S_ZERO ||
				    (ct == VRF_S_SPILL && cs->spill.type == VRF_T_SCALAR &&
				     tnum_equals_const(cs->spill.s.var_off, 0)))
					continue;
				return false;
			default:
				if (ct != VRF_S_SPILL)
					return false;
				if (!spill_done && !regsafe(&os->spill, &cs->spill, mode, true, m))
					return false;
				spill_done = true;
			}
		}
	}
	return true;
}

static bool same_callsites(const struct vrf_state *a, const struct vrf_state *b)
{
	int i;

	if (a->curframe != b->curframe)
		return false;
	for (i = 0; i <= a->curframe; i++)
		if (a->frame[i]->callsite != b->frame[i]->callsite)
			return false;
	return true;
}

static bool states_equal(const struct vrf_env *env, const struct vrf_state *o,
                         const struct vrf_state *c, int idx, enum prune_mode mode)
{
	struct prune_idmap idmap, *m = &idmap;
	int f, r;

	m->n = 0;
	m->fresh = 0;
	if (!lock_state_equal(o, c) || !ref_states_equal(o, c, prune_ids, m))
		return false;
	for (f = 0; f <= o->curframe; f++) {
		int at = f == o->curframe ? idx : o->frame[f + 1]->callsite + 1;
		uint16_t live = env->live[at], precise = env->precise[at];

		for (r = 0; r < INSN_NREGS; r++) {
			if (mode != PRUNE_EXACT && !(live & (1u << r)))
				continue;
			if (!regsafe(&o->frame[f]->regs[r], &c->frame[f]->regs[r], mode,
			             precise & (1u << r), m))
				return false;
		}
		if (!stacksafe(o->frame[f], c->frame[f], mode, m))
			return false;
	}
	return true;
}

/*
 * states_maybe_looping(): the kernel only looks for an infinite loop when the registers of
 * the current frame are bit for bit the same, ids included (a loop that makes a new
 * linked copy on every iteration is not caught here, it runs into the limit instead).
 */
static bool states_maybe_looping(const struct vrf_state *o, const struct vrf_state *c)
{
	const struct vrf_reg *a = o->frame[o->curframe]->regs, *b = c->frame[c->curframe]->regs;
	int r;

	if (o->curframe != c->curframe)
		return false;
	for (r = 0; r < INSN_NREGS; r++) {
		if (a[r].type != b[r].type || a[r].off != b[r].off || a[r].id != b[r].id ||
		    a[r].map != b[r].map || a[r].maybe_null != b[r].maybe_null ||
		    (a[r].type != VRF_T_NOT_INIT && !scalar_same(&a[r].s, &b[r].s)))
			return false;
	}
	return true;
}

static void explored_free(struct vrf_env *env, struct vrf_explored *e)
{
	state_release(env, &e->st);
	env->mem_cur -= sizeof(*e);
	env->cur_states--;
	free(e);
}

/*
 * Around a may_goto loop the kernel forgets what differs between iterations in scalars
 * whose exact value does not matter (widen_imprecise_scalars), so that the loop
 * converges; registers only (spilled scalars are all treated as precise here).
 */
static void widen_imprecise(struct vrf_env *env, const struct vrf_state *old, int idx)
{
	int f, r;

	for (f = 0; f <= env->cur.curframe; f++) {
		int at = f == env->cur.curframe ? idx : env->cur.frame[f + 1]->callsite + 1;

		for (r = 0; r < BPF_REG_10; r++) {
			const struct vrf_reg *o = &old->frame[f]->regs[r];
			struct vrf_reg *c = &env->cur.frame[f]->regs[r];

			if (o->type != VRF_T_SCALAR || c->type != VRF_T_SCALAR ||
			    (prune_precise_decided(env, at) & (1u << r)) ||
			    scalar_same(&o->s, &c->s))
				continue;
			reg_mark_unknown(c);
		}
	}
}

int prune_visit(struct vrf_env *env, int idx)
{
	bool force = env->prune_point[idx] & 2, cbcall = env->prune_point[idx] & 4;
	bool iter_next = env->prune_point[idx] & 8, add = force || cbcall || iter_next;
	struct vrf_explored **pp = &env->explored[idx], *e;
	int err;

	if (env->jmps_processed - env->prev_jmps_processed >= 2 &&
	    env->insn_processed - env->prev_insn_processed >= 8)
		add = true;
	while ((e = *pp) != NULL) {
		if (!same_callsites(&e->st, &env->cur)) {
			pp = &e->next;
			continue;
		}
		if (e->branches && cbcall) {
			/* another round of a callback: converged when within an earlier one */
			if (states_equal(env, &e->st, &env->cur, idx, PRUNE_RANGE_WITHIN)) {
				e->hit++;
				return 1;
			}
		} else if (e->branches && iter_next) {
			/* another round of an iterator loop: converged when within an earlier
			 * round and the iterator is still active */
			if (states_equal(env, &e->st, &env->cur, idx, PRUNE_RANGE_WITHIN) &&
			    iter_active_at(env, idx)) {
				e->hit++;
				return 1;
			}
		} else if (e->branches) {
			if (force && e->st.may_goto_depth != env->cur.may_goto_depth) {
				if (states_equal(env, &e->st, &env->cur, idx, PRUNE_RANGE_WITHIN)) {
					e->hit++;
					return 1;
				}
				widen_imprecise(env, &e->st, idx);
			}
			if (e->st.may_goto_depth == env->cur.may_goto_depth &&
			    e->st.callback_unroll_depth == env->cur.callback_unroll_depth &&
			    !iter_depths_differ(&e->st, &env->cur) &&
			    states_maybe_looping(&e->st, &env->cur) &&
			    states_equal(env, &e->st, &env->cur, idx, PRUNE_EXACT))
				return env_fault(env, VRF_R_INFINITE_LOOP, idx,
				                 "the loop comes back to the same state: it never "
				                 "terminates",
				                 "infinite loop detected at insn %d", idx);
			if (!force && env->jmps_processed - env->prev_jmps_processed < 20 &&
			    env->insn_processed - env->prev_insn_processed < 100)
				add = false;
		} else if (states_equal(env, &e->st, &env->cur, idx, PRUNE_NOT_EXACT)) {
			e->hit++;
			return 1;
		}
		if (add)
			e->miss++;
		/* is_force_checkpoint(): may_goto, sync callback calls, iterator next() */
		if (e->miss > e->hit * ((force || cbcall || iter_next) && e->branches ? 64 : 3) +
		                  ((force || cbcall || iter_next) && e->branches ? 64 : 3)) {
			/* unlikely to be useful: evicted; kept until the end while paths need it */
			*pp = e->next;
			if (e->branches) {
				e->next = env->limbo;
				env->limbo = e;
			} else {
				explored_free(env, e);
			}
			continue;
		}
		pp = &e->next;
	}
	if (!add)
		return 0;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	err = state_copy(env, &e->st, &env->cur);
	if (err) {
		state_release(env, &e->st);
		free(e);
		return err;
	}
	env->mem_cur += sizeof(*e);
	if (env->mem_cur > env->mem_peak)
		env->mem_peak = env->mem_cur;
	e->branches = 1;
	e->parent = env->cur.parent;
	e->next = env->explored[idx];
	env->explored[idx] = e;
	env->cur.parent = e;
	env->total_states++;
	if (++env->cur_states > env->peak_states)
		env->peak_states = env->cur_states;
	env->prev_jmps_processed = env->jmps_processed;
	env->prev_insn_processed = env->insn_processed;
	return 0;
}

void prune_path_done(struct vrf_env *env, struct vrf_explored *p)
{
	while (p && --p->branches == 0)
		p = p->parent;
}

void prune_free_all(struct vrf_env *env)
{
	int i;

	for (i = 0; env->explored && i < env->n; i++) {
		while (env->explored[i]) {
			struct vrf_explored *e = env->explored[i];

			env->explored[i] = e->next;
			explored_free(env, e);
		}
	}
	while (env->limbo) {
		struct vrf_explored *e = env->limbo;

		env->limbo = e->next;
		explored_free(env, e);
	}
	free(env->explored);
	free(env->prune_point);
	free(env->live);
	free(env->precise);
	free(env->jmp_decided);
	free(env->precise_dec);
	free(env->mayptr);
	env->jmp_decided = NULL;
	env->precise_dec = NULL;
	env->mayptr = NULL;
	env->precise = NULL;
	env->explored = NULL;
	env->prune_point = NULL;
	env->live = NULL;
}
