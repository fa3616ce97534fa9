/*
 * explore.c - path exploration: the kernel's do_check() loop.
 *
 * One path is followed at a time from instruction 0 with the initial state (r1 = ctx,
 * r10 = frame pointer).  Every instruction processed counts towards the 1,000,000 limit
 * ("BPF program is too large. Processed 1000001 insn"), including one where the path is
 * then pruned.  At a prune point the current state is compared with the checkpoints
 * stored there (prune.c); a match ends the path.  A conditional jump that the values do
 * not decide queues its target with a copy of the state (push_stack: more than 8192
 * queued is "The sequence of 8193 jumps is too complex.") and goes on with the
 * fall-through; may_goto goes to its target and queues the fall-through.  When a path
 * exits (or is pruned), the most recently queued branch resumes (LIFO, as the kernel's
 * pop_stack).  Loops need no special case: each iteration is a new state until a
 * checkpoint covers it, the values decide the exit, or the limits are hit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/calls.h"
#include "verifier/state.h"

void explore_note_step(struct vrf_state *st, int insn, int target, bool taken)
{
	struct vrf_step *s = &st->steps[st->nsteps % VRF_PATH_STEPS];

	s->insn = insn;
	s->target = target;
	s->taken = taken;
	st->nsteps++;
}

struct vrf_state *explore_push(struct vrf_env *env, int to, int from, int *err)
{
	struct vrf_pending *p;

	if (env->npending == env->cap_pending) {
		int cap = env->cap_pending ? env->cap_pending * 2 : 64;
		struct vrf_pending *np = realloc(env->pending, (size_t)cap * sizeof(*np));

		if (!np) {
			*err = -ENOMEM;
			return NULL;
		}
		env->mem_cur += (uint64_t)(cap - env->cap_pending) * sizeof(*np);
		if (env->mem_cur > env->mem_peak)
			env->mem_peak = env->mem_cur;
		env->pending = np;
		env->cap_pending = cap;
	}
	p = &env->pending[env->npending];
	memset(p, 0, sizeof(*p));
	*err = state_copy(env, &p->st, &env->cur);
	if (*err) {
		state_release(env, &p->st);
		return NULL;
	}
	p->st.insn = to;
	p->prev_insn = from;
	env->npending++;
	if (env->cur.parent)
		env->cur.parent->branches++;
	if (env->npending > VRF_JMP_SEQ_LIMIT) {
		*err =
		    env_fault(env, VRF_R_JMP_SEQ, from,
		              "too many branches are pending at once: the verifier keeps at most "
		              "8192 unexplored branches",
		              "The sequence of %d jumps is too complex.", env->npending);
		return NULL;
	}
	return &p->st;
}

/* pop_stack(): the most recent pending branch becomes the current state; false if none. */
static bool explore_pop(struct vrf_env *env)
{
	struct vrf_pending *p;

	if (env->npending == 0)
		return false;
	p = &env->pending[--env->npending];
	state_release(env, &env->cur);
	env->cur = p->st;
	env->prev_insn = p->prev_insn;
	path_note(env, &env->cur, p->prev_insn, env->cur.insn);
	if (trace_on(env))
		trace_line(env, "from %d to %d:", p->prev_insn, p->st.insn);
	return true;
}

/* One instruction on the current state; *next is where the path goes (-1: it ends). */
static int explore_step(struct vrf_env *env, int idx, int *next)
{
	const struct bpf_insn *in = &env->insns[idx];
	uint8_t cls = BPF_CLASS(in->code);

	*next = idx + 1;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		return transfer_alu(env, in, idx);
	case BPF_LD:
		if (insn_is_ldimm64(in))
			*next = idx + 2;
		return transfer_mem(env, in, idx);
	case BPF_LDX:
	case BPF_STX:
	case BPF_ST:
		return transfer_mem(env, in, idx);
	default: /* JMP, JMP32 */
		env->jmps_processed++;
		if (insn_is_exit(in))
			return transfer_exit(env, idx, next);
		if (BPF_OP(in->code) == BPF_CALL)
			return transfer_call(env, in, idx, next);
		if (insn_is_goto(in)) {
			*next = (int)insn_jump_target(in, (size_t)idx);
			return 0;
		}
		return transfer_cond(env, in, idx, next);
	}
}

/* A conditional jump the values may decide (not goto, call, exit or may_goto). */
static bool explore_is_cond(const struct bpf_insn *in)
{
	return insn_is_jump(in) && !insn_is_goto(in) && in->code != (BPF_JMP | BPF_JCOND);
}

