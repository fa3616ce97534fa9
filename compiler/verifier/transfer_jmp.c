/*
 * transfer_jmp.c - conditional jumps, may_goto, calls and exit on the abstract state
 * (check_cond_jmp_op(), check_helper_call() / check_func_call() / check_kfunc_call() as
 * far as registers go, prepare_func_exit(), check_return_code()'s "R0 !read_ok").
 *
 * A conditional jump whose outcome the value domain decides (is_branch_taken()) follows
 * one side only; otherwise the target is queued (push_stack) and both sides are narrowed
 * by the comparison (regs_refine_cond_op).  "if rX == 0" on a pointer that may be null
 * splits it the kernel's way: on the null side every register and spilled copy with the
 * same id becomes the scalar 0, on the other side they lose the maybe-null flag.  A
 * pointer the kernel knows is never null (map values, map pointers) decides "== 0".
 *
 * Calls clobber r1-r5 (not initialised afterwards) and define r0: an unknown scalar, or a
 * pointer for the helpers that return one (map_lookup_elem: map_value_or_null; other
 * pointer-returning helpers: an opaque pointer, maybe null).  A bpf-to-bpf call pushes a
 * frame whose r1-r5 are the caller's; its exit returns to the instruction after the call
 * with the callee's r0 (only the program's own exit needs r0 initialised).  Helper arguments,
 * callbacks and return-value ranges are part two: not checked here.
 */
#include <errno.h>
#include <stdio.h>

#include "verifier/call.h"
#include "verifier/calls.h"
#include "verifier/helper_proto.h"
#include "verifier/kfunc.h"
#include "verifier/pkt.h"
#include "verifier/prog.h"
#include "verifier/ref.h"
#include "verifier/state.h"

/* Helpers returning a pointer (include/uapi/linux/bpf.h ids), and whether it may be null. */
static const struct {
	int id;
	uint8_t type;
	bool maybe_null;
} ptr_helpers[] = {
    {BPF_FUNC_map_lookup_elem, VRF_T_MAP_VALUE, true},
    {BPF_FUNC_get_local_storage, VRF_T_MAP_VALUE, false},
    {BPF_FUNC_sk_lookup_tcp, VRF_T_OTHER, true},
    {BPF_FUNC_sk_lookup_udp, VRF_T_OTHER, true},
    {BPF_FUNC_skc_lookup_tcp, VRF_T_OTHER, true},
    {BPF_FUNC_sk_fullsock, VRF_T_OTHER, true},
    {BPF_FUNC_tcp_sock, VRF_T_OTHER, true},
    {BPF_FUNC_get_listener_sock, VRF_T_OTHER, true},
    {BPF_FUNC_sk_storage_get, VRF_T_OTHER, true},
    {BPF_FUNC_ringbuf_reserve, VRF_T_OTHER, true},
    {BPF_FUNC_skc_to_tcp6_sock, VRF_T_OTHER, true},
    {BPF_FUNC_skc_to_tcp_sock, VRF_T_OTHER, true},
    {BPF_FUNC_skc_to_tcp_timewait_sock, VRF_T_OTHER, true},
    {BPF_FUNC_skc_to_tcp_request_sock, VRF_T_OTHER, true},
    {BPF_FUNC_skc_to_udp6_sock, VRF_T_OTHER, true},
    {BPF_FUNC_inode_storage_get, VRF_T_OTHER, true},
    {BPF_FUNC_per_cpu_ptr, VRF_T_OTHER, true},
    {BPF_FUNC_this_cpu_ptr, VRF_T_OTHER, false},
    {BPF_FUNC_get_current_task_btf, VRF_T_OTHER, false},
    {BPF_FUNC_task_storage_get, VRF_T_OTHER, true},
    {BPF_FUNC_map_lookup_percpu_elem, VRF_T_MAP_VALUE, true},
    {BPF_FUNC_dynptr_data, VRF_T_OTHER, true},
};

