/*
 * transfer_alu.c - ALU and ALU64 instructions on the abstract state (check_alu_op()).
 *
 * Operands are read in the kernel's order (the source register of a BPF_X operation
 * first, then the destination of every operation but mov), and reading a register that
 * was never written is "R%d !read_ok".  Scalars go through the value domain
 * (scalar_alu, scalar_mov, scalar_end).  Pointer arithmetic follows the privileged rules
 * of adjust_ptr_min_max_vals() where they keep a pointer (ptr +/- scalar, scalar + ptr:
 * the constant part moves the fixed offset, the rest goes into the variable part); every
 * other operation on a pointer, which the kernel either refuses (part two's rules) or
 * turns into an unknown scalar, gives an unknown scalar here: permissive.
 */
#include <errno.h>

#include "verifier/pkt.h"
#include "verifier/state.h"

int transfer_check_read(struct vrf_env *env, int regno, int idx)
{
	char d[96];

	if (state_regs(&env->cur)[regno].type != VRF_T_NOT_INIT)
		return 0;
	snprintf(d, sizeof(d), "register r%d is read before anything was written to it", regno);
	return env_fault(env, VRF_R_UNINIT_REG, idx, d, "R%d !read_ok", regno);
}

/* The scalar an operand stands for: the register, or the sign-extended immediate. */
static struct scalar operand(const struct bpf_insn *in, const struct vrf_reg *regs)
{
	if (BPF_SRC(in->code) == BPF_X)
		return regs[in->src_reg].s;
	return scalar_const((uint64_t)(int64_t)in->imm);
}

/* ptr +/- scalar (64-bit): the result stays a pointer of the same kind. */
static void ptr_add(struct vrf_reg *ptr, const struct scalar *val, uint8_t op)
{
	if (tnum_is_const(val->var_off)) {
		int64_t v = (int64_t)val->var_off.value;

		ptr->off = (int32_t)(op == BPF_ADD ? ptr->off + v : ptr->off - v);
		return;
	}
	scalar_alu(&ptr->s, val, op, false);
}

/* The kernel's bpf_alu_string[] for the messages, by BPF_OP >> 4. */
static const char *const alu_str[16] = {
    "+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=", "s>>=", "endian",
};

#define VRF_MAX_VAR_OFF (1 << 29) /* BPF_MAX_VAR_OFF */

/* check_reg_sane_offset(): offsets and values the kernel allows in pointer arithmetic. */
static int sane_offset(struct vrf_env *env, const struct vrf_reg *r, const struct vrf_reg *ptr,
                       int idx)
{
	const char *t = reg_type_name(ptr);
	int64_t val = (int64_t)r->s.var_off.value, smin = r->s.smin;
	const char *d = "pointer arithmetic with a value the kernel cannot bound";

	if (tnum_is_const(r->s.var_off) && (val >= VRF_MAX_VAR_OFF || val <= -VRF_MAX_VAR_OFF))
		return env_fault(env, VRF_R_PTR_OFFSET, idx, d,
		                 "math between %s pointer and %lld is not allowed", t,
		                 (long long)val);
	if (reg_is_pointer(r) && (r->off >= VRF_MAX_VAR_OFF || r->off <= -VRF_MAX_VAR_OFF))
		return env_fault(env, VRF_R_PTR_OFFSET, idx, d,
		                 "%s pointer offset %d is not allowed", t, r->off);
	if (smin == INT64_MIN)
		return env_fault(env, VRF_R_PTR_OFFSET, idx, d,
		                 "math between %s pointer and register with unbounded min value is "
		                 "not allowed",
		                 t);
	if (smin >= VRF_MAX_VAR_OFF || smin <= -VRF_MAX_VAR_OFF)
		return env_fault(env, VRF_R_PTR_OFFSET, idx, d,
		                 "value %lld makes %s pointer be out of bounds", (long long)smin,
		                 t);
	return 0;
}

/*
 * adjust_ptr_min_max_vals() for a privileged loader: only 64-bit add and subtract keep a
 * pointer (and never subtract from the frame pointer); 32-bit subtraction gives an unknown
 * scalar; everything else on a pointer, and pointer arithmetic on kinds that forbid it
 * (maybe-null pointers, map pointers, packet end, sockets: checked before the operator),
 * is refused with the kernel's message.
 * ptr: the pointer operand, off: the other one (a copy), dst: the destination register.
 */
