/*
 * insn.c - what one BPF instruction is, whether the kernel knows its opcode, which of its
 * fields the kernel refuses, and how the kernel's verifier log prints it.
 *
 * Opcode table: the kernel keeps a 256-entry table of the opcodes it implements
 * (bpf_opcode_in_insntable() in kernel/bpf/core.c) and refuses anything else with
 * "unknown opcode %02x" while resolving ld_imm64 pairs.  We state the table as rules per
 * class below; the unit test compares it with the live kernel for all 256 codes.
 *
 * Field checks: do_check() (kernel/bpf/verifier.c) checks the fields of an instruction
 * when it first reaches it: check_alu_op(), check_load_mem(), check_store_reg(),
 * check_atomic(), check_cond_jmp_op(), check_ld_abs(), check_ld_imm() and the inline
 * checks for CALL, JA and EXIT.  Each check names a register operand first or the
 * reserved fields first in a fixed order; insn_check_fields() keeps that order, which
 * the unit tests pin against the kernel.  Checks that need register values
 * ("R%d !read_ok", pointer arithmetic) belong to path exploration, not here.
 */
#include "verifier/insn.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int vrf_fault_set(struct vrf_fault *f, enum vrf_rule rule, int insn, const char *kmsg,
                  const char *detail)
{
	if (f) {
		f->rule = rule;
		f->insn = insn;
		snprintf(f->kmsg, sizeof(f->kmsg), "%s", kmsg ? kmsg : "");
		snprintf(f->detail, sizeof(f->detail), "%s", detail ? detail : "");
	}
	return -EINVAL;
}

/* ALU operations (BPF_OP >> 4) that take both K and X sources: all but NEG and END. */
static bool alu_binary_op(uint8_t op)
{
	return op <= BPF_ARSH && op != BPF_NEG;
}

static bool jmp_cond_op(uint8_t op)
{
	return op != BPF_JA && op != BPF_CALL && op != BPF_EXIT && op <= BPF_JSLE;
}

bool insn_opcode_known(uint8_t code)
{
	uint8_t op = BPF_OP(code), src = BPF_SRC(code);
	uint8_t mode = BPF_MODE(code), size = BPF_SIZE(code);

	switch (BPF_CLASS(code)) {
	case BPF_ALU:
		if (alu_binary_op(op))
			return true;
		if (op == BPF_NEG)
			return src == BPF_K;
		return op == BPF_END; /* TO_LE (K) and TO_BE (X) */
	case BPF_ALU64:
		if (alu_binary_op(op))
			return true;
		return (op == BPF_NEG || op == BPF_END) && src == BPF_K; /* END|K: bswap */
	case BPF_JMP:
		if (jmp_cond_op(op))
			return true;
		return src == BPF_K &&
		       (op == BPF_JA || op == BPF_CALL || op == BPF_EXIT || op == BPF_JCOND);
	case BPF_JMP32:
		if (jmp_cond_op(op))
			return true;
		return op == BPF_JA && src == BPF_K;
	case BPF_LD:
		if (mode == BPF_IMM)
			return size == BPF_DW;
		return (mode == BPF_ABS || mode == BPF_IND) && size != BPF_DW;
	case BPF_LDX:
		return mode == BPF_MEM || (mode == BPF_MEMSX && size != BPF_DW);
	case BPF_ST:
		return mode == BPF_MEM;
	case BPF_STX:
		return mode == BPF_MEM || mode == BPF_ATOMIC;
	}
	return false;
}

bool insn_is_ldimm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

bool insn_is_pseudo_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == BPF_PSEUDO_CALL;
}

bool insn_is_pseudo_func(const struct bpf_insn *insn)
{
	return insn_is_ldimm64(insn) && insn->src_reg == BPF_PSEUDO_FUNC;
}

bool insn_is_kfunc_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == BPF_PSEUDO_KFUNC_CALL;
}

bool insn_is_helper_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == 0;
}