/* Helpers whose result is a number (RET_INTEGER, RET_VOID), by id. */
static const int scalar_helpers[] = {
    BPF_FUNC_map_update_elem,
    BPF_FUNC_map_delete_elem,
    BPF_FUNC_probe_read,
    BPF_FUNC_ktime_get_ns,
    BPF_FUNC_trace_printk,
    BPF_FUNC_get_prandom_u32,
    BPF_FUNC_get_smp_processor_id,
    BPF_FUNC_skb_store_bytes,
    BPF_FUNC_l3_csum_replace,
    BPF_FUNC_l4_csum_replace,
    BPF_FUNC_tail_call,
    BPF_FUNC_clone_redirect,
    BPF_FUNC_get_current_pid_tgid,
    BPF_FUNC_get_current_uid_gid,
    BPF_FUNC_get_current_comm,
    BPF_FUNC_get_cgroup_classid,
    BPF_FUNC_skb_vlan_push,
    BPF_FUNC_skb_vlan_pop,
    BPF_FUNC_perf_event_read,
    BPF_FUNC_redirect,
    BPF_FUNC_perf_event_output,
    BPF_FUNC_skb_load_bytes,
    BPF_FUNC_get_stackid,
    BPF_FUNC_csum_diff,
    BPF_FUNC_get_hash_recalc,
    BPF_FUNC_get_current_task,
    BPF_FUNC_probe_read_str,
    BPF_FUNC_get_socket_cookie,
    BPF_FUNC_redirect_map,
    BPF_FUNC_xdp_adjust_head,
    BPF_FUNC_xdp_adjust_tail,
    BPF_FUNC_xdp_adjust_meta,
    BPF_FUNC_ringbuf_output,
    BPF_FUNC_ringbuf_submit,
    BPF_FUNC_ringbuf_discard,
    BPF_FUNC_ringbuf_query,
    BPF_FUNC_probe_read_user,
    BPF_FUNC_probe_read_kernel,
    BPF_FUNC_probe_read_user_str,
    BPF_FUNC_probe_read_kernel_str,
    BPF_FUNC_ktime_get_boot_ns,
    BPF_FUNC_jiffies64,
    BPF_FUNC_loop,
    BPF_FUNC_snprintf,
    BPF_FUNC_get_numa_node_id,
    BPF_FUNC_skb_pull_data,
    BPF_FUNC_skb_change_tail,
};

static bool helper_returns_scalar(int32_t id)
{
	size_t i;

	for (i = 0; i < sizeof(scalar_helpers) / sizeof(scalar_helpers[0]); i++)
		if (scalar_helpers[i] == id)
			return true;
	return false;
}

static void call_clobber(struct vrf_reg *regs)
{
	int i;

	for (i = BPF_REG_1; i <= BPF_REG_5; i++)
		reg_mark_not_init(&regs[i]);
}

static int call_pseudo(struct vrf_env *env, const struct bpf_insn *in, int idx, int *next)
{
	int target = (int)insn_call_target(in, (size_t)idx);
	struct vrf_state *st = &env->cur;
	struct vrf_frame *callee;
	int i;

	if (calls_is_global(env, target))
		return calls_global_call(env, idx, target, next);
	if (st->curframe + 1 >= VRF_MAX_CALL_FRAMES)
		return env_fault(env, VRF_R_CALL_DEPTH, idx, "bpf-to-bpf calls nest deeper than 8",
		                 "the call stack of %d frames is too deep", st->curframe + 2);
	callee = state_frame_new(env, idx, target);
	if (!callee)
		return -ENOMEM;
	for (i = BPF_REG_1; i <= BPF_REG_5; i++)
		callee->regs[i] = st->frame[st->curframe]->regs[i];
	reg_mark_const(&callee->regs[BPF_REG_10], 0);
	callee->regs[BPF_REG_10].type = VRF_T_STACK;
	callee->regs[BPF_REG_10].frameno = (uint8_t)(st->curframe + 1);
	st->frame[++st->curframe] = callee;
	*next = target;
	return 0;
}

/* r0 after a helper call, from the probed prototype table (helper_proto.h): a number, no
 * value at all (RET_VOID), a map value or another pointer, maybe NULL. */