static int ptr_arith(struct vrf_env *env, const struct bpf_insn *in, int idx, struct vrf_reg *dst,
                     const struct vrf_reg *ptr, const struct vrf_reg *off)
{
	uint8_t op = BPF_OP(in->code);
	bool known = tnum_is_const(off->s.var_off), scalar_dst = dst->type == VRF_T_SCALAR;
	const char *d = "this arithmetic on a pointer is not allowed";
	struct vrf_reg res;
	int err;

	if (BPF_CLASS(in->code) != BPF_ALU64) {
		if (op == BPF_SUB) {
			reg_mark_unknown(dst);
			return 0;
		}
		return env_fault(env, VRF_R_PTR_ARITH, idx, d,
		                 "R%d 32-bit pointer arithmetic prohibited", in->dst_reg);
	}
	if (ptr->maybe_null)
		return env_fault(env, VRF_R_PTR_ARITH, idx,
		                 "null-check the pointer before moving it",
		                 "R%d pointer arithmetic on %s prohibited, null-check it first",
		                 in->dst_reg, reg_type_name(ptr));
	if ((ptr->type == VRF_T_MAP_PTR && !(known && off->s.smin == 0 && op == BPF_ADD)) ||
	    ptr->type == VRF_T_PACKET_END || ptr->type == VRF_T_SOCKET)
		return env_fault(env, VRF_R_PTR_ARITH, idx, d,
		                 "R%d pointer arithmetic on %s prohibited", in->dst_reg,
		                 reg_type_name(ptr));
	/* a NULL-checked lookup in a map of maps is the inner map (CONST_PTR_TO_MAP), kept
	 * as the outer map's value (call_mem.c) */
	if (ptr->type == VRF_T_MAP_VALUE && !(known && off->s.smin == 0 && op == BPF_ADD) &&
	    (mem_map_type(env, ptr) == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
	     mem_map_type(env, ptr) == BPF_MAP_TYPE_HASH_OF_MAPS))
		return env_fault(env, VRF_R_PTR_ARITH, idx, d,
		                 "R%d pointer arithmetic on map_ptr prohibited", in->dst_reg);
	err = sane_offset(env, off, ptr, idx);
	if (!err)
		err = sane_offset(env, ptr, ptr, idx);
	if (err)
		return err;
	switch (op) {
	case BPF_ADD:
		res = *ptr;
		ptr_add(&res, &off->s, BPF_ADD);
		pkt_after_arith(env, &res, &off->s, BPF_ADD);
		*dst = res;
		return 0;
	case BPF_SUB:
		if (scalar_dst)
			return env_fault(env, VRF_R_PTR_ARITH, idx, d,
			                 "R%d tried to subtract pointer from scalar", in->dst_reg);
		if (ptr->type == VRF_T_STACK)
			return env_fault(
			    env, VRF_R_PTR_ARITH, idx,
			    "a register may be added to the frame pointer, never subtracted",
			    "R%d subtraction from stack pointer prohibited", in->dst_reg);
		ptr_add(dst, &off->s, BPF_SUB);
		pkt_after_arith(env, dst, &off->s, BPF_SUB);
		return 0;
	case BPF_AND:
	case BPF_OR:
	case BPF_XOR:
		return env_fault(env, VRF_R_PTR_ARITH, idx, d,
		                 "R%d bitwise operator %s on pointer prohibited", in->dst_reg,
		                 alu_str[op >> 4]);
	default:
		return env_fault(env, VRF_R_PTR_ARITH, idx, d,
		                 "R%d pointer arithmetic with %s operator prohibited", in->dst_reg,
		                 alu_str[op >> 4]);
	}
}

static int alu_mov(struct vrf_env *env, const struct bpf_insn *in, struct vrf_reg *regs, bool alu32)
{
	struct vrf_reg *dst = &regs[in->dst_reg];
	struct vrf_reg src;

	if (BPF_SRC(in->code) == BPF_K) {
		reg_mark_const(dst,
		               alu32 ? (uint64_t)(uint32_t)in->imm : (uint64_t)(int64_t)in->imm);
		return 0;
	}
	/* a copy of an unknown scalar stays linked to it (assign_scalar_id_before_mov): a
	 * branch that narrows one narrows both; 32-bit copies only when the value fits */
	if (in->off == 0 && (!alu32 || regs[in->src_reg].s.umax <= UINT32_MAX))
		reg_link_before_copy(env, &regs[in->src_reg]);
	src = regs[in->src_reg];
	if (!alu32 && in->off == 0) {
		*dst = src;
		return 0;
	}
	if (alu32 && in->off == 0 && src.type == VRF_T_SCALAR && src.s.umax <= UINT32_MAX) {
		*dst = src;
		return 0;
	}
	if (alu32 && in->off == 0 && src.type == VRF_T_SCALAR) {
		reg_mark_unknown(dst);
		scalar_mov(&dst->s, &src.s, true, 0);
		return 0;
	}
	if (src.type != VRF_T_SCALAR || (!alu32 && in->off == INSN_ADDR_SPACE_CAST && in->imm)) {
		reg_mark_unknown(dst);
		return 0;
	}
	reg_mark_unknown(dst);
	if (scalar_mov(&dst->s, &src.s, alu32, (uint8_t)in->off) < 0)
		dst->s = scalar_unknown();
	return 0;
}

