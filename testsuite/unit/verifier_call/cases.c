/*
 * cases.c - the branch and call test programs (see cases.h).  Each rule has a program the
 * kernel loads only if the rule is modelled and a near-miss it refuses.  "bad" code is a
 * read of the never-written r9 ("R9 !read_ok"): reached only if a branch is not pruned.
 */
#include "cases.h"
#include "../verifier_engine/insn_build.h"

#define PROG(...)                                                                                  \
	.insns = (const struct bpf_insn[]){__VA_ARGS__},                                           \
	.n = sizeof((const struct bpf_insn[]){__VA_ARGS__}) / sizeof(struct bpf_insn)
#define OK(nm, ...)                                                                                \
	{                                                                                          \
		.name = nm, .ok = true, PROG(__VA_ARGS__)                                          \
	}
#define BAD(nm, r, m, ...)                                                                         \
	{                                                                                          \
		.name = nm, .rule = r, .kmsg = m, PROG(__VA_ARGS__)                                \
	}
#define RAND BPF_FUNC_get_prandom_u32
/* refused for reading r9 */
#define BAD9(nm, ...) BAD(nm, VRF_R_UNINIT_REG, "R9 !read_ok", __VA_ARGS__)
/* r6 = a random 32-bit number */
#define R6_RAND CALL(RAND), MOV64_REG(BPF_REG_6, BPF_REG_0)
/* r0 = r9 (never written); exit */
#define USE_R9 MOV64_REG(BPF_REG_0, BPF_REG_9), EXIT()
#define RET0   MOV64_IMM(BPF_REG_0, 0), EXIT()

