/*
 * cases.c - the packet-access test programs (see cases.h): reads and writes through
 * data / data_meta checked against data_end in every comparison form, the ranges that
 * copies, spills and constant moves share, variable offsets, data_end itself, program
 * types that may only read, and helpers that move the packet.  Near-misses that must load
 * sit next to the programs that must not.
 */
#include "cases.h"

#include "../verifier_engine/insn_build.h"

#define JMP32_REG(op, d, s, o) I_RAW(BPF_JMP32 | (op) | BPF_X, d, s, o, 0)

#define PROG(...)                                                                                  \
	.insns = (const struct bpf_insn[]){__VA_ARGS__},                                           \
	.n = sizeof((const struct bpf_insn[]){__VA_ARGS__}) / sizeof(struct bpf_insn)
#define OK(nm, t, a, ...)                                                                          \
	{                                                                                          \
		.name = nm, .prog_type = t, .attach_type = a, .ok = true, PROG(__VA_ARGS__)        \
	}
#define BAD(nm, t, a, r, m, ...)                                                                   \
	{                                                                                          \
		.name = nm, .prog_type = t, .attach_type = a, .rule = r, .kmsg = m,                \
		PROG(__VA_ARGS__)                                                                  \
	}
#define XDP  BPF_PROG_TYPE_XDP
#define TC   BPF_PROG_TYPE_SCHED_CLS
#define LWT  BPF_PROG_TYPE_LWT_IN
#define NONE (-1)
#define R2   BPF_REG_2
#define R3   BPF_REG_3
#define R4   BPF_REG_4
#define R5   BPF_REG_5
/* r2 = data, r3 = data_end (struct xdp_md, struct __sk_buff) */
#define XDP_PTRS LDX_MEM(BPF_W, R2, BPF_REG_1, 0), LDX_MEM(BPF_W, R3, BPF_REG_1, 4)
#define SKB_PTRS LDX_MEM(BPF_W, R2, BPF_REG_1, 76), LDX_MEM(BPF_W, R3, BPF_REG_1, 80)
/* r4 = data + n, then a jump comparing r4 and r3 (insns 2-4 after the two loads) */
#define END_CMP(n, jmp) MOV64_REG(R4, R2), ALU64_IMM(BPF_ADD, R4, n), jmp
#define RET(v)          MOV64_IMM(BPF_REG_0, v), EXIT()
#define OUTSIDE(r)      "R" #r " offset is outside of the packet"

