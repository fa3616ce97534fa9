/*
 * mem_pkt.c - direct packet access: the pointers a program gets from the data, data_meta
 * and data_end fields of its context, and what the kernel lets it do with them.
 *
 * Models kernel/bpf/verifier.c (Linux 6.18) for a privileged loader:
 *  - A packet pointer (pkt, pkt_meta) carries a fixed offset, a variable part, an id and a
 *    range: the bytes [0, range) from the start of its id group are proven to lie inside
 *    the packet.  Context loads give id 0, range 0.  Adding a constant moves the fixed
 *    offset and keeps id and range; adding a variable value makes a new pointer (fresh
 *    id, range 0); subtracting a variable that may be negative drops the range too
 *    (adjust_ptr_min_max_vals).
 *  - "if (pkt' > pkt_end)" and its mirror forms (JGT/JGE/JLT/JLE, either operand order,
 *    and pkt_meta' against an unmoved pkt) give every register and spilled copy of the
 *    compared pointer's id, in every frame, the range pkt'.off (one more when the
 *    comparison is strict) in the branch where the bytes are proven, provided the variable
 *    part and offset stay within MAX_PACKET_OFF (find_good_pkt_pointers).  In the other
 *    branch the compared register is known to be at or beyond data_end (mark_pkt_end), so
 *    a second identical comparison is decided (is_pkt_ptr_branch_taken).  JMP32 and
 *    comparisons with scalars teach nothing.
 *  - A load or store through pkt / pkt_meta needs a variable part that is not negative
 *    and off + size within the range (check_packet_access: "invalid access to packet,
 *    off=%d size=%d, R%d(id=%d,off=%d,r=%d)" then "R%d offset is outside of the packet");
 *    stores only in program types that may write the packet (may_access_direct_pkt_data:
 *    "cannot write into packet"); data_end itself can never be dereferenced.
 *  - Helpers that may move or resize the packet data (bpf_helper_changes_pkt_data), and
 *    the kfunc bpf_xdp_pull_data (is_kfunc_pkt_changing, named through the kernel BTF), turn
 *    every packet pointer, in all frames and stack slots, into an unknown scalar
 *    (clear_all_pkt_pointers), so a later access through one fails with "R%d invalid mem
 *    access 'scalar'".
 * Permissive where the kernel's answer depends on what we do not model: extension
 * programs (their target's type decides writes), strict alignment (x86 has efficient
 * unaligned access, so the kernel checks none unless asked by BPF_F_STRICT_ALIGNMENT).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>

#include "verifier/pkt.h"

bool pkt_is_any(const struct vrf_reg *r)
{
	return r->type == VRF_T_PACKET || r->type == VRF_T_PACKET_META ||
	       r->type == VRF_T_PACKET_END;
}

/* may_access_direct_pkt_data(env, NULL, BPF_WRITE) */
static bool pkt_may_write(enum bpf_prog_type t)
{
	switch (t) {
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
	case BPF_PROG_TYPE_XDP:
	case BPF_PROG_TYPE_LWT_XMIT:
	case BPF_PROG_TYPE_SK_SKB:
	case BPF_PROG_TYPE_SK_MSG:
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
	case BPF_PROG_TYPE_EXT: /* the target's type decides: not modelled */
		return true;
	default:
		return false;
	}
}

int mem_pkt_access(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int off, int size,
                   bool write, struct vrf_reg *dst, int idx)
{
	char d[160];

	if (ptr->type == VRF_T_PACKET_END)
		return env_fault(env, VRF_R_INVALID_MEM, idx,
		                 "data_end marks the end of the packet and cannot be dereferenced "
		                 "(hint: compare a pointer into the packet against it)",
		                 "R%d invalid mem access '%s'", regno, reg_type_name(ptr));
	if (write && !pkt_may_write(env->ienv.prog_type))
		return env_fault(env, VRF_R_PKT_WRITE, idx,
		                 "this program type may read the packet but not write it (hint: "
		                 "use a helper such as bpf_skb_store_bytes where the type has it)",
		                 "cannot write into packet");
	if (ptr->s.smin < 0)
		return env_fault(env, VRF_R_PKT_BOUNDS, idx,
		                 "the variable offset added to the packet pointer may be negative",
		                 "R%d min value is negative, either use unsigned index or do a if "
		                 "(index >=0) check.",
		                 regno);
	off += ptr->off;
	if (ptr->range < 0)
		return env_fault(env, VRF_R_PKT_BEYOND_END, idx,
		                 "on this path the pointer was found to lie at or past data_end",
		                 "R%d offset is outside of the packet", regno);
	if (off < 0 || size < 0 || (int64_t)off + size > ptr->range) {
		snprintf(d, sizeof(d),
		         "invalid access to packet, off=%d size=%d, R%d(id=%u,off=%d,r=%d): "
		         "the access is not covered by a comparison with data_end",
		         off, size, regno, ptr->id, off, ptr->range);
		return env_fault(env, VRF_R_PKT_BOUNDS, idx, d,
		                 "R%d offset is outside of the packet", regno);
	}
	if (dst)
		reg_mark_unknown(dst);
	return 0;
}