const struct call_case call_cases[] = {
    /* "if r6 > r6": the taken side narrows r6 through both aliases to [1, max - 1] */
    OK("self_cmp_refines", R6_RAND, JMP_REG(BPF_JGT, BPF_REG_6, BPF_REG_6, 2), RET0,
       JMP_IMM(BPF_JEQ, BPF_REG_6, 0, 2), RET0, USE_R9),
    BAD9("self_cmp_keeps_one", R6_RAND, JMP_REG(BPF_JGT, BPF_REG_6, BPF_REG_6, 2), RET0,
         JMP_IMM(BPF_JEQ, BPF_REG_6, 1, 2), RET0, USE_R9),
    /* "if r6 >= r6" falls through only for r6 < r6: [1, max - 1] again */
    OK("self_cmp_fallthrough", R6_RAND, JMP_REG(BPF_JGE, BPF_REG_6, BPF_REG_6, 3),
       JMP_IMM(BPF_JEQ, BPF_REG_6, 0, 4), RET0, RET0, USE_R9),
    /* r6 in [-1, 0]; r6 |= 3 forks: -1 and 3, never greater than 3 signed */
    OK("fork_or_neg_zero", R6_RAND, ALU64_IMM(BPF_AND, BPF_REG_6, 1),
       ALU64_IMM(BPF_SUB, BPF_REG_6, 1), ALU64_IMM(BPF_OR, BPF_REG_6, 3),
       JMP_IMM(BPF_JSGT, BPF_REG_6, 3, 3), JMP_IMM(BPF_JEQ, BPF_REG_6, 2, 2), RET0, USE_R9),
    /* the pushed state really is 3: "== 3" is reached */
    BAD9("fork_or_zero_side", R6_RAND, ALU64_IMM(BPF_AND, BPF_REG_6, 1),
         ALU64_IMM(BPF_SUB, BPF_REG_6, 1), ALU64_IMM(BPF_OR, BPF_REG_6, 3),
         JMP_IMM(BPF_JEQ, BPF_REG_6, 3, 2), RET0, USE_R9),
    /* r6 &= 12 on [-1, 0]: 12 or 0, never 4 */
    OK("fork_and_neg_zero", R6_RAND, ALU64_IMM(BPF_AND, BPF_REG_6, 1),
       ALU64_IMM(BPF_SUB, BPF_REG_6, 1), ALU64_IMM(BPF_AND, BPF_REG_6, 12),
       JMP_IMM(BPF_JEQ, BPF_REG_6, 4, 2), RET0, USE_R9),
    BAD9("fork_and_twelve", R6_RAND, ALU64_IMM(BPF_AND, BPF_REG_6, 1),
         ALU64_IMM(BPF_SUB, BPF_REG_6, 1), ALU64_IMM(BPF_AND, BPF_REG_6, 12),
         JMP_IMM(BPF_JEQ, BPF_REG_6, 12, 2), RET0, USE_R9),
    /* the 32-bit range [-1, 0] forks too (w6 = w6 - 1 on [0, 1]) */
    OK("fork_or_32", R6_RAND, ALU32_IMM(BPF_AND, BPF_REG_6, 1), ALU32_IMM(BPF_SUB, BPF_REG_6, 1),
       ALU32_IMM(BPF_OR, BPF_REG_6, 3), JMP32_IMM(BPF_JSGT, BPF_REG_6, 3, 3),
       JMP32_IMM(BPF_JEQ, BPF_REG_6, 2, 2), RET0, USE_R9),
    /* libbpf's poisoned CO-RE call: refused where a path reaches it, dead code is not */
    OK("core_poison_dead", MOV64_IMM(BPF_REG_0, 0), JMP_IMM(BPF_JEQ, BPF_REG_0, 1, 1), EXIT(),
       CALL(0xbad2310), EXIT()),
    BAD("core_poison_reached", VRF_R_HELPER_ID, "invalid func unknown#195896080", R6_RAND,
        JMP_IMM(BPF_JEQ, BPF_REG_6, 1, 2), RET0, CALL(0xbad2310), EXIT()),
    BAD("helper_id_unknown", VRF_R_HELPER_ID, "invalid func unknown#212", CALL(212), EXIT()),
    BAD("helper_id_negative", VRF_R_HELPER_ID, "invalid func unknown#-3", CALL(-3), EXIT()),
    /* helper arguments: bpf_skb_load_bytes(ctx, offset, to, len) */
    OK("helper_args_ok", MOV64_IMM(BPF_REG_2, 0), MOV64_REG(BPF_REG_3, BPF_REG_10),
       ALU64_IMM(BPF_ADD, BPF_REG_3, -8), MOV64_IMM(BPF_REG_4, 4), CALL(BPF_FUNC_skb_load_bytes),
       RET0),
    BAD("helper_arg_ctx_as_buffer", VRF_R_HELPER_ARG_TYPE,
        "R3 type=ctx expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, "
        "trusted_ptr_",
        MOV64_IMM(BPF_REG_2, 0), MOV64_REG(BPF_REG_3, BPF_REG_1), MOV64_IMM(BPF_REG_4, 4),
        CALL(BPF_FUNC_skb_load_bytes), RET0),
    BAD("helper_arg_number_as_ctx", VRF_R_HELPER_ARG_TYPE, "R1 type=scalar expected=ctx",
        MOV64_IMM(BPF_REG_1, 0), MOV64_IMM(BPF_REG_2, 0), MOV64_REG(BPF_REG_3, BPF_REG_10),
        ALU64_IMM(BPF_ADD, BPF_REG_3, -8), MOV64_IMM(BPF_REG_4, 4), CALL(BPF_FUNC_skb_load_bytes),
        RET0),
    BAD("helper_arg_uninit", VRF_R_UNINIT_REG, "R4 !read_ok", MOV64_IMM(BPF_REG_2, 0),
        MOV64_REG(BPF_REG_3, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_3, -8),
        CALL(BPF_FUNC_skb_load_bytes), RET0),
    BAD("helper_arg_stack_as_len", VRF_R_HELPER_ARG_TYPE, "R4 type=fp expected=scalar",
        MOV64_IMM(BPF_REG_2, 0), MOV64_REG(BPF_REG_3, BPF_REG_10),
        ALU64_IMM(BPF_ADD, BPF_REG_3, -8), MOV64_REG(BPF_REG_4, BPF_REG_10),
        CALL(BPF_FUNC_skb_load_bytes), RET0),
    /* size arguments: bpf_skb_load_bytes(ctx, 0, fp - 8, len) with len from rand() (a full
     * 64-bit unknown to the kernel): [1, 2^31 - 1], [-1, 6], [0, 7], [1, 8] */
    BAD("helper_size_unbounded", VRF_R_HELPER_ARG_SIZE,
        "R4 unbounded memory access, use 'var &= const' or 'if (var < const)'",
        MOV64_REG(BPF_REG_6, BPF_REG_1), CALL(RAND), MOV64_REG(BPF_REG_1, BPF_REG_6),
        MOV64_REG(BPF_REG_4, BPF_REG_0), ALU64_IMM(BPF_AND, BPF_REG_4, 0x7fffffff),
        ALU64_IMM(BPF_OR, BPF_REG_4, 1), MOV64_IMM(BPF_REG_2, 0), MOV64_REG(BPF_REG_3, BPF_REG_10),
        ALU64_IMM(BPF_ADD, BPF_REG_3, -8), CALL(BPF_FUNC_skb_load_bytes), RET0),
    BAD("helper_size_negative", VRF_R_HELPER_ARG_SIZE,
        "R4 min value is negative, either use unsigned or 'var &= const'",
        MOV64_REG(BPF_REG_6, BPF_REG_1), CALL(RAND), MOV64_REG(BPF_REG_1, BPF_REG_6),
        MOV64_REG(BPF_REG_4, BPF_REG_0), ALU64_IMM(BPF_AND, BPF_REG_4, 7),
        ALU64_IMM(BPF_SUB, BPF_REG_4, 1), MOV64_IMM(BPF_REG_2, 0), MOV64_REG(BPF_REG_3, BPF_REG_10),
        ALU64_IMM(BPF_ADD, BPF_REG_3, -8), CALL(BPF_FUNC_skb_load_bytes), RET0),
    BAD("helper_size_maybe_zero", VRF_R_HELPER_ARG_SIZE, "R4 invalid zero-sized read: u64=[0,7]",
        MOV64_REG(BPF_REG_6, BPF_REG_1), CALL(RAND), MOV64_REG(BPF_REG_1, BPF_REG_6),
        MOV64_REG(BPF_REG_4, BPF_REG_0), ALU64_IMM(BPF_AND, BPF_REG_4, 7), MOV64_IMM(BPF_REG_2, 0),
        MOV64_REG(BPF_REG_3, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_3, -8),
        CALL(BPF_FUNC_skb_load_bytes), RET0),
    OK("helper_size_bounded", MOV64_REG(BPF_REG_6, BPF_REG_1), CALL(RAND),
       MOV64_REG(BPF_REG_1, BPF_REG_6), MOV64_REG(BPF_REG_4, BPF_REG_0),
       ALU64_IMM(BPF_AND, BPF_REG_4, 7), ALU64_IMM(BPF_ADD, BPF_REG_4, 1), MOV64_IMM(BPF_REG_2, 0),
       MOV64_REG(BPF_REG_3, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_3, -8),
       CALL(BPF_FUNC_skb_load_bytes), RET0),
    /* do_refine_retval_range(): bpf_get_smp_processor_id() in [0, nr_cpu_ids - 1] */
    OK("cpu_id_below_nr_cpus", CALL(BPF_FUNC_get_smp_processor_id),
       JMP_IMM(BPF_JGT, BPF_REG_0, VRF_NR_CPUS_MAX - 1, 2), RET0, USE_R9),
    OK("cpu_id_not_negative", CALL(BPF_FUNC_get_smp_processor_id),
       JMP_IMM(BPF_JSLT, BPF_REG_0, 0, 2), RET0, USE_R9),
    /* a may_goto loop that changes a register the next helper does not read: imprecise,
     * widened, the loop converges (r5 is no argument of bpf_get_prandom_u32) */
    OK("may_goto_widens_unread_arg", MOV64_IMM(BPF_REG_5, 1), MAY_GOTO(2),
       ALU32_IMM(BPF_ADD, BPF_REG_5, 7), JA(-3), CALL(RAND), RET0),
    BAD9("cpu_id_zero_possible", CALL(BPF_FUNC_get_smp_processor_id),
         JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 2), RET0, USE_R9),
};
const size_t call_ncases = sizeof(call_cases) / sizeof(call_cases[0]);