bool insn_is_jump(const struct bpf_insn *insn)
{
	uint8_t cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);

	return (cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL && op != BPF_EXIT;
}

bool insn_is_goto(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_JA) || insn->code == (BPF_JMP32 | BPF_JA);
}

bool insn_is_exit(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_EXIT);
}

long insn_jump_target(const struct bpf_insn *insn, size_t idx)
{
	if (insn->code == (BPF_JMP32 | BPF_JA))
		return (long)idx + insn->imm + 1;
	return (long)idx + insn->off + 1;
}

long insn_call_target(const struct bpf_insn *insn, size_t idx)
{
	return (long)idx + insn->imm + 1;
}

/* ---- field checks ---------------------------------------------------------------- */

static int reserved(struct vrf_fault *f, int idx, const char *what)
{
	char k[96], d[160];

	snprintf(k, sizeof(k), "%s uses reserved fields", what);
	snprintf(d, sizeof(d), "%s instruction sets a field the kernel requires to be zero", what);
	return vrf_fault_set(f, VRF_R_RESERVED, idx, k, d);
}

/* check_reg_arg(): SRC_OP reads, DST_OP writes (and r10 is read-only). */
static int reg_arg(struct vrf_fault *f, int idx, unsigned reg, bool write)
{
	char k[64], d[160];

	if (reg >= INSN_NREGS) {
		snprintf(k, sizeof(k), "R%u is invalid", reg);
		snprintf(d, sizeof(d), "register r%u does not exist (BPF has r0..r10)", reg);
		return vrf_fault_set(f, VRF_R_BAD_REG, idx, k, d);
	}
	if (write && reg == INSN_REG_FP)
		return vrf_fault_set(f, VRF_R_FP_WRITE, idx, "frame pointer is read only",
		                     "instruction writes r10, the read-only frame pointer");
	return 0;
}

static int check_alu(const struct bpf_insn *in, int idx, const struct insn_env *env,
                     struct vrf_fault *f)
{
	bool alu64 = BPF_CLASS(in->code) == BPF_ALU64, x = BPF_SRC(in->code) == BPF_X;
	uint8_t op = BPF_OP(in->code);
	char k[96], d[160];
	int err;

	if (op == BPF_NEG) {
		if (x || in->src_reg || in->off || in->imm)
			return reserved(f, idx, "BPF_NEG");
		return reg_arg(f, idx, in->dst_reg, false) ?: reg_arg(f, idx, in->dst_reg, true);
	}
	if (op == BPF_END) {
		if (in->src_reg || in->off || (in->imm != 16 && in->imm != 32 && in->imm != 64) ||
		    (alu64 && x))
			return reserved(f, idx, "BPF_END");
		return reg_arg(f, idx, in->dst_reg, false) ?: reg_arg(f, idx, in->dst_reg, true);
	}
	if (op == BPF_MOV) {
		if (x) {
			if (!alu64) {
				if ((in->off != 0 && in->off != 8 && in->off != 16) || in->imm)
					return reserved(f, idx, "BPF_MOV");
			} else if (in->off == INSN_ADDR_SPACE_CAST) {
				if (in->imm != 1 && in->imm != 1 << 16)
					return vrf_fault_set(
					    f, VRF_R_ARENA_CAST, idx,
					    "addr_space_cast insn can only convert between "
					    "address space 1 and 0",
					    "addr_space_cast converts only between address "
					    "spaces 0 and 1");
				if (!(env->flags & VRF_F_HAS_ARENA))
					return vrf_fault_set(
					    f, VRF_R_ARENA_CAST, idx,
					    "addr_space_cast insn can only be used in a "
					    "program that has an associated arena",
					    "addr_space_cast needs an arena map in the program");
			} else if ((in->off != 0 && in->off != 8 && in->off != 16 &&
			            in->off != 32) ||
			           in->imm) {
				return reserved(f, idx, "BPF_MOV");
			}
			err = reg_arg(f, idx, in->src_reg, false);
			if (err)
				return err;
		} else if (in->src_reg || in->off) {
			return reserved(f, idx, "BPF_MOV");
		}
		return reg_arg(f, idx, in->dst_reg, true);
	}
	if (op > BPF_END) {
		snprintf(k, sizeof(k), "invalid BPF_ALU opcode %x", op);
		return vrf_fault_set(f, VRF_R_BAD_OPCODE, idx, k, "unknown ALU operation");
	}
	/* add, sub, mul, div/sdiv, or, and, lsh, rsh, mod/smod, xor, arsh */
	if ((x ? in->imm != 0 : in->src_reg != 0) || (in->off != 0 && in->off != 1) ||
	    (in->off == 1 && op != BPF_MOD && op != BPF_DIV))
		return reserved(f, idx, "BPF_ALU");
	if (x) {
		err = reg_arg(f, idx, in->src_reg, false);
		if (err)
			return err;
	}
	err = reg_arg(f, idx, in->dst_reg, false);
	if (err)
		return err;
	if ((op == BPF_MOD || op == BPF_DIV) && !x && in->imm == 0)
		return vrf_fault_set(f, VRF_R_DIV_ZERO, idx, "div by zero",
		                     "division or modulo by the constant 0");
	if ((op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH) && !x) {
		int bits = alu64 ? 64 : 32;

		if (in->imm < 0 || in->imm >= bits) {
			snprintf(k, sizeof(k), "invalid shift %d", in->imm);
			snprintf(d, sizeof(d), "shift by %d is outside 0..%d", in->imm, bits - 1);
			return vrf_fault_set(f, VRF_R_SHIFT, idx, k, d);
		}
	}
	return reg_arg(f, idx, in->dst_reg, true);
}