int transfer_alu(struct vrf_env *env, const struct bpf_insn *in, int idx)
{
	struct vrf_reg *regs = state_regs(&env->cur);
	bool alu32 = BPF_CLASS(in->code) == BPF_ALU;
	uint8_t op = BPF_OP(in->code);
	struct vrf_reg *dst = &regs[in->dst_reg];
	struct scalar sv;
	int err;

	if (op == BPF_END || op == BPF_NEG) {
		err = transfer_check_read(env, in->dst_reg, idx);
		if (err)
			return err;
		if (dst->type != VRF_T_SCALAR) {
			reg_mark_unknown(dst);
			return 0;
		}
		dst->id = 0;
		dst->off = 0;
		if (op == BPF_NEG)
			scalar_alu(&dst->s, &dst->s, BPF_NEG, alu32);
		else if (scalar_end(&dst->s, !alu32, BPF_SRC(in->code) == BPF_TO_BE, in->imm) < 0)
			dst->s = scalar_unknown();
		return 0;
	}
	if (BPF_SRC(in->code) == BPF_X) {
		err = transfer_check_read(env, in->src_reg, idx);
		if (err)
			return err;
	}
	if (op == BPF_MOV)
		return alu_mov(env, in, regs, alu32);
	err = transfer_check_read(env, in->dst_reg, idx);
	if (err)
		return err;
	sv = operand(in, regs);
	if (BPF_SRC(in->code) == BPF_X && reg_is_pointer(&regs[in->src_reg])) {
		struct vrf_reg src = regs[in->src_reg];

		if (reg_is_pointer(dst)) {
			if (op == BPF_SUB) {
				reg_mark_unknown(dst);
				return 0;
			}
			return env_fault(env, VRF_R_PTR_ARITH, idx,
			                 "two pointers can only be subtracted from each other",
			                 "R%d pointer %s pointer prohibited", in->dst_reg,
			                 alu_str[op >> 4]);
		}
		return ptr_arith(env, in, idx, dst, &src,
		                 &(struct vrf_reg){.s = dst->s, .type = VRF_T_SCALAR});
	}
	if (reg_is_pointer(dst)) {
		struct vrf_reg ptr = *dst, off = {.s = sv, .type = VRF_T_SCALAR};

		return ptr_arith(env, in, idx, dst, &ptr, &off);
	}
	/* maybe_fork_scalars: rX &= K / rX |= K on rX in [-1, 0] goes on with -1 and re-runs
	 * the instruction with 0 on a pushed state */
	if (op == BPF_AND || op == BPF_OR) {
		struct scalar neg = dst->s, zero;

		if (scalar_fork_bitop(&neg, &zero, &sv, op)) {
			struct vrf_state *other = explore_push(env, idx, idx, &err);

			if (!other)
				return err;
			state_regs(other)[in->dst_reg].s = zero;
			regs = state_regs(&env->cur);
			dst = &regs[in->dst_reg];
			dst->s = neg;
		}
	}
	/* rX += K keeps rX linked to its copies, as "the others plus K" (BPF_ADD_CONST), once;
	 * every other operation makes a new value */
	if ((op == BPF_ADD || op == BPF_SUB) && dst->id && tnum_is_const(sv.var_off) &&
	    !(dst->id & VRF_ID_ADD_CONST) &&
	    (alu32 ||
	     ((int64_t)sv.var_off.value >= INT32_MIN && (int64_t)sv.var_off.value <= INT32_MAX)) &&
	    !(op == BPF_SUB && (int32_t)sv.var_off.value == INT32_MIN)) {
		int32_t k = (int32_t)sv.var_off.value;

		dst->id |= alu32 ? VRF_ID_ADD_CONST32 : VRF_ID_ADD_CONST64;
		dst->off = op == BPF_SUB ? -k : k;
	} else {
		dst->id = 0;
		dst->off = 0;
	}
	/* what may be a pointer moved by add/sub may still be one */
	dst->maybe_ptr =
	    !alu32 && (op == BPF_ADD || op == BPF_SUB) &&
	    (dst->maybe_ptr || (BPF_SRC(in->code) == BPF_X && regs[in->src_reg].maybe_ptr));
	if (BPF_SRC(in->code) == BPF_X && in->src_reg == in->dst_reg)
		err = scalar_alu(&dst->s, &dst->s, op, alu32);
	else
		err = scalar_alu(&dst->s, &sv, op, alu32);
	if (err)
		reg_mark_unknown(dst);
	return 0;
}
