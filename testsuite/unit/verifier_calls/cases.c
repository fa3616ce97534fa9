/*
 * cases.c - the stack-depth test programs (see cases.h).  Each rule has a program the
 * kernel loads and a near-miss it refuses.  Callbacks need BTF func_info, which raw
 * programs lack ("missing btf func_info"): they are tested as programs/accept and
 * programs/reject .bpf.c files.
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
#define RET0 MOV64_IMM(BPF_REG_0, 0), EXIT()

const struct calls_case calls_cases[] = {
    /* bpf-to-bpf: 256 + 256 bytes fit, 256 + 272 do not */
    OK("stack_two_frames_512", ST_MEM(BPF_DW, BPF_REG_10, -256, 0), CALL_PSEUDO(2), RET0,
       ST_MEM(BPF_DW, BPF_REG_10, -256, 0), RET0),
    BAD("stack_two_frames_528", VRF_R_COMBINED_STACK,
        "combined stack size of 2 calls is 528. Too large", ST_MEM(BPF_DW, BPF_REG_10, -256, 0),
        CALL_PSEUDO(2), RET0, ST_MEM(BPF_DW, BPF_REG_10, -272, 0), RET0),
    /* frames round up to 16 bytes: 264 + 248 is 272 + 256 */
    BAD("stack_rounded_frames", VRF_R_COMBINED_STACK,
        "combined stack size of 2 calls is 528. Too large", ST_MEM(BPF_DW, BPF_REG_10, -264, 0),
        CALL_PSEUDO(2), RET0, ST_MEM(BPF_DW, BPF_REG_10, -248, 0), RET0),
    /* three frames: 160 + 176 + 192 */
    BAD("stack_three_frames", VRF_R_COMBINED_STACK,
        "combined stack size of 3 calls is 528. Too large", ST_MEM(BPF_DW, BPF_REG_10, -160, 0),
        CALL_PSEUDO(2), RET0, ST_MEM(BPF_DW, BPF_REG_10, -176, 0), CALL_PSEUDO(2), RET0,
        ST_MEM(BPF_DW, BPF_REG_10, -192, 0), RET0),
    /* a callee writing into its caller's frame grows the caller's depth */
    BAD("stack_callee_writes_caller", VRF_R_COMBINED_STACK,
        "combined stack size of 2 calls is 528. Too large", MOV64_REG(BPF_REG_1, BPF_REG_10),
        CALL_PSEUDO(2), RET0, ST_MEM(BPF_DW, BPF_REG_1, -256, 0),
        ST_MEM(BPF_DW, BPF_REG_10, -272, 0), RET0),
    /* a helper's memory argument counts too (bpf_get_prandom_u32 takes none: the probe
     * here is bpf_probe_read_kernel into fp-280 of 8 bytes) */
    BAD("stack_helper_buffer", VRF_R_COMBINED_STACK,
        "combined stack size of 2 calls is 544. Too large", MOV64_REG(BPF_REG_1, BPF_REG_10),
        ALU64_IMM(BPF_ADD, BPF_REG_1, -280), MOV64_IMM(BPF_REG_2, 8), MOV64_IMM(BPF_REG_3, 0),
        CALL(BPF_FUNC_probe_read_kernel), CALL_PSEUDO(2), RET0, ST_MEM(BPF_DW, BPF_REG_10, -256, 0),
        RET0),
};

const size_t calls_ncases = sizeof(calls_cases) / sizeof(calls_cases[0]);