static int check_atomic(const struct bpf_insn *in, int idx, struct vrf_fault *f)
{
	uint8_t size = BPF_SIZE(in->code);
	char k[96], d[160];
	int err;

	switch (in->imm) {
	case BPF_ADD:
	case BPF_ADD | BPF_FETCH:
	case BPF_AND:
	case BPF_AND | BPF_FETCH:
	case BPF_OR:
	case BPF_OR | BPF_FETCH:
	case BPF_XOR:
	case BPF_XOR | BPF_FETCH:
	case BPF_XCHG:
	case BPF_CMPXCHG:
		if (size != BPF_W && size != BPF_DW)
			return vrf_fault_set(
			    f, VRF_R_ATOMIC, idx, "invalid atomic operand size",
			    "atomic read-modify-write works on 32 or 64 bits only");
		err = reg_arg(f, idx, in->src_reg, false) ?: reg_arg(f, idx, in->dst_reg, false);
		if (err)
			return err;
		return 0; /* r0 of cmpxchg exists: only its value is checked later */
	case INSN_LOAD_ACQ:
		/* check_load_mem(): source (address) first, then the destination */
		return reg_arg(f, idx, in->src_reg, false) ?: reg_arg(f, idx, in->dst_reg, true);
	case INSN_STORE_REL:
		return reg_arg(f, idx, in->src_reg, false) ?: reg_arg(f, idx, in->dst_reg, false);
	default:
		snprintf(k, sizeof(k), "BPF_ATOMIC uses invalid atomic opcode %02x", in->imm);
		snprintf(d, sizeof(d), "atomic operation 0x%x does not exist", in->imm);
		return vrf_fault_set(f, VRF_R_ATOMIC, idx, k, d);
	}
}