static void helper_ret(struct vrf_env *env, const struct vrf_helper_proto *p, struct vrf_reg *r0)
{
	bool null = p->ret.flags & VRF_RETF_MAYBE_NULL;

	switch (p->ret.kind) {
	case VRF_RET_INTEGER:
		r0->maybe_ptr = 0;
		return;
	case VRF_RET_VOID:
		reg_mark_not_init(r0);
		return;
	case VRF_RET_UNKNOWN:
		r0->maybe_ptr = 1;
		return;
	default:
		reg_mark_const(r0, 0);
		r0->type = p->ret.kind == VRF_RET_PTR_TO_MAP_VALUE ? VRF_T_MAP_VALUE : VRF_T_OTHER;
		r0->maybe_null = null;
		r0->id = null ? ++env->id_gen : 0;
		return;
	}
}

/* Helpers whose result the kernel bounds by their size argument (do_refine_retval_range):
 * the argument register, 0 for other calls. */
static int ret_size_arg(const struct bpf_insn *in)
{
	if (!insn_is_helper_call(in))
		return 0;
	switch (in->imm) {
	case BPF_FUNC_probe_read_str:
	case BPF_FUNC_probe_read_kernel_str:
	case BPF_FUNC_probe_read_user_str:
		return BPF_REG_2;
	case BPF_FUNC_get_stack:
	case BPF_FUNC_get_task_stack:
		return BPF_REG_3;
	default:
		return 0;
	}
}

/* do_refine_retval_range() for bpf_get_smp_processor_id(): [0, nr_cpu_ids - 1] in every
 * view, nr_cpu_ids the target's (vrf_options.nr_cpu_ids) or the largest possible. */
static void cpu_id_range(const struct vrf_env *env, struct scalar *r)
{
	uint32_t n = env->opts && env->opts->nr_cpu_ids ? env->opts->nr_cpu_ids : VRF_NR_CPUS_MAX;

	r->umin = 0;
	r->umax = n - 1;
	r->smin = 0;
	r->smax = (int64_t)(n - 1);
	r->u32_min = 0;
	r->u32_max = n - 1;
	r->s32_min = 0;
	r->s32_max = (int32_t)(n - 1);
	scalar_sync(r);
}

int transfer_call(struct vrf_env *env, const struct bpf_insn *in, int idx, int *next)
{
	struct vrf_reg *regs = state_regs(&env->cur), size_max;
	struct ref_call rc;
	size_t i;
	int err;

	if (insn_is_pseudo_call(in))
		return call_pseudo(env, in, idx, next);
	if (kfunc_call_unresolved(env, in, idx)) {
		*next = idx + 1; /* skipped as check_kfunc_call() does */
		return 0;
	}
	call_mem_begin(env);
	if (insn_is_kfunc_call(in)) {
		/* fetch_kfunc_meta(): registered for this program type? (kfunc_prog.c) */
		err = kfunc_check_prog_type(env, in, idx);
		if (err)
			return err;
		err = iter_kfunc_call(env, in, idx, next);
		if (err <= 0)
			return err;
	}
	err = prog_call_check(env, in, idx);
	if (!err)
		err = call_check_helper_id(env, in, idx);
	if (!err)
		err = call_check_helper_args(env, in, idx);
	if (!err)
		err = call_map_check_callback(env, in, idx);
	if (!err)
		err = cb_helper_call(env, in, idx);
	if (!err)
		err = prog_call_after_args(env, in, idx);
	if (!err)
		err = ref_helper_pre(env, in, idx, &rc);
	if (!err)
		err = call_map_check(env, in, idx);
	if (err)
		return err;
	regs = state_regs(&env->cur); /* the checks may have grown (moved) the frame */
	calls_note_call_args(env);
	size_max = ret_size_arg(in) ? regs[ret_size_arg(in)] : regs[BPF_REG_0];
	call_clobber(regs);
	reg_mark_unknown(&regs[BPF_REG_0]);
	if (ret_size_arg(in) && size_max.type == VRF_T_SCALAR) {
		/* do_refine_retval_range(): a length in [-MAX_ERRNO, size] */
		struct scalar *r = &regs[BPF_REG_0].s;

		r->smax = size_max.s.umax > INT64_MAX ? INT64_MAX : (int64_t)size_max.s.umax;
		r->s32_max = (int32_t)r->smax;
		r->smin = -4095;
		r->s32_min = -4095;
		scalar_sync(r);
	}
	/* kfuncs and helpers not known to return a number may return a pointer */
	regs[BPF_REG_0].maybe_ptr = !insn_is_helper_call(in) || !helper_returns_scalar(in->imm);
	if (insn_is_helper_call(in) && in->imm == BPF_FUNC_get_current_task_btf &&
	    mem_btf_current_task(env, &regs[BPF_REG_0])) {
		/* trusted_ptr_task_struct() */
	} else if (insn_is_helper_call(in) && vrf_helper_proto((uint32_t)in->imm)) {
		helper_ret(env, vrf_helper_proto((uint32_t)in->imm), &regs[BPF_REG_0]);
		call_mem_ret(env, vrf_helper_proto((uint32_t)in->imm), &regs[BPF_REG_0]);
	} else if (insn_is_helper_call(in)) {
		for (i = 0; i < sizeof(ptr_helpers) / sizeof(ptr_helpers[0]); i++) {
			if (ptr_helpers[i].id != in->imm)
				continue;
			reg_mark_const(&regs[BPF_REG_0], 0);
			regs[BPF_REG_0].type = ptr_helpers[i].type;
			regs[BPF_REG_0].maybe_null = ptr_helpers[i].maybe_null;
			regs[BPF_REG_0].id = ptr_helpers[i].maybe_null ? ++env->id_gen : 0;
			break;
		}
	}
	if (insn_is_helper_call(in) && in->imm == BPF_FUNC_get_smp_processor_id)
		cpu_id_range(env, &regs[BPF_REG_0].s);
	if ((insn_is_helper_call(in) && pkt_helper_changes_data(in->imm)) ||
	    pkt_kfunc_changes_data(env, in))
		pkt_clear_all(&env->cur);
	ref_helper_post(env, in, idx, &rc);
	*next = idx + 1;
	return 0;
}

