/*
 * scalar.h - the verifier's value domain for scalar registers: a tnum plus signed and
 * unsigned bounds on the full 64-bit value and on its low 32 bits (the subregister).
 *
 * Models the scalar half of kernel/bpf/verifier.c in Linux 6.18: the struct mirrors the
 * bound fields of struct bpf_reg_state, scalar_sync() is reg_bounds_sync(), scalar_alu()
 * is adjust_scalar_min_max_vals(), scalar_branch() is is_scalar_branch_taken() and
 * scalar_refine() is regs_refine_cond_op() followed by reg_bounds_sync().  Where the
 * kernel is imprecise (division and modulo forget everything, shifts by a non-constant
 * amount forget everything, multiplication of ranges that may overflow, ...) these
 * functions are imprecise in the same way, so that they predict the kernel's verdict.
 * "Linux 6.18" means the kernel as 6.18.44 runs it, which also carries later bound
 * changes (BPF_NEG and BPF_END tracked, the tnum_step single-value check, s32 ranges
 * that wrap, the [-1, 0] fork before AND/OR) but not the same-register jump special case;
 * testsuite/unit/verifier_domain compares every state with that kernel's own log.
 *
 * Opcodes are the BPF_* constants of <linux/bpf.h> (BPF_OP(code) values: BPF_ADD, BPF_JGT,
 * ...).  Pure value functions: no allocation, no global state.  A `src`/`b` argument may
 * be the same object as `dst`/`a`: that stands for the same register used twice
 * (r1 += r1, if r1 > r1), as in the kernel.
 */
#ifndef BPFCC_VERIFIER_SCALAR_H
#define BPFCC_VERIFIER_SCALAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verifier/tnum.h"

struct scalar {
	struct tnum var_off;
	int64_t smin, smax;
	uint64_t umin, umax;
	int32_t s32_min, s32_max;
	uint32_t u32_min, u32_max;
};

/* Branch outcome of scalar_branch(). */
enum scalar_branch_outcome {
	SCALAR_BRANCH_UNKNOWN = -1,
	SCALAR_BRANCH_NOT_TAKEN = 0,
	SCALAR_BRANCH_TAKEN = 1,
};

/* The register holding exactly v, 64- and 32-bit views (__mark_reg_known). */
struct scalar scalar_const(uint64_t v);
/* A register about which nothing is known (__mark_reg_unknown). */
struct scalar scalar_unknown(void);
/* Forgets all bounds of s, keeps its tnum (__mark_reg_unbounded). */
void scalar_unbound(struct scalar *s);

/* true if the concrete 64-bit value x satisfies every bound and the tnum of s. */
bool scalar_contains(const struct scalar *s, uint64_t x);
/* The kernel's reg_bounds_sanity_check(): ordered bounds, constant tnums matching. */
bool scalar_is_valid(const struct scalar *s);

/* Makes bounds and tnum agree with each other (reg_bounds_sync). */
void scalar_sync(struct scalar *s);
/* Zero-extends the low 32 bits into the register (zext_32_to_64); no sync. */
void scalar_zext(struct scalar *s);

/*
 * dst = dst <op> src for op in BPF_ADD SUB MUL DIV MOD OR AND LSH RSH NEG XOR ARSH on
 * 32 (alu32) or 64 bits, with the kernel's bounds (adjust_scalar_min_max_vals); dst is
 * synced afterwards.  BPF_NEG ignores src.  BPF_DIV, BPF_MOD (signed or not) and shifts
 * by a non-constant or out-of-range amount make dst unknown, as in the kernel.
 * A BPF_K operand is passed as scalar_const((uint64_t)(int64_t)imm).
 * A result that fails scalar_is_valid() gets its ranges forgotten (tnum kept), as the
 * kernel's reg_bounds_sanity_check() does after logging a verifier bug.
 * Returns 0, or -EINVAL for an opcode that is not an ALU operation (dst untouched).
 */
int scalar_alu(struct scalar *dst, const struct scalar *src, uint8_t bpf_op, bool alu32);
/*
 * maybe_fork_scalars: before dst &= src or dst |= src (bpf_op BPF_AND or BPF_OR) with a src
 * whose 64-bit tnum is constant, the kernel splits a dst whose signed range is exactly
 * [-1, 0] (the 64-bit range first, else the subregister's, whatever the instruction class):
 * the current path goes on with dst -1 and a pushed state re-runs the same instruction with
 * dst 0.  Returns true in that case, with *dst the -1 state and *zero the 0 state (the
 * 32-bit case sets only the subregister, as __mark_reg32_known); false leaves both alone.
 * The caller then applies scalar_alu() to *dst (and the pushed state to *zero later).
 */