static int check_jmp(const struct bpf_insn *in, int idx, struct vrf_fault *f)
{
	bool jmp32 = BPF_CLASS(in->code) == BPF_JMP32;
	uint8_t op = BPF_OP(in->code);
	char k[96];
	int err;

	switch (op) {
	case BPF_CALL:
		if (BPF_SRC(in->code) != BPF_K ||
		    (in->src_reg != BPF_PSEUDO_KFUNC_CALL && in->off != 0) ||
		    (in->src_reg != 0 && in->src_reg != BPF_PSEUDO_CALL &&
		     in->src_reg != BPF_PSEUDO_KFUNC_CALL) ||
		    in->dst_reg != 0 || jmp32)
			return reserved(f, idx, "BPF_CALL");
		return 0;
	case BPF_JA:
		if (BPF_SRC(in->code) != BPF_K || in->src_reg || in->dst_reg ||
		    (!jmp32 && in->imm) || (jmp32 && in->off))
			return reserved(f, idx, "BPF_JA");
		return 0;
	case BPF_EXIT:
		if (BPF_SRC(in->code) != BPF_K || in->imm || in->src_reg || in->dst_reg || jmp32)
			return reserved(f, idx, "BPF_EXIT");
		return 0;
	case BPF_JCOND:
		if (in->code != (BPF_JMP | BPF_JCOND) || in->src_reg != INSN_MAY_GOTO ||
		    in->dst_reg || in->imm) {
			snprintf(k, sizeof(k), "invalid may_goto imm %d", in->imm);
			return vrf_fault_set(f, VRF_R_MAY_GOTO, idx, k,
			                     "may_goto must have src_reg, dst_reg and imm zero");
		}
		return 0;
	}
	if (op > BPF_JCOND) {
		snprintf(k, sizeof(k), "invalid BPF_JMP/JMP32 opcode %x", op);
		return vrf_fault_set(f, VRF_R_BAD_OPCODE, idx, k, "unknown jump operation");
	}
	err = reg_arg(f, idx, in->dst_reg, false);
	if (err)
		return err;
	if (BPF_SRC(in->code) == BPF_X) {
		if (in->imm)
			return reserved(f, idx, "BPF_JMP/JMP32");
		return reg_arg(f, idx, in->src_reg, false);
	}
	if (in->src_reg)
		return reserved(f, idx, "BPF_JMP/JMP32");
	return 0;
}

/* may_access_skb(): program types whose context is an sk_buff that LD_ABS can read. */
static bool prog_may_access_skb(enum bpf_prog_type t)
{
	return t == BPF_PROG_TYPE_SOCKET_FILTER || t == BPF_PROG_TYPE_SCHED_CLS ||
	       t == BPF_PROG_TYPE_SCHED_ACT;
}

static int check_ld(const struct bpf_insn *in, int idx, const struct insn_env *env,
                    struct vrf_fault *f)
{
	uint8_t mode = BPF_MODE(in->code);

	if (mode == BPF_ABS || mode == BPF_IND) {
		if (!prog_may_access_skb(env->prog_type))
			return vrf_fault_set(
			    f, VRF_R_LD_ABS_PROG_TYPE, idx,
			    "BPF_LD_[ABS|IND] instructions not allowed for this program type",
			    "legacy packet loads (LD_ABS/LD_IND) work only in socket filter "
			    "and tc programs");
		if (in->dst_reg || in->off || BPF_SIZE(in->code) == BPF_DW ||
		    (mode == BPF_ABS && in->src_reg))
			return reserved(f, idx, "BPF_LD_[ABS|IND]");
		/* R6 (the implicit skb) must be a context pointer: a value check, later */
		if (mode == BPF_IND)
			return reg_arg(f, idx, in->src_reg, false);
		return 0;
	}
	if (mode == BPF_IMM) {
		if (BPF_SIZE(in->code) != BPF_DW)
			return vrf_fault_set(f, VRF_R_LDIMM64, idx, "invalid BPF_LD_IMM insn",
			                     "BPF_LD|BPF_IMM exists only as the 64-bit ld_imm64");
		if (in->off)
			return reserved(f, idx, "BPF_LD_IMM64");
		return reg_arg(f, idx, in->dst_reg, true);
	}
	return vrf_fault_set(f, VRF_R_BAD_OPCODE, idx, "invalid BPF_LD mode",
	                     "unknown BPF_LD addressing mode");
}

int insn_check_fields(const struct bpf_insn *in, int idx, const struct insn_env *env,
                      struct vrf_fault *f)
{
	char k[64];