static uint8_t flip_op(uint8_t op)
{
	switch (op) {
	case BPF_JGT:
		return BPF_JLT;
	case BPF_JLT:
		return BPF_JGT;
	case BPF_JGE:
		return BPF_JLE;
	case BPF_JLE:
		return BPF_JGE;
	default:
		return op;
	}
}

int pkt_branch_taken(const struct vrf_reg *dst, const struct vrf_reg *src, uint8_t op, bool is32)
{
	const struct vrf_reg *pkt;

	if (is32 || !pkt_is_any(dst) || !pkt_is_any(src))
		return -1;
	if (src->type == VRF_T_PACKET_END) {
		pkt = dst;
	} else if (dst->type == VRF_T_PACKET_END) {
		pkt = src;
		op = flip_op(op);
	} else {
		return -1;
	}
	if (pkt->range >= 0)
		return -1;
	switch (op) {
	case BPF_JLE:
	case BPF_JGT:
		if (pkt->range == VRF_PKT_BEYOND_END)
			return op == BPF_JGT;
		break;
	case BPF_JLT:
	case BPF_JGE:
		return op == BPF_JGE;
	default:
		break;
	}
	return -1;
}

/* find_good_pkt_pointers() */
static void good_pointers(struct vrf_state *st, const struct vrf_reg *cmp, bool right_open)
{
	int32_t range;
	int f, i, k;

	if (cmp->off < 0 || (cmp->off == 0 && right_open))
		return;
	if (cmp->s.umax > VRF_MAX_PACKET_OFF ||
	    cmp->s.umax + (uint64_t)cmp->off > VRF_MAX_PACKET_OFF)
		return;
	range = cmp->off + (right_open ? 1 : 0);
	for (f = 0; f <= st->curframe; f++) {
		struct vrf_frame *fr = st->frame[f];

		for (i = 0; i < INSN_NREGS; i++) {
			struct vrf_reg *r = &fr->regs[i];

			if (r->type == cmp->type && r->id == cmp->id && r->range < range)
				r->range = range;
		}
		for (k = 0; k < fr->nslots; k++) {
			struct vrf_reg *r = &fr->slot[k].spill;

			if (fr->slot[k].type[0] == VRF_S_SPILL && r->type == cmp->type &&
			    r->id == cmp->id && r->range < range)
				r->range = range;
		}
	}
}

/* mark_pkt_end(): only the compared register of the current frame, only pkt. */
static void mark_end(struct vrf_state *st, int regno, bool open)
{
	struct vrf_reg *r = &state_regs(st)[regno];

	if (r->type == VRF_T_PACKET)
		r->range = open ? VRF_PKT_BEYOND_END : VRF_PKT_AT_END;
}

/* reg_is_init_pkt_pointer(): an unmoved pkt (id 0, no offset). */
static bool init_pkt(const struct vrf_reg *r)
{
	return r->type == VRF_T_PACKET && r->id == 0 && r->off == 0 &&
	       tnum_equals_const(r->s.var_off, 0);
}

void pkt_cond_refine(const struct bpf_insn *in, struct vrf_state *fall, struct vrf_state *taken)
{
	struct vrf_reg d, s;
	bool fwd, rev;

	if (BPF_SRC(in->code) != BPF_X || BPF_CLASS(in->code) == BPF_JMP32)
		return;
	d = state_regs(fall)[in->dst_reg];
	s = state_regs(fall)[in->src_reg];
	/* pkt' vs pkt_end, pkt_meta' vs pkt: the moved pointer is dst (fwd) or src (rev) */
	fwd = (d.type == VRF_T_PACKET && s.type == VRF_T_PACKET_END) ||
	      (d.type == VRF_T_PACKET_META && init_pkt(&s));
	rev = (d.type == VRF_T_PACKET_END && s.type == VRF_T_PACKET) ||
	      (init_pkt(&d) && s.type == VRF_T_PACKET_META);
	if (!fwd && !rev)
		return;
	switch (BPF_OP(in->code)) {
	case BPF_JGT:
		if (fwd) {
			good_pointers(fall, &d, false);
			mark_end(taken, in->dst_reg, true);
		} else {
			good_pointers(taken, &s, true);
			mark_end(fall, in->src_reg, false);
		}
		break;
	case BPF_JLT:
		if (fwd) {
			good_pointers(taken, &d, true);
			mark_end(fall, in->dst_reg, false);
		} else {
			good_pointers(fall, &s, false);
			mark_end(taken, in->src_reg, true);
		}
		break;
	case BPF_JGE:
		if (fwd) {
			good_pointers(fall, &d, true);
			mark_end(taken, in->dst_reg, false);
		} else {
			good_pointers(taken, &s, false);
			mark_end(fall, in->src_reg, true);
		}
		break;
	case BPF_JLE:
		if (fwd) {
			good_pointers(taken, &d, false);
			mark_end(fall, in->dst_reg, true);
		} else {
			good_pointers(fall, &s, true);
			mark_end(taken, in->src_reg, false);
		}
		break;
	default:
		break;
	}
}