bool scalar_fork_bitop(struct scalar *dst, struct scalar *zero, const struct scalar *src,
                       uint8_t bpf_op);
/*
 * s = byte swap / endianness conversion of s (BPF_END): alu64 is the class-ALU64 bswap,
 * otherwise to_be selects BPF_TO_BE (a swap on this little-endian model) over BPF_TO_LE
 * (a truncation); imm is 16, 32 or 64.  A swap forgets the ranges and keeps the swapped
 * tnum; 16/32 then zero-extend (coerce_reg_to_size).  Returns 0, or -EINVAL for a bad imm.
 */
int scalar_end(struct scalar *s, bool alu64, bool to_be, int32_t imm);
/*
 * What the kernel refuses before looking at values for an ALU instruction with an immediate
 * operand: division or modulo by 0 ("div by zero"), shift by an immediate outside
 * [0, 31] / [0, 63] ("invalid shift").  Returns 0 or -EINVAL.
 */
int scalar_check_alu_imm(uint8_t bpf_op, bool alu32, int32_t imm);

/*
 * dst = src (BPF_MOV | BPF_X), or the sign-extending movsx when sx_bits is 8, 16 or 32
 * (insn->off); alu32 moves zero-extend.  Returns 0, or -EINVAL for a bad sx_bits
 * (not 0, 8, 16, or 32 on alu32).
 */
int scalar_mov(struct scalar *dst, const struct scalar *src, bool alu32, uint8_t sx_bits);
/* The register after a zero-extending load of `size` bytes (coerce_reg_to_size). */
void scalar_coerce(struct scalar *s, int size);
/* The register after a sign-extending load of size 1, 2 or 4 (coerce_reg_to_size_sx). */
void scalar_coerce_sx(struct scalar *s, int size);

/*
 * Whether "if a <jmp_op> b" is always taken, never taken or unknown for every pair of
 * values the states allow (is_scalar_branch_taken), comparing the low 32 bits if is32.
 * a == b (the same register) is judged from its ranges like any pair, as the kernel does.
 * jmp_op: BPF_JEQ JNE JSET JGT JGE JLT JLE JSGT JSGE JSLT JSLE.
 */
enum scalar_branch_outcome scalar_branch(const struct scalar *a, const struct scalar *b,
                                         uint8_t jmp_op, bool is32);
/*
 * Narrows a and b to the values for which "a <jmp_op> b" is `taken` (regs_refine_cond_op on
 * the jump or the fall-through branch, then reg_bounds_sync on both).  The kernel only
 * does this when scalar_branch() answered unknown.  a == b is the same register on both
 * sides: the running 6.18 kernel refines it through both aliases (no special case), and
 * so does this.  Returns 0; -ERANGE if a result failed scalar_is_valid() (a branch that cannot
 * happen: the kernel logs "REG INVARIANTS VIOLATION" as a verifier bug, forgets that
 * register's ranges keeping its tnum, and goes on; scalar_refine has already done the
 * forgetting, so the caller may carry on as the kernel does); -EINVAL for an unknown jmp_op.
 */
int scalar_refine(struct scalar *a, struct scalar *b, uint8_t jmp_op, bool is32, bool taken);

/* Writes every field of s ("smin=... umax=... var_off=(...)") into str (snprintf semantics). */
int scalar_strn(char *str, size_t size, const struct scalar *s);
/*
 * Writes s as the kernel's verifier log prints a scalar register (print_reg_state and
 * print_scalar_ranges, kernel/bpf/log.c): the constant alone when the tnum is constant,
 * else "scalar(" the non-default bounds, equal ones chained ("smin=smin32=-8"), numbers
 * in decimal when they fit 16 bits (signed or unsigned) and in hex otherwise, then
 * "var_off=(v; m)" unless the tnum is unknown, and ")".  No id and no precision mark:
 * those are not part of the value.  snprintf semantics.
 */
int scalar_log_strn(char *str, size_t size, const struct scalar *s);

#endif /* BPFCC_VERIFIER_SCALAR_H */