	switch (BPF_CLASS(in->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		return check_alu(in, idx, env, f);
	case BPF_LDX:
		/* reserved fields were checked with the opcode table */
		return reg_arg(f, idx, in->src_reg, false) ?: reg_arg(f, idx, in->dst_reg, true);
	case BPF_STX:
		if (BPF_MODE(in->code) == BPF_ATOMIC)
			return check_atomic(in, idx, f);
		if (BPF_MODE(in->code) != BPF_MEM || in->imm)
			return reserved(f, idx, "BPF_STX");
		return reg_arg(f, idx, in->src_reg, false) ?: reg_arg(f, idx, in->dst_reg, false);
	case BPF_ST:
		if (BPF_MODE(in->code) != BPF_MEM || in->src_reg)
			return reserved(f, idx, "BPF_ST");
		return reg_arg(f, idx, in->dst_reg, false);
	case BPF_JMP:
	case BPF_JMP32:
		return check_jmp(in, idx, f);
	case BPF_LD:
		return check_ld(in, idx, env, f);
	}
	snprintf(k, sizeof(k), "unknown insn class %d", BPF_CLASS(in->code));
	return vrf_fault_set(f, VRF_R_BAD_OPCODE, idx, k, "unknown instruction class");
}

/* ---- printing, in kernel/bpf/disasm.c's syntax ------------------------------------ */

static const char *const alu_str[16] = {
    "+=",  "-=", "*=", "/=", "|=",   "&=",     "<<=", ">>=",
    "neg", "%=", "^=", "=",  "s>>=", "endian", "?",   "?",
};
static const char *const jmp_str[16] = {
    "jmp",  "==",   ">", ">=", "&",  "!=",  "s>",       "s>=",
    "call", "exit", "<", "<=", "s<", "s<=", "may_goto", "?",
};
static const char *const size_str[4] = {"u32", "u16", "u8", "u64"};
static const char *const sx_str[4] = {"s32", "s16", "s8", "s64"};

static const char *atomic_alu(int32_t imm)
{
	switch (imm & ~BPF_FETCH) {
	case BPF_ADD:
		return "add";
	case BPF_AND:
		return "and";
	case BPF_OR:
		return "or";
	case BPF_XOR:
		return "xor";
	}
	return NULL;
}

static int print_alu(const struct bpf_insn *in, char *b, size_t len)
{
	char r = BPF_CLASS(in->code) == BPF_ALU ? 'w' : 'r';
	uint8_t op = BPF_OP(in->code);
	const char *opstr = alu_str[op >> 4], *sx = "";

	if (op == BPF_END) {
		if (BPF_CLASS(in->code) == BPF_ALU64)
			return snprintf(b, len, "r%d = bswap%d r%d", in->dst_reg, in->imm,
			                in->dst_reg);
		return snprintf(b, len, "r%d = %s%d r%d", in->dst_reg,
		                BPF_SRC(in->code) == BPF_TO_BE ? "be" : "le", in->imm, in->dst_reg);
	}
	if (op == BPF_NEG)
		return snprintf(b, len, "%c%d = -%c%d", r, in->dst_reg, r, in->dst_reg);
	if (r == 'r' && op == BPF_MOV && BPF_SRC(in->code) == BPF_X &&
	    in->off == INSN_ADDR_SPACE_CAST)
		return snprintf(b, len, "r%d = addr_space_cast(r%d, %u, %u)", in->dst_reg,
		                in->src_reg, (uint32_t)in->imm >> 16, (uint16_t)in->imm);
	if (in->off == 1 && (op == BPF_DIV || op == BPF_MOD))
		opstr = op == BPF_DIV ? "s/=" : "s%=";
	if (op == BPF_MOV && BPF_SRC(in->code) == BPF_X)
		sx = in->off == 8 ? "(s8)" : in->off == 16 ? "(s16)" : in->off == 32 ? "(s32)" : "";
	if (BPF_SRC(in->code) == BPF_X)
		return snprintf(b, len, "%c%d %s %s%c%d", r, in->dst_reg, opstr, sx, r,
		                in->src_reg);
	return snprintf(b, len, "%c%d %s %d", r, in->dst_reg, opstr, in->imm);
}

static int print_stx(const struct bpf_insn *in, char *b, size_t len)
{
	const char *sz = size_str[BPF_SIZE(in->code) >> 3];
	const char *w = BPF_SIZE(in->code) == BPF_DW ? "64" : "";

	if (BPF_MODE(in->code) == BPF_MEM)
		return snprintf(b, len, "*(%s *)(r%d %+d) = r%d", sz, in->dst_reg, in->off,
		                in->src_reg);
	if (BPF_MODE(in->code) != BPF_ATOMIC)
		return snprintf(b, len, "BUG_%02x", in->code);
	if (atomic_alu(in->imm) && !(in->imm & BPF_FETCH))
		return snprintf(b, len, "lock *(%s *)(r%d %+d) %s r%d", sz, in->dst_reg, in->off,
		                alu_str[(in->imm & 0xf0) >> 4], in->src_reg);
	if (atomic_alu(in->imm))
		return snprintf(b, len, "r%d = atomic%s_fetch_%s((%s *)(r%d %+d), r%d)",
		                in->src_reg, w, atomic_alu(in->imm), sz, in->dst_reg, in->off,
		                in->src_reg);
	if (in->imm == BPF_CMPXCHG)
		return snprintf(b, len, "r0 = atomic%s_cmpxchg((%s *)(r%d %+d), r0, r%d)", w, sz,
		                in->dst_reg, in->off, in->src_reg);
	if (in->imm == BPF_XCHG)
		return snprintf(b, len, "r%d = atomic%s_xchg((%s *)(r%d %+d), r%d)", in->src_reg, w,
		                sz, in->dst_reg, in->off, in->src_reg);
	if (in->imm == INSN_LOAD_ACQ)
		return snprintf(b, len, "r%d = load_acquire((%s *)(r%d %+d))", in->dst_reg, sz,
		                in->src_reg, in->off);
	if (in->imm == INSN_STORE_REL)
		return snprintf(b, len, "store_release((%s *)(r%d %+d), r%d)", sz, in->dst_reg,
		                in->off, in->src_reg);
	return snprintf(b, len, "BUG_%02x", in->code);
}

static int print_ldimm64(const struct bpf_insn *in, const struct bpf_insn *hi, char *b, size_t len)
{
	uint64_t imm = ((uint64_t)(uint32_t)(hi ? hi->imm : 0) << 32) | (uint32_t)in->imm;
	uint32_t off = hi ? (uint32_t)hi->imm : 0;

	switch (in->src_reg) {
	case BPF_PSEUDO_MAP_FD:
		return snprintf(b, len, "r%d = map[fd:%d]", in->dst_reg, in->imm);
	case BPF_PSEUDO_MAP_IDX:
		return snprintf(b, len, "r%d = map[idx:%d]", in->dst_reg, in->imm);
	case BPF_PSEUDO_MAP_VALUE:
		return snprintf(b, len, "r%d = map[fd:%d][0]+%u", in->dst_reg, in->imm, off);
	case BPF_PSEUDO_MAP_IDX_VALUE:
		return snprintf(b, len, "r%d = map[idx:%d][0]+%u", in->dst_reg, in->imm, off);
	case BPF_PSEUDO_BTF_ID:
		return snprintf(b, len, "r%d = btf_id[%d]", in->dst_reg, in->imm);
	case BPF_PSEUDO_FUNC:
		return snprintf(b, len, "r%d = func pc%+d", in->dst_reg, in->imm);
	}
	return snprintf(b, len, "r%d = 0x%llx", in->dst_reg, (unsigned long long)imm);
}

static int print_jmp(const struct bpf_insn *in, char *b, size_t len)
{
	char r = BPF_CLASS(in->code) == BPF_JMP32 ? 'w' : 'r';
	uint8_t op = BPF_OP(in->code);

	if (op == BPF_CALL) {
		if (in->src_reg == BPF_PSEUDO_CALL)
			return snprintf(b, len, "call pc%+d", in->imm);
		if (in->src_reg == BPF_PSEUDO_KFUNC_CALL)
			return snprintf(b, len, "call kernel-function#%d", in->imm);
		return snprintf(b, len, "call #%d", in->imm);
	}
	if (in->code == (BPF_JMP | BPF_JA))
		return snprintf(b, len, "goto pc%+d", in->off);
	if (in->code == (BPF_JMP | BPF_JCOND) && in->src_reg == INSN_MAY_GOTO)
		return snprintf(b, len, "may_goto pc%+d", in->off);
	if (in->code == (BPF_JMP32 | BPF_JA))
		return snprintf(b, len, "gotol pc%+d", in->imm);
	if (in->code == (BPF_JMP | BPF_EXIT))
		return snprintf(b, len, "exit");
	if (BPF_SRC(in->code) == BPF_X)
		return snprintf(b, len, "if %c%d %s %c%d goto pc%+d", r, in->dst_reg,
		                jmp_str[op >> 4], r, in->src_reg, in->off);
	return snprintf(b, len, "if %c%d %s 0x%x goto pc%+d", r, in->dst_reg, jmp_str[op >> 4],
	                (uint32_t)in->imm, in->off);
}

int insn_print(const struct bpf_insn *insns, size_t n, size_t idx, unsigned flags, char *buf,
               size_t len)
{
	const struct bpf_insn *in;
	int pre = 0, body;
	uint8_t cls;

	if (!insns || idx >= n)
		return -EINVAL;
	in = &insns[idx];
	cls = BPF_CLASS(in->code);
	if (flags & INSN_PRINT_CODE) {
		pre = snprintf(buf, len, "(%02x) ", in->code);
		if ((size_t)pre < len) {
			buf += pre;
			len -= pre;
		} else {
			buf += len ? len - 1 : 0;
			len = len ? 1 : 0;
		}
	}
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		body = print_alu(in, buf, len);
		break;
	case BPF_STX:
		body = print_stx(in, buf, len);
		break;
	case BPF_ST:
		if (BPF_MODE(in->code) == BPF_MEM)
			body = snprintf(buf, len, "*(%s *)(r%d %+d) = %d",
			                size_str[BPF_SIZE(in->code) >> 3], in->dst_reg, in->off,
			                in->imm);
		else
			body = snprintf(buf, len, "BUG_st_%02x", in->code);
		break;
	case BPF_LDX:
		if (BPF_MODE(in->code) != BPF_MEM && BPF_MODE(in->code) != BPF_MEMSX)
			body = snprintf(buf, len, "BUG_ldx_%02x", in->code);
		else
			body = snprintf(buf, len, "r%d = *(%s *)(r%d %+d)", in->dst_reg,
			                (BPF_MODE(in->code) == BPF_MEM
			                     ? size_str
			                     : sx_str)[BPF_SIZE(in->code) >> 3],
			                in->src_reg, in->off);
		break;
	case BPF_LD:
		if (BPF_MODE(in->code) == BPF_ABS)
			body = snprintf(buf, len, "r0 = *(%s *)skb[%d]",
			                size_str[BPF_SIZE(in->code) >> 3], in->imm);
		else if (BPF_MODE(in->code) == BPF_IND)
			body = snprintf(buf, len, "r0 = *(%s *)skb[r%d + %d]",
			                size_str[BPF_SIZE(in->code) >> 3], in->src_reg, in->imm);
		else if (insn_is_ldimm64(in))
			body = print_ldimm64(in, idx + 1 < n ? &insns[idx + 1] : NULL, buf, len);
		else
			body = snprintf(buf, len, "BUG_ld_%02x", in->code);
		break;
	default:
		body = print_jmp(in, buf, len);
		break;
	}
	return pre + body;
}