int transfer_exit(struct vrf_env *env, int idx, int *next)
{
	struct vrf_state *st = &env->cur;
	struct vrf_frame *callee;
	struct vrf_reg r0;
	int err;

	/* process_bpf_exit_full(): references first, before the return value */
	err = ref_check_leak(env, idx, "BPF_EXIT instruction in main prog");
	if (err)
		return err;
	if (state_cur_frame(st)->cb_kind)
		return cb_exit(env, idx, next);
	/* only the program's own exit reads r0 (check_return_code); a subprogram hands its r0
	 * back as it is, initialised or not (prepare_func_exit) */
	if (st->curframe == 0) {
		err = lock_check_exit(env, idx, "BPF_EXIT instruction in main prog");
		*next = -1;
		if (!err)
			err = iter_check_leak(env, idx);
		if (!err)
			err = transfer_check_read(env, BPF_REG_0, idx);
		return err ? err : prog_exit_check_return(env, idx);
	}
	callee = st->frame[st->curframe];
	r0 = callee->regs[BPF_REG_0];
	*next = callee->callsite + 1;
	st->frame[st->curframe--] = NULL;
	state_frame_free(env, callee);
	call_clobber(state_regs(st));
	state_regs(st)[BPF_REG_0] = r0;
	return 0;
}

/* mark_ptr_or_null_regs(): every copy of pointer `id`, in every frame and stack slot. */
static void mark_null_split(struct vrf_env *env, struct vrf_state *st, uint32_t id, bool is_null)
{
	int f, i, k;

	for (f = 0; f <= st->curframe; f++) {
		struct vrf_frame *fr = st->frame[f];

		for (i = 0; i < INSN_NREGS; i++) {
			struct vrf_reg *r = &fr->regs[i];

			if (!r->maybe_null || r->id != id)
				continue;
			if (is_null) {
				reg_mark_const(r, 0);
			} else {
				r->maybe_null = 0;
				mem_map_lookup_not_null(env, r);
			}
		}
		for (k = 0; k < fr->nslots; k++) {
			struct vrf_reg *r = &fr->slot[k].spill;

			if (fr->slot[k].type[0] != VRF_S_SPILL || !r->maybe_null || r->id != id)
				continue;
			if (is_null) {
				reg_mark_const(r, 0);
			} else {
				r->maybe_null = 0;
				mem_map_lookup_not_null(env, r);
			}
		}
	}
}

/* sync_linked_regs(): every scalar sharing r's id (registers and spills, all frames)
 * takes r's refined value. */
