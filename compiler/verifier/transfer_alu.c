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

static void alu_pointer(struct vrf_reg *dst, const struct vrf_reg *src, const struct scalar *sv,
                        uint8_t op, bool alu32)
{
	bool dptr = reg_is_pointer(dst), sptr = src && reg_is_pointer(src);

	if (!alu32 && dptr && !sptr && (op == BPF_ADD || op == BPF_SUB)) {
		ptr_add(dst, sv, op);
		return;
	}
	if (!alu32 && !dptr && sptr && op == BPF_ADD) {
		struct scalar v = dst->s;

		*dst = *src;
		ptr_add(dst, &v, BPF_ADD);
		return;
	}
	reg_mark_unknown(dst);
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
	src = regs[in->src_reg];
	if (!alu32 && in->off == 0) {
		*dst = src;
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
	if (dst->type == VRF_T_STACK && op == BPF_SUB && !alu32 &&
	    (BPF_SRC(in->code) == BPF_K || regs[in->src_reg].type == VRF_T_SCALAR))
		return env_fault(env, VRF_R_PTR_ARITH, idx,
		                 "a register may be added to the frame pointer, never subtracted",
		                 "R%d subtraction from stack pointer prohibited", in->dst_reg);
	if (reg_is_pointer(dst) ||
	    (BPF_SRC(in->code) == BPF_X && reg_is_pointer(&regs[in->src_reg]))) {
		alu_pointer(dst, BPF_SRC(in->code) == BPF_X ? &regs[in->src_reg] : NULL, &sv, op,
		            alu32);
		return 0;
	}
	if (BPF_SRC(in->code) == BPF_X && in->src_reg == in->dst_reg)
		err = scalar_alu(&dst->s, &dst->s, op, alu32);
	else
		err = scalar_alu(&dst->s, &sv, op, alu32);
	if (err)
		reg_mark_unknown(dst);
	return 0;
}
