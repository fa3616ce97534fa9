/*
 * cases.c - the engine's test programs (see cases.h): register state, calls, stack
 * slots and bounds, branches decided by values, loops, limits.  Near-misses that must
 * load sit next to the programs that must not.
 */
#include <stdlib.h>

#include "cases.h"
#include "insn_build.h"

#define PROG(...)                                                                                  \
	.insns = (const struct bpf_insn[]){__VA_ARGS__},                                           \
	.n = sizeof((const struct bpf_insn[]){__VA_ARGS__}) / sizeof(struct bpf_insn)
/* A program the kernel loads / refuses with rule r and message m / a generated one. */
#define OK(nm, ...)                                                                                \
	{                                                                                          \
		.name = nm, .ok = true, PROG(__VA_ARGS__)                                          \
	}
#define BAD(nm, r, m, ...)                                                                         \
	{                                                                                          \
		.name = nm, .rule = r, .kmsg = m, PROG(__VA_ARGS__)                                \
	}
#define GEN(nm, fn, okv, r, m)                                                                     \
	{                                                                                          \
		.name = nm, .build = fn, .ok = okv, .rule = r, .kmsg = m, .report_counts = true    \
	}
#define RAND BPF_FUNC_get_prandom_u32

/* r1 = 0; loop: r1 += 1; if r1 < N goto loop; r0 = 0; exit */
static size_t build_loop(struct bpf_insn **out, int bound)
{
	struct bpf_insn *p = malloc(5 * sizeof(*p));

	if (!p)
		return 0;
	p[0] = (struct bpf_insn)MOV64_IMM(BPF_REG_1, 0);
	p[1] = (struct bpf_insn)ALU64_IMM(BPF_ADD, BPF_REG_1, 1);
	p[2] = (struct bpf_insn)JMP_IMM(BPF_JLT, BPF_REG_1, bound, -2);
	p[3] = (struct bpf_insn)MOV64_IMM(BPF_REG_0, 0);
	p[4] = (struct bpf_insn)EXIT();
	*out = p;
	return 5;
}

static size_t build_loop_100(struct bpf_insn **out)
{
	return build_loop(out, 100);
}

static size_t build_loop_5000(struct bpf_insn **out)
{
	return build_loop(out, 5000);
}

static size_t build_loop_1m(struct bpf_insn **out)
{
	return build_loop(out, 1000000);
}

/* r0 = rand(); then k times "if r0 == i goto +0": every branch is queued. */
static size_t build_jumps(struct bpf_insn **out, int k)
{
	struct bpf_insn *p = malloc((size_t)(k + 4) * sizeof(*p));
	int i;

	if (!p)
		return 0;
	p[0] = (struct bpf_insn)CALL(RAND);
	p[1] = (struct bpf_insn)MOV64_REG(BPF_REG_1, BPF_REG_0);
	for (i = 0; i < k; i++)
		p[2 + i] = (struct bpf_insn)JMP_IMM(BPF_JEQ, BPF_REG_1, i, 0);
	p[2 + k] = (struct bpf_insn)MOV64_IMM(BPF_REG_0, 0);
	p[3 + k] = (struct bpf_insn)EXIT();
	*out = p;
	return (size_t)k + 4;
}

static size_t build_jumps_8193(struct bpf_insn **out)
{
	return build_jumps(out, 8193);
}

static size_t build_jumps_8000(struct bpf_insn **out)
{
	return build_jumps(out, 8000);
}

/* A diamond chain: k times "r0 = rand(); if r0 > 5 goto +1; r6 += 1": 2^k paths unless
 * pruning merges them. */