static void sync_one(struct vrf_reg *reg, const struct vrf_reg *known)
{
	uint32_t base = known->id & ~VRF_ID_ADD_CONST;
	struct scalar delta;

	if (reg->type != VRF_T_SCALAR || (reg->id & ~VRF_ID_ADD_CONST) != base)
		return;
	if ((!(reg->id & VRF_ID_ADD_CONST) && !(known->id & VRF_ID_ADD_CONST)) ||
	    reg->off == known->off) {
		reg->s = known->s;
		return;
	}
	/* reg = known + (reg.off - known.off), zero-extended when either link is 32-bit */
	delta = scalar_const((uint64_t)((int64_t)reg->off - known->off));
	reg->s = known->s;
	scalar_alu(&reg->s, &delta, BPF_ADD, ((reg->id | known->id) & VRF_ID_ADD_CONST32) != 0);
}

/* sync_linked_regs(): every scalar linked to r (registers and spills, all frames) takes
 * r's refined value, moved by the constant that separates them. */
static void sync_linked(struct vrf_state *st, const struct vrf_reg *r)
{
	struct vrf_reg known = *r;
	int f, i, k;

	if (known.type != VRF_T_SCALAR || !(known.id & ~VRF_ID_ADD_CONST))
		return;
	for (f = 0; f <= st->curframe; f++) {
		struct vrf_frame *fr = st->frame[f];

		for (i = 0; i < INSN_NREGS; i++)
			sync_one(&fr->regs[i], &known);
		for (k = 0; k < fr->nslots; k++)
			if (fr->slot[k].type[0] == VRF_S_SPILL)
				sync_one(&fr->slot[k].spill, &known);
	}
}

/* Kernel's reg_not_null(): kinds it knows are never NULL (trusted BTF pointers too). */
static bool reg_not_null(const struct vrf_reg *r)
{
	return !r->maybe_null &&
	       (r->type == VRF_T_MAP_VALUE || r->type == VRF_T_MAP_PTR || r->type == VRF_T_SOCKET ||
	        (r->type == VRF_T_BTF_ID && (r->flags & VRF_RF_TRUSTED)) ||
	        (r->type == VRF_T_MEM && !(r->flags & VRF_RF_UNTRUSTED)));
}

/* check_cond_jmp_op(): "if rX == rY" between a pointer that may be NULL and one that may
 * not (neither a BTF pointer): where they are equal the maybe-NULL one is not NULL. The
 * kernel marks only that register (mark_ptr_not_null_reg), not the copies sharing its id. */
static void eq_not_null(struct vrf_env *env, const struct bpf_insn *in, struct vrf_state *cur,
                        struct vrf_state *other)
{
	uint8_t op = BPF_OP(in->code);
	struct vrf_reg *regs, *d, *s;

	if (BPF_CLASS(in->code) != BPF_JMP || (op != BPF_JEQ && op != BPF_JNE))
		return;
	regs = state_regs(op == BPF_JEQ ? other : cur);
	d = &regs[in->dst_reg];
	s = &regs[in->src_reg];
	if (d->maybe_null == s->maybe_null || d->type == VRF_T_BTF_ID || s->type == VRF_T_BTF_ID)
		return;
	if (!d->maybe_null)
		d = s;
	d->maybe_null = 0;
	mem_map_lookup_not_null(env, d);
}

static enum scalar_branch_outcome branch_taken(const struct vrf_reg *a, const struct vrf_reg *b,
                                               uint8_t op, bool is32)
{
	const struct vrf_reg *p = reg_is_pointer(a) ? a : b, *v = p == a ? b : a;
	int pkt = pkt_branch_taken(a, b, op, is32);

	if (pkt >= 0)
		return pkt ? SCALAR_BRANCH_TAKEN : SCALAR_BRANCH_NOT_TAKEN;
	if (a->type == VRF_T_SCALAR && b->type == VRF_T_SCALAR)
		return scalar_branch(&a->s, &b->s, op, is32);
	if (reg_is_pointer(a) && reg_is_pointer(b))
		return SCALAR_BRANCH_UNKNOWN;
	if (is32 || !reg_not_null(p) || !tnum_equals_const(v->s.var_off, 0))
		return SCALAR_BRANCH_UNKNOWN;
	if (op == BPF_JEQ)
		return SCALAR_BRANCH_NOT_TAKEN;
	if (op == BPF_JNE)
		return SCALAR_BRANCH_TAKEN;
	return SCALAR_BRANCH_UNKNOWN;
}

