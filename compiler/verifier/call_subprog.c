/*
 * call_subprog.c - the stack across bpf-to-bpf calls (check_max_stack_depth() of
 * kernel/bpf/verifier.c, Linux 6.18).
 *
 * Each function has 512 bytes of stack, but the kernel also bounds the stack of a whole
 * call chain: while it explores, it records per subprogram the deepest byte any access
 * reached (update_stack_depth(): loads, stores and helper memory arguments, including
 * accesses a callee makes through a pointer into its caller's frame), and after a
 * successful exploration it walks the call graph from the entry function (and from every
 * async callback, which runs on a stack of its own) adding up the frames, each rounded up
 * to 16 bytes as the JIT lays it out.  A chain above 512 bytes is refused with "combined
 * stack size of %d calls is %d. Too large"; a function that tail-calls while its callers
 * already use 256 bytes or more with "tail_calls are not allowed when call stack of
 * previous frames is %d bytes. Too large".  Sync callbacks (bpf_loop and friends) count
 * as calls from the function that names them; async ones only when called directly.
 *
 * Tracing program types (kprobe, tracepoint, raw tracepoint, perf event, BTF tracing but
 * not iterators) get a private stack per function of 64 bytes or more when no function
 * tail-calls (bpf_enable_priv_stack()); such frames do not add to the chain, except for
 * functions reachable from an async callback, which keep the normal stack.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/calls.h"

#define CALLS_TAIL_CALL_LIMIT 256    /* caller stack above which subprogram tail calls fail */
#define CALLS_PRIV_STACK_MIN  64     /* BPF_PRIV_STACK_MIN_SIZE */
#define CALLS_WALK_BUDGET     200000 /* functions visited before the walk gives up */

enum calls_priv {
	CALLS_PRIV_UNKNOWN,
	CALLS_PRIV_NONE,
	CALLS_PRIV_ADAPTIVE,
};

int calls_prepare(struct vrf_env *env)
{
	struct calls_info *c;
	struct vrf_fault f = {.insn = -1};
	int n, i;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->cfg = cfg_new((size_t)env->n);
	if (!c->cfg) {
		free(c);
		return -ENOMEM;
	}
	if (cfg_find_subprogs(c->cfg, env->insns, NULL, &f)) {
		/* the structural phase reports it; nothing across frames is checked */
		cfg_free(c->cfg);
		free(c);
		return 0;
	}
	n = c->cfg->nsubprogs;
	c->depth = calloc((size_t)n, sizeof(*c->depth));
	c->async = calloc((size_t)n, 1);
	c->tail = calloc((size_t)n, 1);
	c->cb_target = calloc((size_t)n, 1);
	c->called = calloc((size_t)n, 1);
	c->verified = calloc((size_t)n, 1);
	c->slot_sure = calloc((size_t)n, sizeof(*c->slot_sure));
	env->calls = c;
	env->cfg = c->cfg; /* subprogram boundaries for the other modules (mem_pkt.c) */
	if (!c->depth || !c->async || !c->tail || !c->cb_target || !c->called || !c->verified ||
	    !c->slot_sure)
		return -ENOMEM;
	for (i = 0; i < env->n; i++) {
		const struct bpf_insn *in = &env->insns[i];

		if (cb_calls_sync_callback(env, i))
			c->cb_track = true;

		if (insn_is_helper_call(in) && in->imm == BPF_FUNC_tail_call)
			c->tail[cfg_subprog_of(c->cfg, i)] = 1;
	}
	return 0;
}

void calls_free(struct vrf_env *env)
{
	struct calls_info *c = env->calls;

	if (!c)
		return;
	env->cfg = NULL;
	cfg_free(c->cfg);
	free(c->depth);
	free(c->async);
	free(c->tail);
	free(c->cb_target);
	free(c->called);
	free(c->verified);
	free(c->slot_sure);
	free(c);
	env->calls = NULL;
}

int calls_subprog_of(const struct vrf_env *env, int insn)
{
	if (!env->calls)
		return -1;
	return cfg_subprog_of(env->calls->cfg, insn);
}

void calls_note_stack(struct vrf_env *env, int frameno, int64_t lowest)
{
	int sp;

	if (!env->calls || frameno < 0 || frameno > env->cur.curframe || lowest >= 0 ||
	    lowest < -VRF_MAX_STACK)
		return;
	sp = calls_subprog_of(env, env->cur.frame[frameno]->subprog);
	if (sp >= 0 && env->calls->depth[sp] < -lowest)
		env->calls->depth[sp] = (int32_t)-lowest;
}

void calls_note_call_args(struct vrf_env *env)
{
	const struct vrf_reg *regs = state_regs(&env->cur);
	int r;

	for (r = BPF_REG_1; r <= BPF_REG_5; r++) {
		const struct vrf_reg *p = &regs[r];

		if (p->type != VRF_T_STACK || !tnum_is_const(p->s.var_off))
			continue;
		calls_note_stack(env, p->frameno, (int64_t)p->s.var_off.value + p->off);
	}
}