void pkt_after_arith(struct vrf_env *env, struct vrf_reg *dst, const struct scalar *val, uint8_t op)
{
	if ((dst->type != VRF_T_PACKET && dst->type != VRF_T_PACKET_META) ||
	    tnum_is_const(val->var_off))
		return;
	dst->id = ++env->id_gen;
	if (op == BPF_ADD || val->smin < 0)
		dst->range = 0;
}

bool pkt_helper_changes_data(int32_t id)
{
	switch (id) {
	case BPF_FUNC_clone_redirect:
	case BPF_FUNC_l3_csum_replace:
	case BPF_FUNC_l4_csum_replace:
	case BPF_FUNC_lwt_push_encap:
	case BPF_FUNC_lwt_seg6_action:
	case BPF_FUNC_lwt_seg6_adjust_srh:
	case BPF_FUNC_lwt_seg6_store_bytes:
	case BPF_FUNC_msg_pop_data:
	case BPF_FUNC_msg_pull_data:
	case BPF_FUNC_msg_push_data:
	case BPF_FUNC_skb_adjust_room:
	case BPF_FUNC_skb_change_head:
	case BPF_FUNC_skb_change_proto:
	case BPF_FUNC_skb_change_tail:
	case BPF_FUNC_skb_pull_data:
	case BPF_FUNC_skb_store_bytes:
	case BPF_FUNC_skb_vlan_pop:
	case BPF_FUNC_skb_vlan_push:
	case BPF_FUNC_store_hdr_opt:
	case BPF_FUNC_xdp_adjust_head:
	case BPF_FUNC_xdp_adjust_meta:
	case BPF_FUNC_xdp_adjust_tail:
		return true;
	default:
		return false;
	}
}

bool pkt_kfunc_changes_data(const struct vrf_env *env, const struct bpf_insn *in)
{
	const struct btf *btf = env->opts ? env->opts->kernel_btf : NULL;
	const struct btf_type *t;
	const char *name;

	if (!btf || !insn_is_kfunc_call(in) || in->off != 0 || in->imm <= 0)
		return false;
	t = btf__type_by_id(btf, (uint32_t)in->imm);
	if (!t || !btf_is_func(t))
		return false;
	name = btf__name_by_offset(btf, t->name_off);
	return name && strcmp(name, "bpf_xdp_pull_data") == 0;
}

/* Does subprogram sp, or a function it calls, call something that changes packet data? */
static bool subprog_changes(const struct vrf_env *env, int sp, uint8_t *seen)
{
	const struct cfg_subprog *f = &env->cfg->subprogs[sp];
	int i;

	if (seen[sp])
		return false;
	seen[sp] = 1;
	for (i = f->start; i < f->end && i < env->n; i++) {
		const struct bpf_insn *in = &env->insns[i];

		if (insn_is_helper_call(in) &&
		    (pkt_helper_changes_data(in->imm) || in->imm == BPF_FUNC_tail_call))
			return true;
		if (pkt_kfunc_changes_data(env, in))
			return true;
		if (insn_is_pseudo_call(in)) {
			int callee = cfg_subprog_of(env->cfg, (int)insn_call_target(in, (size_t)i));

			if (callee > 0 && callee < env->cfg->nsubprogs &&
			    subprog_changes(env, callee, seen))
				return true;
		}
	}
	return false;
}

bool pkt_subprog_changes_data(const struct vrf_env *env, int start)
{
	uint8_t seen[VRF_MAX_SUBPROGS + 1] = {0};
	int sp;

	if (!env->cfg || env->cfg->nsubprogs > VRF_MAX_SUBPROGS + 1)
		return false;
	sp = cfg_subprog_of(env->cfg, start);
	return sp >= 0 && sp < env->cfg->nsubprogs && subprog_changes(env, sp, seen);
}

void pkt_clear_all(struct vrf_state *st)
{
	int f, i, k;

	for (f = 0; f <= st->curframe; f++) {
		struct vrf_frame *fr = st->frame[f];

		for (i = 0; i < INSN_NREGS; i++)
			if (pkt_is_any(&fr->regs[i]))
				reg_mark_unknown(&fr->regs[i]);
		for (k = 0; k < fr->nslots; k++)
			if (fr->slot[k].type[0] == VRF_S_SPILL && pkt_is_any(&fr->slot[k].spill))
				reg_mark_unknown(&fr->slot[k].spill);
	}
}