static int cond_may_goto(struct vrf_env *env, const struct bpf_insn *in, int idx, int *next)
{
	int target = (int)insn_jump_target(in, (size_t)idx), err = 0;
	struct vrf_state *other;

	*next = target;
	if (env->cur.may_goto_depth >= VRF_MAX_LOOPS)
		return 0;
	other = explore_push(env, idx + 1, idx, &err);
	if (!other)
		return err;
	other->may_goto_depth++;
	return 0;
}

int transfer_cond(struct vrf_env *env, const struct bpf_insn *in, int idx, int *next)
{
	bool is32 = BPF_CLASS(in->code) == BPF_JMP32, x = BPF_SRC(in->code) == BPF_X;
	int target = (int)insn_jump_target(in, (size_t)idx), err = 0;
	uint8_t op = BPF_OP(in->code);
	struct vrf_reg *regs, *odst, *osrc, kreg, *dst, *src;
	enum scalar_branch_outcome pred;
	struct vrf_state *other;

	if (in->code == (BPF_JMP | BPF_JCOND))
		return cond_may_goto(env, in, idx, next);
	err = transfer_check_read(env, in->dst_reg, idx);
	if (!err && x)
		err = transfer_check_read(env, in->src_reg, idx);
	if (err)
		return err;
	regs = state_regs(&env->cur);
	dst = &regs[in->dst_reg];
	if (x) {
		src = &regs[in->src_reg];
	} else {
		reg_mark_const(&kreg,
		               is32 ? (uint64_t)(uint32_t)in->imm : (uint64_t)(int64_t)in->imm);
		src = &kreg;
	}
	/* "if r0 == r0": the kernel compares the two values, not the register's identity */
	if (src == dst) {
		kreg = *dst;
		src = &kreg;
	}
	pred = branch_taken(dst, src, op, is32);
	if (pred != SCALAR_BRANCH_UNKNOWN) {
		*next = pred == SCALAR_BRANCH_TAKEN ? target : idx + 1;
		return 0;
	}
	other = explore_push(env, target, idx, &err);
	if (!other)
		return err;
	explore_note_step(other, idx, target, true);
	explore_note_step(&env->cur, idx, idx + 1, false);
	*next = idx + 1;
	regs = state_regs(&env->cur);
	dst = &regs[in->dst_reg];
	src = x ? &regs[in->src_reg] : &kreg;
	odst = &state_regs(other)[in->dst_reg];
	osrc = x ? &state_regs(other)[in->src_reg] : &kreg;
	if (dst->type == VRF_T_SCALAR && src->type == VRF_T_SCALAR) {
		struct scalar ks = kreg.s;

		/* "if rX op rX" refines through both aliases (no special case in the kernel);
		 * on -ERANGE (a branch that cannot happen) scalar_refine has forgotten the
		 * ranges and kept the known bits, as the kernel does after its invariant check */
		scalar_refine(&odst->s, x ? &osrc->s : &ks, op, is32, true);
		ks = kreg.s;
		scalar_refine(&dst->s, x ? &src->s : &ks, op, is32, false);
		sync_linked(other, odst);
		sync_linked(&env->cur, dst);
		if (x) {
			sync_linked(other, osrc);
			sync_linked(&env->cur, src);
		}
		return 0;
	}
	if (x && reg_is_pointer(dst) && reg_is_pointer(src)) {
		pkt_cond_refine(in, &env->cur, other);
		eq_not_null(env, in, &env->cur, other);
	}
	if (!x && in->imm == 0 && !is32 && dst->maybe_null && (op == BPF_JEQ || op == BPF_JNE)) {
		uint32_t id = dst->id, ref_obj_id = dst->ref_obj_id;

		mark_null_split(env, other, id, op == BPF_JEQ);
		mark_null_split(env, &env->cur, id, op != BPF_JEQ);
		ref_null_branch(other, id, ref_obj_id, op == BPF_JEQ);
		ref_null_branch(&env->cur, id, ref_obj_id, op != BPF_JEQ);
	}
	return 0;
}