/* bpf_enable_priv_stack(): may this program type give big frames a stack of their own? */
static bool calls_priv_stack_type(const struct vrf_env *env)
{
	const struct vrf_options *o = env->opts;

	switch (env->ienv.prog_type) {
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_PERF_EVENT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
		return true;
	case BPF_PROG_TYPE_TRACING:
		/* bpf_prog_check_recur(): every tracing attach type but iterators (when the
		 * attach type is unknown, assume the private stack: fewer refusals) */
		return !(o && (o->flags & VRF_F_ATTACH_TYPE) &&
		         o->expected_attach_type == BPF_TRACE_ITER);
	default:
		return false;
	}
}

struct calls_walk {
	struct vrf_env *env;
	uint8_t *priv; /* per subprogram: enum calls_priv */
	bool priv_supported;
	long budget;
};

static int round_frame(int32_t depth)
{
	/* round_up_stack_depth() with the JIT: 16-byte frames */
	return (depth + 15) & ~15;
}

static int calls_walk(struct calls_walk *w, int idx, int depth, int chain)
{
	struct vrf_env *env = w->env;
	const struct calls_info *c = env->calls;
	const struct cfg_subprog *sp = &c->cfg->subprogs[idx];
	int own, i, err;

	if (--w->budget < 0)
		return 0; /* too big to walk */
	/* check_max_stack_depth_subprog() counts frames over the whole call graph, global
	 * functions included (do_check() never nests those, so only this walk sees a chain of
	 * globals): the callee's frame number reaching MAX_CALL_FRAMES is refused */
	if (chain - 1 >= VRF_MAX_CALL_FRAMES)
		return env_fault(env, VRF_R_CALL_DEPTH, -1,
		                 "bpf-to-bpf calls, global functions included, nest deeper than 8 "
		                 "frames",
		                 "the call stack of %d frames is too deep !", chain - 1);
	if (idx && c->tail[idx] && depth >= CALLS_TAIL_CALL_LIMIT)
		return env_fault(env, VRF_R_TAIL_CALL_STACK, -1,
		                 "a function that makes a tail call is called while its callers "
		                 "already use 256 bytes of stack or more",
		                 "tail_calls are not allowed when call stack of previous frames is "
		                 "%d bytes. Too large",
		                 depth);
	own = round_frame(c->depth[idx]);
	if (!w->priv_supported)
		w->priv[idx] = CALLS_PRIV_NONE;
	else if (w->priv[idx] == CALLS_PRIV_UNKNOWN && own >= CALLS_PRIV_STACK_MIN)
		w->priv[idx] = CALLS_PRIV_ADAPTIVE;
	if (w->priv[idx] != CALLS_PRIV_ADAPTIVE) {
		depth += own;
		if (depth > VRF_MAX_STACK)
			return env_fault(env, VRF_R_COMBINED_STACK, -1,
			                 "the stack frames of the functions along this call chain "
			                 "add up to more than 512 bytes",
			                 "combined stack size of %d calls is %d. Too large", chain,
			                 depth);
	}
	for (i = sp->start; i < sp->end; i++) {
		const struct bpf_insn *in = &env->insns[i];
		int sidx;

		if (!insn_is_pseudo_call(in) && !insn_is_pseudo_func(in))
			continue;
		sidx = cfg_subprog_of(c->cfg, (int)insn_call_target(in, (size_t)i));
		if (sidx < 0)
			continue;
		/* async callbacks run on their own stack unless called directly */
		if (c->async[sidx] && !insn_is_pseudo_call(in))
			continue;
		err = calls_walk(w, sidx, depth, chain + 1);
		if (err)
			return err;
	}
	return 0;
}

int calls_check_stack_depth(struct vrf_env *env)
{
	const struct calls_info *c = env->calls;
	struct calls_walk w = {.env = env, .budget = CALLS_WALK_BUDGET};
	bool priv = false;
	int i, err = 0;

	if (!c)
		return 0;
	w.priv = calloc((size_t)c->cfg->nsubprogs, 1);
	if (!w.priv)
		return -ENOMEM;
	if (calls_priv_stack_type(env)) {
		priv = true;
		for (i = 0; i < c->cfg->nsubprogs; i++)
			if (c->tail[i])
				priv = false;
	}
	/* async roots first: what they reach keeps the normal stack */
	for (i = c->cfg->nsubprogs - 1; i >= 0 && !err; i--) {
		if (i && !c->async[i])
			continue;
		w.priv_supported = !i && priv;
		err = calls_walk(&w, i, 0, 1);
	}
	free(w.priv);
	return err;
}