static size_t build_diamonds(struct bpf_insn **out)
{
	const int k = 20;
	struct bpf_insn *p = malloc((size_t)(4 * k + 4) * sizeof(*p));
	int i, j = 0;

	if (!p)
		return 0;
	p[j++] = (struct bpf_insn)MOV64_IMM(BPF_REG_6, 0);
	for (i = 0; i < k; i++) {
		p[j++] = (struct bpf_insn)CALL(RAND);
		p[j++] = (struct bpf_insn)JMP_IMM(BPF_JGT, BPF_REG_0, 5, 1);
		p[j++] = (struct bpf_insn)ALU64_IMM(BPF_ADD, BPF_REG_6, 1);
		p[j++] = (struct bpf_insn)MOV64_IMM(BPF_REG_1, 0);
	}
	p[j++] = (struct bpf_insn)MOV64_IMM(BPF_REG_0, 0);
	p[j++] = (struct bpf_insn)EXIT();
	*out = p;
	return (size_t)j;
}

const struct engine_case engine_cases[] = {
    /* registers */
    OK("r0_set_exit", MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("r0_uninit_exit", VRF_R_UNINIT_REG, "R0 !read_ok", EXIT()),
    BAD("read_uninit_src", VRF_R_UNINIT_REG, "R2 !read_ok", MOV64_REG(BPF_REG_0, BPF_REG_2),
        EXIT()),
    BAD("alu_uninit_dst", VRF_R_UNINIT_REG, "R3 !read_ok", ALU64_IMM(BPF_ADD, BPF_REG_3, 1),
        MOV64_IMM(BPF_REG_0, 0), EXIT()),
    OK("mov_to_uninit_ok", MOV64_IMM(BPF_REG_3, 1), MOV64_REG(BPF_REG_0, BPF_REG_3), EXIT()),
    BAD("jmp_uninit_both", VRF_R_UNINIT_REG, "R3 !read_ok",
        JMP_REG(BPF_JGT, BPF_REG_3, BPF_REG_4, 0), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("jmp_uninit_src", VRF_R_UNINIT_REG, "R4 !read_ok", MOV64_IMM(BPF_REG_3, 0),
        JMP_REG(BPF_JGT, BPF_REG_3, BPF_REG_4, 0), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    OK("div_by_zero_reg_ok", MOV64_IMM(BPF_REG_1, 0), MOV64_IMM(BPF_REG_0, 5),
       ALU64_REG(BPF_DIV, BPF_REG_0, BPF_REG_1), ALU64_REG(BPF_MOD, BPF_REG_0, BPF_REG_1), EXIT()),
    /* calls */
    OK("call_sets_r0", CALL(RAND), EXIT()),
    BAD("call_clobbers_r1", VRF_R_UNINIT_REG, "R1 !read_ok", MOV64_IMM(BPF_REG_1, 1), CALL(RAND),
        MOV64_REG(BPF_REG_0, BPF_REG_1), EXIT()),
    BAD("call_clobbers_r5", VRF_R_UNINIT_REG, "R5 !read_ok", MOV64_IMM(BPF_REG_5, 1), CALL(RAND),
        MOV64_REG(BPF_REG_0, BPF_REG_5), EXIT()),
    OK("call_keeps_r6_r9", MOV64_IMM(BPF_REG_6, 1), MOV64_IMM(BPF_REG_9, 2), CALL(RAND),
       MOV64_REG(BPF_REG_0, BPF_REG_6), ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_9), EXIT()),
    OK("subprog_arg_and_ret", MOV64_IMM(BPF_REG_1, 7), CALL_PSEUDO(1), EXIT(),
       MOV64_REG(BPF_REG_0, BPF_REG_1), EXIT()),
    BAD("subprog_no_caller_r6", VRF_R_UNINIT_REG, "R6 !read_ok", MOV64_IMM(BPF_REG_6, 7),
        CALL_PSEUDO(1), EXIT(), MOV64_REG(BPF_REG_0, BPF_REG_6), EXIT()),
    BAD("subprog_r0_uninit", VRF_R_UNINIT_REG, "R0 !read_ok", CALL_PSEUDO(1), EXIT(),
        MOV64_IMM(BPF_REG_1, 0), EXIT()),
    BAD("subprog_clobbers_r2", VRF_R_UNINIT_REG, "R2 !read_ok", MOV64_IMM(BPF_REG_2, 7),
        CALL_PSEUDO(2), MOV64_REG(BPF_REG_0, BPF_REG_2), EXIT(), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    /* stack bounds and alignment */
    BAD("stack_write_below", VRF_R_STACK_BOUNDS, "invalid write to stack R10 off=-520 size=8",
        ST_MEM(BPF_DW, BPF_REG_10, -520, 0), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("stack_write_above", VRF_R_STACK_BOUNDS, "invalid write to stack R10 off=0 size=8",
        STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, 0), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    OK("stack_write_lowest_ok", ST_MEM(BPF_DW, BPF_REG_10, -512, 0), MOV64_IMM(BPF_REG_0, 0),
       EXIT()),
    BAD("stack_read_below", VRF_R_STACK_BOUNDS, "invalid read from stack R10 off=-520 size=8",
        LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_10, -520), EXIT()),
    OK("stack_read_uninit_priv_ok", LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_10, -8), EXIT()),
    BAD("stack_misaligned", VRF_R_STACK_MISALIGNED, "misaligned stack access off 0+0+-4 size 8",
        ST_MEM(BPF_DW, BPF_REG_10, -4, 0), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    OK("stack_aligned_u32_ok", ST_MEM(BPF_W, BPF_REG_10, -4, 0), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("stack_derived_ptr_oob", VRF_R_STACK_BOUNDS, "invalid write to stack R2 off=-520 size=8",
        MOV64_REG(BPF_REG_2, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_2, -504),
        ST_MEM(BPF_DW, BPF_REG_2, -16, 0), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    /* spill and fill */
    BAD("spill_fill_stack_ptr_oob", VRF_R_STACK_BOUNDS, "invalid write to stack R2 off=-520 size=8",
        MOV64_REG(BPF_REG_1, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_1, -16),
        STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -8), LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_10, -8),
        ST_MEM(BPF_DW, BPF_REG_2, -504, 0), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    OK("spill_fill_stack_ptr_ok", MOV64_REG(BPF_REG_1, BPF_REG_10),
       ALU64_IMM(BPF_ADD, BPF_REG_1, -16), STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -8),
       LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_10, -8), ST_MEM(BPF_DW, BPF_REG_2, -496, 0),
       MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("spill_fill_scalar_const", VRF_R_STACK_BOUNDS, "invalid write to stack R3 off=-520 size=8",
        MOV64_IMM(BPF_REG_1, -8), STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -8),
        LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_10, -8), MOV64_REG(BPF_REG_3, BPF_REG_10),
        ALU64_REG(BPF_ADD, BPF_REG_3, BPF_REG_2), ST_MEM(BPF_DW, BPF_REG_3, -512, 0),
        MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("sub_reg_from_fp", VRF_R_PTR_ARITH, "R3 subtraction from stack pointer prohibited",
        MOV64_IMM(BPF_REG_1, 8), MOV64_REG(BPF_REG_3, BPF_REG_10),
        ALU64_REG(BPF_SUB, BPF_REG_3, BPF_REG_1), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("sub_imm_from_fp", VRF_R_PTR_ARITH, "R3 subtraction from stack pointer prohibited",
        MOV64_REG(BPF_REG_3, BPF_REG_10), ALU64_IMM(BPF_SUB, BPF_REG_3, 8),
        ST_MEM(BPF_DW, BPF_REG_3, 0, 0), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    OK("add_neg_imm_to_fp", MOV64_REG(BPF_REG_3, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_3, -8),
       ST_MEM(BPF_DW, BPF_REG_3, 0, 0), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("fill_ptr_partial", VRF_R_SPILL_SIZE, "invalid size of register fill",
        STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -8), LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_10, -8),
        EXIT()),
    BAD("spill_ptr_partial", VRF_R_SPILL_SIZE, "invalid size of register spill",
        STX_MEM(BPF_W, BPF_REG_10, BPF_REG_1, -8), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("spill_uninit_reg", VRF_R_UNINIT_REG, "R2 !read_ok",
        STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_2, -8), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    OK("stack_zero_decides_branch", ST_MEM(BPF_DW, BPF_REG_10, -8, 0),
       LDX_MEM(BPF_B, BPF_REG_1, BPF_REG_10, -5), JMP_IMM(BPF_JNE, BPF_REG_1, 0, 2),
       MOV64_IMM(BPF_REG_0, 0), EXIT(), EXIT()),
    OK("stack_zero_reg_decides_branch", MOV64_IMM(BPF_REG_2, 0),
       STX_MEM(BPF_W, BPF_REG_10, BPF_REG_2, -4), LDX_MEM(BPF_H, BPF_REG_1, BPF_REG_10, -2),
       JMP_IMM(BPF_JNE, BPF_REG_1, 0, 2), MOV64_IMM(BPF_REG_0, 0), EXIT(), EXIT()),
    OK("stack_misc_both_branches", CALL(RAND), STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_0, -8),
       LDX_MEM(BPF_B, BPF_REG_1, BPF_REG_10, -5), JMP_IMM(BPF_JNE, BPF_REG_1, 0, 2),
       MOV64_IMM(BPF_REG_0, 0), EXIT(), EXIT()),
    BAD("stack_misc_partial_write", VRF_R_UNINIT_REG, "R7 !read_ok", CALL(RAND),
        STX_MEM(BPF_W, BPF_REG_10, BPF_REG_0, -4), LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_10, -8),
        JMP_IMM(BPF_JNE, BPF_REG_1, 0, 2), MOV64_IMM(BPF_REG_0, 0), EXIT(),
        MOV64_REG(BPF_REG_0, BPF_REG_7), EXIT()),
    OK("spill_partial_scalar_fill", MOV64_IMM(BPF_REG_1, 3),
       STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -8), LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_10, -8),
       JMP_IMM(BPF_JEQ, BPF_REG_2, 3, 1), MOV64_REG(BPF_REG_0, BPF_REG_7), MOV64_IMM(BPF_REG_0, 0),
       EXIT()),
    OK("atomic_fetch_result_zero_extended", CALL(RAND), STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_0, -8),
       MOV64_IMM(BPF_REG_4, 7),
       I_RAW(BPF_STX | BPF_ATOMIC | BPF_W, BPF_REG_10, BPF_REG_4, -8, BPF_CMPXCHG),
       JMP_IMM(BPF_JSLT, BPF_REG_0, 0, 1), JA(1), MOV64_REG(BPF_REG_0, BPF_REG_9),
       MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("atomic_fetch64_result_unknown", VRF_R_UNINIT_REG, "R9 !read_ok", CALL(RAND),
        STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_0, -8), CALL(RAND), MOV64_IMM(BPF_REG_4, 7),
        I_RAW(BPF_STX | BPF_ATOMIC | BPF_DW, BPF_REG_10, BPF_REG_4, -8, BPF_ADD | BPF_FETCH),
        JMP_IMM(BPF_JSLT, BPF_REG_4, 0, 1), JA(1), MOV64_REG(BPF_REG_0, BPF_REG_9),
        MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("fill_ptr_upper_half", VRF_R_SPILL_SIZE, "invalid size of register fill",
        STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -8), LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_10, -4),
        EXIT()),
    OK("scalar_spill_partly_overwritten", CALL(RAND), STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_0, -8),
       ST_MEM(BPF_W, BPF_REG_10, -4, 0), LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_10, -8), EXIT()),
    OK("neg_fp_privileged", MOV64_REG(BPF_REG_2, BPF_REG_10), ALU64_IMM(BPF_NEG, BPF_REG_2, 0),
       MOV64_IMM(BPF_REG_0, 0), EXIT()),
    OK("mov32_of_pointer", I_RAW(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0),
       ALU64_IMM(BPF_MUL, BPF_REG_2, 3), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    /* branches decided by values */
    OK("dead_branch_not_explored", MOV64_IMM(BPF_REG_1, 5), JMP_IMM(BPF_JGT, BPF_REG_1, 3, 1),
       MOV64_REG(BPF_REG_0, BPF_REG_9), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("live_branch_explored", VRF_R_UNINIT_REG, "R9 !read_ok", CALL(RAND),
        JMP_IMM(BPF_JGT, BPF_REG_0, 3, 1), MOV64_REG(BPF_REG_0, BPF_REG_9), MOV64_IMM(BPF_REG_0, 0),
        EXIT()),
    OK("refined_range_decides", CALL(RAND), JMP_IMM(BPF_JGT, BPF_REG_0, 7, 3),
       JMP_IMM(BPF_JGT, BPF_REG_0, 10, 1), JA(1), MOV64_REG(BPF_REG_0, BPF_REG_9),
       MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("jmp32_then_jmp64_unknown_upper", VRF_R_UNINIT_REG, "R9 !read_ok", CALL(RAND),
        JMP32_IMM(BPF_JGT, BPF_REG_0, 7, 3), JMP_IMM(BPF_JGT, BPF_REG_0, 7, 1), JA(1),
        MOV64_REG(BPF_REG_0, BPF_REG_9), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    OK("jmp32_refined", CALL(RAND), JMP32_IMM(BPF_JGT, BPF_REG_0, 7, 3),
       JMP32_IMM(BPF_JGT, BPF_REG_0, 7, 1), JA(1), MOV64_REG(BPF_REG_0, BPF_REG_9),
       MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("jeq_same_register_not_decided", VRF_R_UNINIT_REG, "R9 !read_ok", CALL(RAND),
        JMP_REG(BPF_JEQ, BPF_REG_0, BPF_REG_0, 1), MOV64_REG(BPF_REG_0, BPF_REG_9),
        MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("fp_bitwise", VRF_R_PTR_ARITH, "R1 bitwise operator ^= on pointer prohibited",
        MOV64_REG(BPF_REG_1, BPF_REG_10), ALU64_IMM(BPF_XOR, BPF_REG_1, 3), MOV64_IMM(BPF_REG_0, 0),
        EXIT()),
    BAD("ctx_times_ctx", VRF_R_PTR_ARITH, "R7 pointer *= pointer prohibited",
        MOV64_REG(BPF_REG_7, BPF_REG_1), ALU64_REG(BPF_MUL, BPF_REG_7, BPF_REG_1),
        MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("fp_alu32", VRF_R_PTR_ARITH, "R2 32-bit pointer arithmetic prohibited",
        MOV64_REG(BPF_REG_2, BPF_REG_10), ALU32_IMM(BPF_ADD, BPF_REG_2, 8), MOV64_IMM(BPF_REG_0, 0),
        EXIT()),
    BAD("fp_plus_unbounded", VRF_R_PTR_OFFSET,
        "math between fp pointer and register with unbounded min value is not allowed", CALL(RAND),
        MOV64_REG(BPF_REG_2, BPF_REG_10), ALU64_REG(BPF_ADD, BPF_REG_2, BPF_REG_0),
        MOV64_IMM(BPF_REG_0, 0), EXIT()),
    OK("ptr_minus_ptr_ok", MOV64_REG(BPF_REG_2, BPF_REG_10),
       ALU64_REG(BPF_SUB, BPF_REG_2, BPF_REG_1), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    OK("fp_alu32_sub_ok", MOV64_REG(BPF_REG_2, BPF_REG_10), ALU32_IMM(BPF_SUB, BPF_REG_2, 8),
       MOV64_IMM(BPF_REG_0, 0), EXIT()),
    /* linked scalars: a copy narrowed by a branch narrows the original */
    OK("linked_scalar_copy", CALL(RAND), MOV64_REG(BPF_REG_1, BPF_REG_0),
       JMP_IMM(BPF_JGT, BPF_REG_1, 10, 3), JMP_IMM(BPF_JGT, BPF_REG_0, 10, 1), JA(1),
       MOV64_REG(BPF_REG_0, BPF_REG_9), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    OK("linked_scalar_plus_const", CALL(RAND), ALU64_IMM(BPF_AND, BPF_REG_0, 0xff),
       MOV64_REG(BPF_REG_1, BPF_REG_0), ALU64_IMM(BPF_ADD, BPF_REG_1, 5),
       JMP_IMM(BPF_JGT, BPF_REG_1, 10, 3), JMP_IMM(BPF_JGT, BPF_REG_0, 5, 1), JA(1),
       MOV64_REG(BPF_REG_0, BPF_REG_9), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    OK("linked_scalar_plus_const32", CALL(RAND), ALU64_IMM(BPF_AND, BPF_REG_0, 0xffff),
       I_RAW(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_0, 0, 0),
       ALU32_IMM(BPF_ADD, BPF_REG_1, -257), JMP32_IMM(BPF_JLT, BPF_REG_1, -254, 3),
       JMP_IMM(BPF_JGT, BPF_REG_0, 256, 1), JA(1), MOV64_REG(BPF_REG_0, BPF_REG_9),
       MOV64_IMM(BPF_REG_0, 0), EXIT()),
    OK("linked_scalar_minus_const", CALL(RAND), ALU64_IMM(BPF_AND, BPF_REG_0, 0xff),
       MOV64_REG(BPF_REG_1, BPF_REG_0), ALU64_IMM(BPF_SUB, BPF_REG_1, 5),
       JMP_IMM(BPF_JGT, BPF_REG_1, 10, 3), JMP_IMM(BPF_JGT, BPF_REG_0, 15, 1), JA(1),
       MOV64_REG(BPF_REG_0, BPF_REG_9), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("linked_scalar_plus_const_near_miss", VRF_R_UNINIT_REG, "R9 !read_ok", CALL(RAND),
        ALU64_IMM(BPF_AND, BPF_REG_0, 0xff), MOV64_REG(BPF_REG_1, BPF_REG_0),
        ALU64_IMM(BPF_ADD, BPF_REG_1, 5), JMP_IMM(BPF_JGT, BPF_REG_1, 10, 3),
        JMP_IMM(BPF_JGT, BPF_REG_0, 4, 1), JA(1), MOV64_REG(BPF_REG_0, BPF_REG_9),
        MOV64_IMM(BPF_REG_0, 0), EXIT()),
    OK("linked_through_spill", CALL(RAND), ALU64_IMM(BPF_AND, BPF_REG_0, 0xff),
       STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_0, -8), JMP_IMM(BPF_JGT, BPF_REG_0, 10, 4),
       LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_10, -8), JMP_IMM(BPF_JGT, BPF_REG_2, 10, 1), JA(1),
       MOV64_REG(BPF_REG_0, BPF_REG_9), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    /* a bad field is met in path order, after value errors, never in dead code */
    BAD("value_error_before_bad_field", VRF_R_UNINIT_REG, "R2 !read_ok",
        MOV64_REG(BPF_REG_0, BPF_REG_2), ALU64_IMM(BPF_DIV, BPF_REG_0, 0), EXIT()),
    OK("bad_field_in_dead_branch", MOV64_IMM(BPF_REG_1, 5), JMP_IMM(BPF_JGT, BPF_REG_1, 3, 1),
       ALU64_IMM(BPF_DIV, BPF_REG_0, 0), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("bad_field_on_live_branch", VRF_R_DIV_ZERO, "div by zero", CALL(RAND),
        JMP_IMM(BPF_JGT, BPF_REG_0, 3, 1), ALU64_IMM(BPF_DIV, BPF_REG_0, 0),
        MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("uninit_read_before_bad_shift", VRF_R_UNINIT_REG, "R2 !read_ok",
        ALU32_IMM(BPF_LSH, BPF_REG_2, 70), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    /* bpf-to-bpf calls: frames, stack pointers into the caller's frame */
    OK("subprog_keeps_caller_r6", MOV64_IMM(BPF_REG_6, 5), CALL_PSEUDO(2),
       MOV64_REG(BPF_REG_0, BPF_REG_6), EXIT(), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    OK("subprog_writes_caller_stack", MOV64_REG(BPF_REG_1, BPF_REG_10),
       ALU64_IMM(BPF_ADD, BPF_REG_1, -8), CALL_PSEUDO(2),
       LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_10, -8), EXIT(), ST_MEM(BPF_DW, BPF_REG_1, 0, 0),
       MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("subprog_caller_stack_oob", VRF_R_STACK_BOUNDS, "invalid write to stack R1 off=-520 size=8",
        MOV64_REG(BPF_REG_1, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_1, -8), CALL_PSEUDO(2),
        MOV64_IMM(BPF_REG_0, 0), EXIT(), ST_MEM(BPF_DW, BPF_REG_1, -512, 0),
        MOV64_IMM(BPF_REG_0, 0), EXIT()),
    OK("ldimm64_const_decides", I_RAW(BPF_LD | BPF_IMM | BPF_DW, BPF_REG_1, 0, 0, 0),
       I_RAW(0, 0, 0, 0, 1), JMP_IMM(BPF_JEQ, BPF_REG_1, 0, 1), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    OK("subprog_returns_uninit_r0_unused", CALL_PSEUDO(2), MOV64_IMM(BPF_REG_0, 0), EXIT(),
       MOV64_IMM(BPF_REG_1, 0), EXIT()),
    BAD("subprog_spills_stack_ptr_to_caller", VRF_R_STACK_PTR_TO_CALLER,
        "cannot spill pointers to stack into stack frame of the caller",
        MOV64_REG(BPF_REG_1, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_1, -8), CALL_PSEUDO(2),
        MOV64_IMM(BPF_REG_0, 0), EXIT(), STX_MEM(BPF_DW, BPF_REG_1, BPF_REG_10, 0),
        MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("deref_scalar", VRF_R_INVALID_MEM, "R2 invalid mem access 'scalar'",
        MOV64_IMM(BPF_REG_2, 64), LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_2, 0), EXIT()),
    BAD("deref_helper_number", VRF_R_INVALID_MEM, "R0 invalid mem access 'scalar'", CALL(RAND),
        ST_MEM(BPF_W, BPF_REG_0, 0, 1), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    BAD("deref_stack_misc_word", VRF_R_INVALID_MEM, "R3 invalid mem access 'scalar'",
        ST_MEM(BPF_W, BPF_REG_10, -8, 5), ST_MEM(BPF_W, BPF_REG_10, -4, 5),
        LDX_MEM(BPF_DW, BPF_REG_3, BPF_REG_10, -8), LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_3, 0),
        EXIT()),
    /* loops and limits */
    OK("may_goto_loop", MOV64_IMM(BPF_REG_0, 0), MAY_GOTO(2), ALU64_IMM(BPF_ADD, BPF_REG_0, 1),
       JA(-3), EXIT()),
    OK("loop_jmp32_counter", MOV32_IMM(BPF_REG_1, 0), ALU32_IMM(BPF_ADD, BPF_REG_1, 1),
       JMP32_IMM(BPF_JLT, BPF_REG_1, 50, -2), MOV64_IMM(BPF_REG_0, 0), EXIT()),
    GEN("loop_100", build_loop_100, true, 0, NULL),
    GEN("loop_5000", build_loop_5000, true, 0, NULL),
    GEN("loop_1m_too_large", build_loop_1m, false, VRF_R_TOO_COMPLEX,
        "BPF program is too large. Processed 1000001 insn"),
    BAD("infinite_loop", VRF_R_INFINITE_LOOP, "infinite loop detected at insn 1",
        MOV64_IMM(BPF_REG_0, 0), JMP_IMM(BPF_JEQ, BPF_REG_0, 0, -2), EXIT()),
    GEN("jumps_8193", build_jumps_8193, false, VRF_R_JMP_SEQ,
        "The sequence of 8193 jumps is too complex."),
    GEN("jumps_8000_too_large", build_jumps_8000, false, VRF_R_TOO_COMPLEX,
        "BPF program is too large. Processed 1000001 insn"),
    GEN("diamonds_20", build_diamonds, true, 0, NULL),
};

const size_t engine_ncases = sizeof(engine_cases) / sizeof(engine_cases[0]);

struct bpf_insn *engine_case_insns(const struct engine_case *c, size_t *n)
{
	struct bpf_insn *p = NULL;

	if (!c->build) {
		*n = c->n;
		return (struct bpf_insn *)c->insns;
	}
	*n = c->build(&p);
	return p;
}

void engine_case_free(const struct engine_case *c, struct bpf_insn *insns)
{
	if (c->build)
		free(insns);
}