const struct pkt_case pkt_cases[] = {
    BAD("xdp_read_unchecked", XDP, BPF_XDP, VRF_R_PKT_BOUNDS, OUTSIDE(2), XDP_PTRS,
        LDX_MEM(BPF_B, R5, R2, 0), RET(2)),
    /* if (data + 14 > data_end) out: fall-through has [0, 14) */
    OK("xdp_jgt_covers", XDP, BPF_XDP, XDP_PTRS, END_CMP(14, JMP_REG(BPF_JGT, R4, R3, 1)),
       LDX_MEM(BPF_H, R5, R2, 12), RET(2)),
    BAD("xdp_jgt_short", XDP, BPF_XDP, VRF_R_PKT_BOUNDS, OUTSIDE(2), XDP_PTRS,
        END_CMP(14, JMP_REG(BPF_JGT, R4, R3, 1)), LDX_MEM(BPF_W, R5, R2, 12), RET(2)),
    BAD("xdp_jgt_taken_side", XDP, BPF_XDP, VRF_R_PKT_BOUNDS, OUTSIDE(2), XDP_PTRS,
        END_CMP(14, JMP_REG(BPF_JGT, R4, R3, 2)), RET(2), LDX_MEM(BPF_B, R5, R2, 0), RET(2)),
    BAD("xdp_beyond_end", XDP, BPF_XDP, VRF_R_PKT_BEYOND_END, OUTSIDE(4), XDP_PTRS,
        END_CMP(14, JMP_REG(BPF_JGT, R4, R3, 2)), RET(2), LDX_MEM(BPF_B, R5, R4, -14), RET(2)),
    /* JGE: fall-through (data + 14 < data_end) has [0, 15) */
    OK("xdp_jge_fall", XDP, BPF_XDP, XDP_PTRS, END_CMP(14, JMP_REG(BPF_JGE, R4, R3, 1)),
       LDX_MEM(BPF_B, R5, R2, 14), RET(2)),
    BAD("xdp_jge_fall_past", XDP, BPF_XDP, VRF_R_PKT_BOUNDS, OUTSIDE(2), XDP_PTRS,
        END_CMP(14, JMP_REG(BPF_JGE, R4, R3, 1)), LDX_MEM(BPF_H, R5, R2, 14), RET(2)),
    BAD("xdp_jge_zero_off", XDP, BPF_XDP, VRF_R_PKT_BOUNDS, OUTSIDE(2), XDP_PTRS,
        JMP_REG(BPF_JGE, R2, R3, 1), LDX_MEM(BPF_B, R5, R2, 0), RET(2)),
    BAD("xdp_at_end", XDP, BPF_XDP, VRF_R_PKT_BEYOND_END, OUTSIDE(4), XDP_PTRS,
        END_CMP(14, JMP_REG(BPF_JGE, R4, R3, 2)), RET(2), LDX_MEM(BPF_B, R5, R4, -14), RET(2)),
    /* JLT / JLE: the jump is the good side */
    OK("xdp_jlt_taken", XDP, BPF_XDP, XDP_PTRS, END_CMP(14, JMP_REG(BPF_JLT, R4, R3, 2)), RET(2),
       LDX_MEM(BPF_B, R5, R2, 14), RET(2)),
    OK("xdp_jle_taken", XDP, BPF_XDP, XDP_PTRS, END_CMP(14, JMP_REG(BPF_JLE, R4, R3, 2)), RET(2),
       LDX_MEM(BPF_W, R5, R2, 10), RET(2)),
    BAD("xdp_jle_taken_past", XDP, BPF_XDP, VRF_R_PKT_BOUNDS, OUTSIDE(2), XDP_PTRS,
        END_CMP(14, JMP_REG(BPF_JLE, R4, R3, 2)), RET(2), LDX_MEM(BPF_B, R5, R2, 14), RET(2)),
    BAD("xdp_jlt_fall", XDP, BPF_XDP, VRF_R_PKT_BOUNDS, OUTSIDE(2), XDP_PTRS,
        END_CMP(14, JMP_REG(BPF_JLT, R4, R3, 1)), LDX_MEM(BPF_B, R5, R2, 0), RET(2)),
    /* data_end on the left */
    OK("xdp_rev_jgt_taken", XDP, BPF_XDP, XDP_PTRS, END_CMP(14, JMP_REG(BPF_JGT, R3, R4, 2)),
       RET(2), LDX_MEM(BPF_B, R5, R2, 14), RET(2)),
    OK("xdp_rev_jge_taken", XDP, BPF_XDP, XDP_PTRS, END_CMP(14, JMP_REG(BPF_JGE, R3, R4, 2)),
       RET(2), LDX_MEM(BPF_H, R5, R2, 12), RET(2)),
    BAD("xdp_rev_jge_taken_past", XDP, BPF_XDP, VRF_R_PKT_BOUNDS, OUTSIDE(2), XDP_PTRS,
        END_CMP(14, JMP_REG(BPF_JGE, R3, R4, 2)), RET(2), LDX_MEM(BPF_B, R5, R2, 14), RET(2)),
    OK("xdp_rev_jlt_fall", XDP, BPF_XDP, XDP_PTRS, END_CMP(14, JMP_REG(BPF_JLT, R3, R4, 1)),
       LDX_MEM(BPF_H, R5, R2, 12), RET(2)),
    OK("xdp_rev_jle_fall", XDP, BPF_XDP, XDP_PTRS, END_CMP(14, JMP_REG(BPF_JLE, R3, R4, 1)),
       LDX_MEM(BPF_B, R5, R2, 14), RET(2)),
    BAD("xdp_rev_jgt_fall", XDP, BPF_XDP, VRF_R_PKT_BOUNDS, OUTSIDE(2), XDP_PTRS,
        END_CMP(14, JMP_REG(BPF_JGT, R3, R4, 1)), LDX_MEM(BPF_B, R5, R2, 0), RET(2)),
    /* 32-bit comparisons of pointers prove nothing */
    BAD("xdp_jmp32", XDP, BPF_XDP, VRF_R_PKT_BOUNDS, OUTSIDE(2), XDP_PTRS,
        END_CMP(14, JMP32_REG(BPF_JGT, R4, R3, 1)), LDX_MEM(BPF_B, R5, R2, 0), RET(2)),
    /* the range belongs to the id: copies and constant moves share it */
    OK("xdp_copy_shares_range", XDP, BPF_XDP, XDP_PTRS, MOV64_REG(BPF_REG_6, R2),
       END_CMP(14, JMP_REG(BPF_JGT, R4, R3, 1)), LDX_MEM(BPF_H, R5, BPF_REG_6, 12), RET(2)),
    OK("xdp_const_move", XDP, BPF_XDP, XDP_PTRS, END_CMP(14, JMP_REG(BPF_JGT, R4, R3, 2)),
       ALU64_IMM(BPF_ADD, R2, 10), LDX_MEM(BPF_W, R5, R2, 0), RET(2)),
    BAD("xdp_const_move_past", XDP, BPF_XDP, VRF_R_PKT_BOUNDS, OUTSIDE(2), XDP_PTRS,
        END_CMP(14, JMP_REG(BPF_JGT, R4, R3, 2)), ALU64_IMM(BPF_ADD, R2, 12),
        LDX_MEM(BPF_W, R5, R2, 0), RET(2)),
    /* ... but a pointer loaded again after the comparison starts without range */
    BAD("xdp_reload_no_range", XDP, BPF_XDP, VRF_R_PKT_BOUNDS, OUTSIDE(6), XDP_PTRS,
        END_CMP(14, JMP_REG(BPF_JGT, R4, R3, 2)), LDX_MEM(BPF_W, BPF_REG_6, BPF_REG_1, 0),
        LDX_MEM(BPF_W, R5, BPF_REG_6, 8), RET(2)),
    /* a variable offset makes a new pointer without range */
    BAD("xdp_var_drops_range", XDP, BPF_XDP, VRF_R_PKT_BOUNDS, OUTSIDE(2),
        MOV64_REG(BPF_REG_6, BPF_REG_1), CALL(BPF_FUNC_get_prandom_u32),
        ALU64_IMM(BPF_AND, BPF_REG_0, 0xff), LDX_MEM(BPF_W, R2, BPF_REG_6, 0),
        LDX_MEM(BPF_W, R3, BPF_REG_6, 4), END_CMP(14, JMP_REG(BPF_JGT, R4, R3, 2)),
        ALU64_REG(BPF_ADD, R2, BPF_REG_0), LDX_MEM(BPF_B, R5, R2, 0), RET(2)),
    OK("xdp_var_checked", XDP, BPF_XDP, MOV64_REG(BPF_REG_6, BPF_REG_1),
       CALL(BPF_FUNC_get_prandom_u32), ALU64_IMM(BPF_AND, BPF_REG_0, 0xff),
       LDX_MEM(BPF_W, R2, BPF_REG_6, 0), LDX_MEM(BPF_W, R3, BPF_REG_6, 4),
       ALU64_REG(BPF_ADD, R2, BPF_REG_0), END_CMP(4, JMP_REG(BPF_JGT, R4, R3, 1)),
       LDX_MEM(BPF_W, R5, R2, 0), RET(2)),
    BAD("xdp_var_too_wide", XDP, BPF_XDP, VRF_R_PKT_BOUNDS, OUTSIDE(2),
        MOV64_REG(BPF_REG_6, BPF_REG_1), CALL(BPF_FUNC_get_prandom_u32),
        ALU64_IMM(BPF_AND, BPF_REG_0, 0xffff), LDX_MEM(BPF_W, R2, BPF_REG_6, 0),
        LDX_MEM(BPF_W, R3, BPF_REG_6, 4), ALU64_REG(BPF_ADD, R2, BPF_REG_0),
        END_CMP(4, JMP_REG(BPF_JGT, R4, R3, 1)), LDX_MEM(BPF_W, R5, R2, 0), RET(2)),
    BAD("xdp_var_negative", XDP, BPF_XDP, VRF_R_PKT_BOUNDS,
        "R2 min value is negative, either use unsigned index or do a if (index >=0) check.",
        MOV64_REG(BPF_REG_6, BPF_REG_1), CALL(BPF_FUNC_get_prandom_u32),
        ALU64_IMM(BPF_AND, BPF_REG_0, 0xff), ALU64_IMM(BPF_ADD, BPF_REG_0, -16),
        LDX_MEM(BPF_W, R2, BPF_REG_6, 0), LDX_MEM(BPF_W, R3, BPF_REG_6, 4),
        ALU64_REG(BPF_ADD, R2, BPF_REG_0), END_CMP(4, JMP_REG(BPF_JGT, R4, R3, 1)),
        LDX_MEM(BPF_W, R5, R2, 0), RET(2)),
    /* data_end is no pointer to read through; writes need a type that may write */
    BAD("xdp_pkt_end_deref", XDP, BPF_XDP, VRF_R_INVALID_MEM, "R3 invalid mem access 'pkt_end'",
        XDP_PTRS, LDX_MEM(BPF_B, R5, R3, 0), RET(2)),
    OK("xdp_write", XDP, BPF_XDP, XDP_PTRS, END_CMP(14, JMP_REG(BPF_JGT, R4, R3, 1)),
       ST_MEM(BPF_B, R2, 0, 1), RET(2)),
    OK("lwt_read", LWT, NONE, SKB_PTRS, END_CMP(14, JMP_REG(BPF_JGT, R4, R3, 1)),
       LDX_MEM(BPF_B, R5, R2, 0), RET(0)),
    BAD("lwt_write", LWT, NONE, VRF_R_PKT_WRITE, "cannot write into packet", SKB_PTRS,
        END_CMP(14, JMP_REG(BPF_JGT, R4, R3, 1)), ST_MEM(BPF_B, R2, 0, 1), RET(0)),
    /* data_meta against data */
    OK("tc_meta_checked", TC, NONE, LDX_MEM(BPF_W, R2, BPF_REG_1, 76),
       LDX_MEM(BPF_W, R4, BPF_REG_1, 140), MOV64_REG(R5, R4), ALU64_IMM(BPF_ADD, R5, 4),
       JMP_REG(BPF_JGT, R5, R2, 1), LDX_MEM(BPF_W, R5, R4, 0), RET(0)),
    BAD("tc_meta_unchecked", TC, NONE, VRF_R_PKT_BOUNDS, OUTSIDE(4),
        LDX_MEM(BPF_W, R4, BPF_REG_1, 140), LDX_MEM(BPF_W, R5, R4, 0), RET(0)),
    /* a second comparison the first one decided */
    OK("xdp_decided_branch", XDP, BPF_XDP, XDP_PTRS, END_CMP(14, JMP_REG(BPF_JGT, R4, R3, 2)),
       RET(2), JMP_REG(BPF_JLE, R4, R3, 2), RET(1), LDX_MEM(BPF_B, R5, R2, 100), RET(2)),
    /* pointer minus pointer is a number */
    OK("xdp_pkt_minus_pkt", XDP, BPF_XDP, XDP_PTRS, MOV64_REG(R5, R3), ALU64_REG(BPF_SUB, R5, R2),
       RET(2)),
    /* spills keep and get the range; helpers that move the packet invalidate it */
    OK("tc_spill_gets_range", TC, NONE, MOV64_IMM(BPF_REG_0, 0), SKB_PTRS,
       STX_MEM(BPF_DW, BPF_REG_10, R2, -8), END_CMP(8, JMP_REG(BPF_JGT, R4, R3, 2)),
       LDX_MEM(BPF_DW, R5, BPF_REG_10, -8), LDX_MEM(BPF_W, BPF_REG_0, R5, 4), EXIT()),
    BAD("tc_pull_invalidates", TC, NONE, VRF_R_INVALID_MEM, "R7 invalid mem access 'scalar'",
        MOV64_IMM(BPF_REG_0, 0), MOV64_REG(BPF_REG_6, BPF_REG_1),
        LDX_MEM(BPF_W, BPF_REG_7, BPF_REG_6, 76), LDX_MEM(BPF_W, R3, BPF_REG_6, 80),
        MOV64_REG(R4, BPF_REG_7), ALU64_IMM(BPF_ADD, R4, 14), JMP_REG(BPF_JGT, R4, R3, 4),
        MOV64_REG(BPF_REG_1, BPF_REG_6), MOV64_IMM(R2, 0), CALL(BPF_FUNC_skb_pull_data),
        LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_7, 0), EXIT()),
    BAD("tc_spill_invalidated", TC, NONE, VRF_R_INVALID_MEM, "R5 invalid mem access 'scalar'",
        MOV64_IMM(BPF_REG_0, 0), MOV64_REG(BPF_REG_6, BPF_REG_1), LDX_MEM(BPF_W, R2, BPF_REG_6, 76),
        LDX_MEM(BPF_W, R3, BPF_REG_6, 80), STX_MEM(BPF_DW, BPF_REG_10, R2, -8),
        END_CMP(8, JMP_REG(BPF_JGT, R4, R3, 5)), MOV64_REG(BPF_REG_1, BPF_REG_6), MOV64_IMM(R2, 0),
        CALL(BPF_FUNC_skb_pull_data), LDX_MEM(BPF_DW, R5, BPF_REG_10, -8),
        LDX_MEM(BPF_W, BPF_REG_0, R5, 4), EXIT()),
    OK("tc_helper_keeps", TC, NONE, MOV64_IMM(BPF_REG_0, 0), MOV64_REG(BPF_REG_6, BPF_REG_1),
       LDX_MEM(BPF_W, BPF_REG_7, BPF_REG_6, 76), LDX_MEM(BPF_W, R3, BPF_REG_6, 80),
       MOV64_REG(R4, BPF_REG_7), ALU64_IMM(BPF_ADD, R4, 14), JMP_REG(BPF_JGT, R4, R3, 2),
       CALL(BPF_FUNC_get_prandom_u32), LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_7, 0), EXIT()),
    BAD("xdp_adjust_head_invalidates", XDP, BPF_XDP, VRF_R_INVALID_MEM,
        "R7 invalid mem access 'scalar'", MOV64_IMM(BPF_REG_0, 2), MOV64_REG(BPF_REG_6, BPF_REG_1),
        LDX_MEM(BPF_W, R2, BPF_REG_6, 0), LDX_MEM(BPF_W, R3, BPF_REG_6, 4),
        MOV64_REG(BPF_REG_7, R2), END_CMP(14, JMP_REG(BPF_JGT, R4, R3, 5)),
        MOV64_REG(BPF_REG_1, BPF_REG_6), MOV64_IMM(R2, 0), CALL(BPF_FUNC_xdp_adjust_head),
        LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_7, 0), MOV64_IMM(BPF_REG_0, 2), EXIT()),
    /* a checked packet pointer as a helper's buffer: only helpers with pkt_access */
    BAD("tc_pkt_to_trace_printk", TC, NONE, VRF_R_HELPER_ARG_TYPE,
        "helper access to the packet is not allowed", SKB_PTRS,
        END_CMP(8, JMP_REG(BPF_JGT, R4, R3, 3)), MOV64_REG(BPF_REG_1, R2), MOV64_IMM(R2, 8),
        CALL(BPF_FUNC_trace_printk), RET(0)),
    BAD("xdp_pkt_before_uninit_size", XDP, BPF_XDP, VRF_R_HELPER_ARG_TYPE,
        "helper access to the packet is not allowed", XDP_PTRS,
        END_CMP(8, JMP_REG(BPF_JGT, R4, R3, 2)), MOV64_REG(BPF_REG_1, R2),
        CALL(BPF_FUNC_trace_printk), RET(2)),
    OK("tc_pkt_to_csum_diff", TC, NONE, SKB_PTRS, END_CMP(8, JMP_REG(BPF_JGT, R4, R3, 6)),
       MOV64_REG(BPF_REG_1, R2), MOV64_IMM(R2, 8), MOV64_IMM(R3, 0), MOV64_IMM(R4, 0),
       MOV64_IMM(R5, 0), CALL(BPF_FUNC_csum_diff), RET(0)),
};

const size_t pkt_ncases = sizeof(pkt_cases) / sizeof(pkt_cases[0]);

struct vrf_options pkt_case_options(const struct pkt_case *c)
{
	struct vrf_options o = {.prog_type = c->prog_type};

	if (c->attach_type >= 0) {
		o.flags |= VRF_F_ATTACH_TYPE;
		o.expected_attach_type = c->attach_type;
	}
	return o;
}