static bool loc_same(const struct diag_loc *a, const struct diag_loc *b)
{
	return a->line == b->line && a->col == b->col &&
	       (a->file == b->file || (a->file && b->file && strcmp(a->file, b->file) == 0));
}

/* The line_info record of each insn (consecutive insns with the same location share one),
 * for the source line the kernel's log shows at a finding.  0 or -ENOMEM. */
static int explore_linfo(struct vrf_env *env)
{
	const struct vrf_options *o = env->opts;
	struct diag_loc prev = {0}, cur;
	bool have_prev = false;
	int i;

	env->prev_linfo = -1;
	/* computed once: explore_run() runs again for each global function */
	if (env->linfo || !o || (!o->locs && !o->loc_fn) || env->n <= 0)
		return 0;
	env->linfo = malloc((size_t)env->n * sizeof(*env->linfo));
	if (!env->linfo)
		return -ENOMEM;
	for (i = 0; i < env->n; i++) {
		bool have = true;

		memset(&cur, 0, sizeof(cur));
		if (o->locs)
			cur = o->locs[i];
		else
			have = o->loc_fn(o->loc_ctx, (size_t)i, &cur);
		have = have && cur.line;
		if (!have)
			env->linfo[i] = -1;
		else if (have_prev && loc_same(&cur, &prev))
			env->linfo[i] = env->linfo[i - 1];
		else
			env->linfo[i] = i;
		prev = cur;
		have_prev = have;
	}
	return 0;
}

int explore_run(struct vrf_env *env)
{
	int err, next;

	err = calls_init_state(env);
	if (!err)
		err = explore_linfo(env);
	if (err)
		return err;
	env->prev_insn = -1;
	env->path_start = env->cur.insn;
	for (;;) {
		int idx = env->cur.insn;

		if (idx < 0 || idx >= env->n)
			return env_fault(env, VRF_R_JUMP_RANGE, env->prev_insn,
			                 "execution leaves the program",
			                 "invalid insn idx %d insn_cnt %d", idx, env->n);
		if (++env->insn_processed > VRF_COMPLEXITY_LIMIT_INSNS)
			return env_fault(env, VRF_R_TOO_COMPLEX, idx,
			                 "the verifier gave up after processing 1,000,000 "
			                 "instructions along all paths",
			                 "BPF program is too large. Processed %llu insn",
			                 (unsigned long long)env->insn_processed);
		if (env->prune_point[idx]) {
			err = prune_visit(env, idx);
			if (err < 0)
				return err;
			if (err == 1) {
				if (trace_on(env))
					trace_line(env, "%d: safe", idx);
				next = -1;
				goto path_end;
			}
		}
		if (env->linfo && env->linfo[idx] >= 0 && env->linfo[idx] != env->prev_linfo) {
			env->prev_linfo = env->linfo[idx];
			env->cur.log_line_insn = idx + 1;
		}
		if (trace_on(env))
			trace_insn(env, idx);
		if (env->check_fields) {
			env->reached[idx] = 1;
			err = insn_check_fields(&env->insns[idx], idx, &env->ienv, env->fault);
			/* check_alu_op() reads dst before it looks at a zero divisor or a shift
			 * amount */
			if (err && (env->fault->rule == VRF_R_DIV_ZERO ||
			            env->fault->rule == VRF_R_SHIFT)) {
				struct vrf_fault saved = *env->fault;

				if (transfer_check_read(env, env->insns[idx].dst_reg, idx))
					return -EINVAL;
				*env->fault = saved;
			}
			if (err)
				return err;
		}
		if (env->calls && env->calls->cb_track) {
			uint16_t pre = cb_track_pre(env, &env->insns[idx]);
			int npending = env->npending;

			err = explore_step(env, idx, &next);
			if (!err)
				cb_track_post(env, &env->insns[idx], pre, npending);
			if (!err && env->npending == npending && explore_is_cond(&env->insns[idx]))
				prune_note_decided(env, idx);
		} else if (explore_is_cond(&env->insns[idx])) {
			int npending = env->npending;

			err = explore_step(env, idx, &next);
			if (!err && env->npending == npending)
				prune_note_decided(env, idx);
		} else {
			err = explore_step(env, idx, &next);
		}
		if (err)
			return err;
		if (trace_on(env) && next >= 0)
			trace_state(env, idx);
	path_end:
		if (next >= 0) {
			path_note(env, &env->cur, idx, next);
			env->prev_insn = idx;
			env->cur.insn = next;
			continue;
		}
		prune_path_done(env, env->cur.parent);
		if (!explore_pop(env))
			return 0;
	}
}
