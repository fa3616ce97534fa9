/*
 * cases.c - the reference-rule test programs (see cases.h): ring buffer records reserved,
 * used, submitted or leaked; sockets looked up in tc, read and released.  Near-misses
 * that must load sit next to the programs that must not.
 */
#include <string.h>

#include "cases.h"

#include "../verifier_engine/insn_build.h"

#define LD_MAP(d) I_RAW(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_MAP_FD, 0, 0), I_RAW(0, 0, 0, 0, 0)

/* r = the test program array (imm 1) */
#define LD_PROG_ARRAY(d)                                                                           \
	I_RAW(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_MAP_FD, 0, 1), I_RAW(0, 0, 0, 0, 0)
#define PROG(...)                                                                                  \
	.insns = (const struct bpf_insn[]){__VA_ARGS__},                                           \
	.n = sizeof((const struct bpf_insn[]){__VA_ARGS__}) / sizeof(struct bpf_insn)
#define OK(nm, t, ...)                                                                             \
	{                                                                                          \
		.name = nm, .prog_type = t, .ok = true, PROG(__VA_ARGS__)                          \
	}
#define BAD(nm, t, r, m, ...)                                                                      \
	{                                                                                          \
		.name = nm, .prog_type = t, .rule = r, .kmsg = m, PROG(__VA_ARGS__)                \
	}
/* r0 = *(u32 *)skb[off] (LD_ABS) */
#define LD_ABS_W(off) I_RAW(BPF_LD | BPF_ABS | BPF_W, 0, 0, 0, off)
#define SF            BPF_PROG_TYPE_SOCKET_FILTER
#define TC            BPF_PROG_TYPE_SCHED_CLS
#define R0_EXIT       MOV64_IMM(BPF_REG_0, 0), EXIT()
/* r0 = bpf_ringbuf_reserve(&rb, size, 0) (5 insns) */
#define RESERVE(size)                                                                              \
	LD_MAP(BPF_REG_1), MOV64_IMM(BPF_REG_2, size), MOV64_IMM(BPF_REG_3, 0),                    \
	    CALL(BPF_FUNC_ringbuf_reserve)
/* ... and if it is NULL, return 0 (3 insns) */
#define IF_NULL_EXIT(r) JMP_IMM(BPF_JNE, r, 0, 2), R0_EXIT
#define SUBMIT(r)       MOV64_REG(BPF_REG_1, r), MOV64_IMM(BPF_REG_2, 0), CALL(BPF_FUNC_ringbuf_submit)
#define DISCARD(r)      MOV64_REG(BPF_REG_1, r), MOV64_IMM(BPF_REG_2, 0), CALL(BPF_FUNC_ringbuf_discard)
/* r0 = bpf_sk_lookup_tcp(skb, &tuple (12 zero bytes at fp-16), 12, 0, 0) (9 insns) */
#define SK_LOOKUP(fn)                                                                              \
	ST_MEM(BPF_DW, BPF_REG_10, -16, 0), ST_MEM(BPF_W, BPF_REG_10, -8, 0),                      \
	    MOV64_REG(BPF_REG_2, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_2, -16),                  \
	    MOV64_IMM(BPF_REG_3, 12), MOV64_IMM(BPF_REG_4, 0), MOV64_IMM(BPF_REG_5, 0), CALL(fn)
/* bpf_ringbuf_reserve_dynptr(&rb, size, 0, fp + off) (6 insns) */
#define DP_RESERVE(off, size)                                                                      \
	LD_MAP(BPF_REG_1), MOV64_IMM(BPF_REG_2, size), MOV64_IMM(BPF_REG_3, 0),                    \
	    MOV64_REG(BPF_REG_4, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_4, off),                  \
	    CALL(BPF_FUNC_ringbuf_reserve_dynptr)
/* fn(fp + off, 0): submit / discard (4 insns) */
#define DP_CALL(off, fn)                                                                           \
	MOV64_REG(BPF_REG_1, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_1, off),                      \
	    MOV64_IMM(BPF_REG_2, 0), CALL(fn)
/* bpf_dynptr_from_mem(fp + buf (8 zero bytes), 8, 0, fp + off) (7 insns) */
#define DP_FROM_MEM(buf, off)                                                                      \
	ST_MEM(BPF_DW, BPF_REG_10, buf, 0), MOV64_REG(BPF_REG_1, BPF_REG_10),                      \
	    ALU64_IMM(BPF_ADD, BPF_REG_1, buf), MOV64_IMM(BPF_REG_2, 8), MOV64_IMM(BPF_REG_3, 0),  \
	    MOV64_REG(BPF_REG_4, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_4, off),                  \
	    CALL(BPF_FUNC_dynptr_from_mem)
/* bpf_dynptr_read(fp + dst, 8, fp + off, 0, 0) (8 insns) */
#define DP_READ(dst, off)                                                                          \
	MOV64_REG(BPF_REG_1, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_1, dst),                      \
	    MOV64_IMM(BPF_REG_2, 8), MOV64_REG(BPF_REG_3, BPF_REG_10),                             \
	    ALU64_IMM(BPF_ADD, BPF_REG_3, off), MOV64_IMM(BPF_REG_4, 0), MOV64_IMM(BPF_REG_5, 0),  \
	    CALL(BPF_FUNC_dynptr_read)
/* r0 = bpf_dynptr_data(fp + off, 0, len) (5 insns) */
#define DP_DATA(off, len)                                                                          \
	MOV64_REG(BPF_REG_1, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_1, off),                      \
	    MOV64_IMM(BPF_REG_2, 0), MOV64_IMM(BPF_REG_3, len), CALL(BPF_FUNC_dynptr_data)
#define SK_RELEASE(r) MOV64_REG(BPF_REG_1, r), CALL(BPF_FUNC_sk_release)

const struct refs_case refs_cases[] = {
    /* ring buffer records */
    OK("rb_submit", SF, RESERVE(8), IF_NULL_EXIT(BPF_REG_0), MOV64_REG(BPF_REG_6, BPF_REG_0),
       ST_MEM(BPF_DW, BPF_REG_6, 0, 1), SUBMIT(BPF_REG_6), R0_EXIT),
    OK("rb_discard_on_error", SF, MOV64_REG(BPF_REG_9, BPF_REG_1), RESERVE(16),
       IF_NULL_EXIT(BPF_REG_0), MOV64_REG(BPF_REG_6, BPF_REG_0),
       LDX_MEM(BPF_W, BPF_REG_7, BPF_REG_9, 0), JMP_IMM(BPF_JEQ, BPF_REG_7, 0, 6),
       ST_MEM(BPF_W, BPF_REG_6, 12, 1), SUBMIT(BPF_REG_6), R0_EXIT, DISCARD(BPF_REG_6), R0_EXIT),
    BAD("rb_leak", SF, VRF_R_REF_LEAK,
        "BPF_EXIT instruction in main prog would lead to reference leak", RESERVE(8),
        IF_NULL_EXIT(BPF_REG_0), ST_MEM(BPF_DW, BPF_REG_0, 0, 1), R0_EXIT),
    BAD("rb_leak_one_path", SF, VRF_R_REF_LEAK,
        "BPF_EXIT instruction in main prog would lead to reference leak",
        MOV64_REG(BPF_REG_9, BPF_REG_1), RESERVE(16), IF_NULL_EXIT(BPF_REG_0),
        MOV64_REG(BPF_REG_6, BPF_REG_0), LDX_MEM(BPF_W, BPF_REG_7, BPF_REG_9, 0),
        JMP_IMM(BPF_JEQ, BPF_REG_7, 0, 6), ST_MEM(BPF_W, BPF_REG_6, 12, 1), SUBMIT(BPF_REG_6),
        R0_EXIT, R0_EXIT),
    BAD("rb_store_after_submit", SF, VRF_R_INVALID_MEM, "R6 invalid mem access 'scalar'",
        RESERVE(8), IF_NULL_EXIT(BPF_REG_0), MOV64_REG(BPF_REG_6, BPF_REG_0), SUBMIT(BPF_REG_6),
        ST_MEM(BPF_DW, BPF_REG_6, 0, 1), R0_EXIT),
    BAD("rb_spilled_copy_after_submit", SF, VRF_R_INVALID_MEM, "R2 invalid mem access 'scalar'",
        RESERVE(8), IF_NULL_EXIT(BPF_REG_0), STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_0, -8),
        SUBMIT(BPF_REG_0), LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_10, -8),
        ST_MEM(BPF_DW, BPF_REG_2, 0, 1), R0_EXIT),
    OK("rb_spilled_and_submitted", SF, RESERVE(8), IF_NULL_EXIT(BPF_REG_0),
       STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_0, -8), CALL(BPF_FUNC_ktime_get_ns),
       LDX_MEM(BPF_DW, BPF_REG_6, BPF_REG_10, -8), STX_MEM(BPF_DW, BPF_REG_6, BPF_REG_0, 0),
       SUBMIT(BPF_REG_6), R0_EXIT),
    BAD("rb_submit_twice", SF, VRF_R_HELPER_ARG_TYPE, "R1 type=scalar expected=ringbuf_mem",
        RESERVE(8), IF_NULL_EXIT(BPF_REG_0), MOV64_REG(BPF_REG_6, BPF_REG_0), SUBMIT(BPF_REG_6),
        SUBMIT(BPF_REG_6), R0_EXIT),
    BAD("rb_submit_unchecked", SF, VRF_R_HELPER_ARG_TYPE,
        "R1 type=ringbuf_mem_or_null expected=ringbuf_mem", RESERVE(8), SUBMIT(BPF_REG_0), R0_EXIT),
    BAD("rb_store_unchecked", SF, VRF_R_INVALID_MEM, "R0 invalid mem access 'ringbuf_mem_or_null'",
        RESERVE(8), ST_MEM(BPF_DW, BPF_REG_0, 0, 1), R0_EXIT),
    BAD("rb_submit_moved", SF, VRF_R_REF_RELEASE,
        "R1 must have zero offset when passed to release func or trusted arg to kfunc", RESERVE(16),
        IF_NULL_EXIT(BPF_REG_0), ALU64_IMM(BPF_ADD, BPF_REG_0, 8), SUBMIT(BPF_REG_0), R0_EXIT),
    BAD("rb_store_past_end", SF, VRF_R_MEM_BOUNDS,
        "R0 min value is outside of the allowed memory range", RESERVE(8), IF_NULL_EXIT(BPF_REG_0),
        ST_MEM(BPF_W, BPF_REG_0, 6, 1), DISCARD(BPF_REG_0), R0_EXIT),
    OK("rb_store_last_word", SF, RESERVE(12), IF_NULL_EXIT(BPF_REG_0),
       ST_MEM(BPF_W, BPF_REG_0, 8, 1), DISCARD(BPF_REG_0), R0_EXIT),
    BAD("rb_size_unknown", SF, VRF_R_HELPER_ARG_SIZE, "R2 is not a known constant'",
        LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, 0), LD_MAP(BPF_REG_1), MOV64_IMM(BPF_REG_3, 0),
        CALL(BPF_FUNC_ringbuf_reserve), R0_EXIT),
    BAD("rb_tail_call_held", SF, VRF_R_REF_LEAK, "tail_call would lead to reference leak",
        MOV64_REG(BPF_REG_9, BPF_REG_1), RESERVE(8), IF_NULL_EXIT(BPF_REG_0),
        MOV64_REG(BPF_REG_6, BPF_REG_0), MOV64_REG(BPF_REG_1, BPF_REG_9), LD_PROG_ARRAY(BPF_REG_2),
        MOV64_IMM(BPF_REG_3, 0), CALL(BPF_FUNC_tail_call), SUBMIT(BPF_REG_6), R0_EXIT),
    OK("rb_tail_call_after_submit", SF, MOV64_REG(BPF_REG_9, BPF_REG_1), RESERVE(8),
       IF_NULL_EXIT(BPF_REG_0), SUBMIT(BPF_REG_0), MOV64_REG(BPF_REG_1, BPF_REG_9),
       LD_PROG_ARRAY(BPF_REG_2), MOV64_IMM(BPF_REG_3, 0), CALL(BPF_FUNC_tail_call), R0_EXIT),
    /* sockets from lookups in tc */
    OK("sk_lookup_release", TC, SK_LOOKUP(BPF_FUNC_sk_lookup_tcp), IF_NULL_EXIT(BPF_REG_0),
       LDX_MEM(BPF_W, BPF_REG_6, BPF_REG_0, 4), SK_RELEASE(BPF_REG_0), R0_EXIT),
    BAD("sk_lookup_leak", TC, VRF_R_REF_LEAK,
        "BPF_EXIT instruction in main prog would lead to reference leak",
        SK_LOOKUP(BPF_FUNC_sk_lookup_udp), IF_NULL_EXIT(BPF_REG_0),
        LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_0, 4), EXIT()),
    BAD("sk_release_unchecked", TC, VRF_R_HELPER_ARG_TYPE,
        "R1 type=sock_or_null expected=sock_common, sock, tcp_sock, xdp_sock, ptr_, "
        "trusted_ptr_",
        SK_LOOKUP(BPF_FUNC_sk_lookup_tcp), SK_RELEASE(BPF_REG_0), R0_EXIT),
    BAD("sk_read_past_end", TC, VRF_R_INVALID_MEM, "R0 invalid sock access off=200 size=4",
        SK_LOOKUP(BPF_FUNC_sk_lookup_tcp), IF_NULL_EXIT(BPF_REG_0),
        LDX_MEM(BPF_W, BPF_REG_6, BPF_REG_0, 200), SK_RELEASE(BPF_REG_0), R0_EXIT),
    /* bpf_sock_is_valid_access(): sizes by field */
    BAD("sk_read_u64", TC, VRF_R_INVALID_MEM, "R0 invalid sock access off=16 size=8",
        SK_LOOKUP(BPF_FUNC_sk_lookup_tcp), IF_NULL_EXIT(BPF_REG_0),
        LDX_MEM(BPF_DW, BPF_REG_6, BPF_REG_0, 16), SK_RELEASE(BPF_REG_0), R0_EXIT),
    BAD("sk_read_mark_u16", TC, VRF_R_INVALID_MEM, "R0 invalid sock access off=16 size=2",
        SK_LOOKUP(BPF_FUNC_sk_lookup_tcp), IF_NULL_EXIT(BPF_REG_0),
        LDX_MEM(BPF_H, BPF_REG_6, BPF_REG_0, 16), SK_RELEASE(BPF_REG_0), R0_EXIT),
    BAD("sk_read_dst_port_pad", TC, VRF_R_INVALID_MEM, "R0 invalid sock access off=50 size=2",
        SK_LOOKUP(BPF_FUNC_sk_lookup_tcp), IF_NULL_EXIT(BPF_REG_0),
        LDX_MEM(BPF_H, BPF_REG_6, BPF_REG_0, 50), SK_RELEASE(BPF_REG_0), R0_EXIT),
    OK("sk_read_narrow_fields", TC, SK_LOOKUP(BPF_FUNC_sk_lookup_tcp), IF_NULL_EXIT(BPF_REG_0),
       LDX_MEM(BPF_H, BPF_REG_6, BPF_REG_0, 4), LDX_MEM(BPF_B, BPF_REG_6, BPF_REG_0, 27),
       LDX_MEM(BPF_H, BPF_REG_6, BPF_REG_0, 48), LDX_MEM(BPF_W, BPF_REG_6, BPF_REG_0, 48),
       LDX_MEM(BPF_W, BPF_REG_6, BPF_REG_0, 20), SK_RELEASE(BPF_REG_0), R0_EXIT),
    BAD("sk_pointer_arith", TC, VRF_R_PTR_ARITH, "R0 pointer arithmetic on sock prohibited",
        SK_LOOKUP(BPF_FUNC_sk_lookup_tcp), IF_NULL_EXIT(BPF_REG_0),
        ALU64_IMM(BPF_ADD, BPF_REG_0, 4), SK_RELEASE(BPF_REG_0), R0_EXIT),
    BAD("sk_pointer_and", TC, VRF_R_PTR_ARITH, "R0 pointer arithmetic on sock prohibited",
        SK_LOOKUP(BPF_FUNC_sk_lookup_tcp), IF_NULL_EXIT(BPF_REG_0),
        ALU64_IMM(BPF_AND, BPF_REG_0, 4), SK_RELEASE(BPF_REG_0), R0_EXIT),
    BAD("sk_write", TC, VRF_R_INVALID_MEM, "R0 cannot write into sock",
        SK_LOOKUP(BPF_FUNC_sk_lookup_tcp), IF_NULL_EXIT(BPF_REG_0), ST_MEM(BPF_W, BPF_REG_0, 4, 0),
        SK_RELEASE(BPF_REG_0), R0_EXIT),
    BAD("sk_use_after_release", TC, VRF_R_INVALID_MEM, "R6 invalid mem access 'scalar'",
        SK_LOOKUP(BPF_FUNC_skc_lookup_tcp), IF_NULL_EXIT(BPF_REG_0),
        MOV64_REG(BPF_REG_6, BPF_REG_0), SK_RELEASE(BPF_REG_0),
        LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_6, 4), EXIT()),
    BAD("sk_fullsock_cast_released", TC, VRF_R_INVALID_MEM, "R7 invalid mem access 'scalar'",
        SK_LOOKUP(BPF_FUNC_skc_lookup_tcp), IF_NULL_EXIT(BPF_REG_0),
        MOV64_REG(BPF_REG_6, BPF_REG_0), MOV64_REG(BPF_REG_1, BPF_REG_0),
        CALL(BPF_FUNC_sk_fullsock), MOV64_REG(BPF_REG_7, BPF_REG_0), SK_RELEASE(BPF_REG_6),
        JMP_IMM(BPF_JEQ, BPF_REG_7, 0, 1), LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_7, 4), R0_EXIT),
    /* ring buffer and local dynptrs */
    OK("dp_rb_submit", SF, DP_RESERVE(-16, 8), DP_CALL(-16, BPF_FUNC_ringbuf_submit_dynptr),
       R0_EXIT),
    OK("dp_rb_discard_on_failure", SF, DP_RESERVE(-16, 8), JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 6),
       DP_CALL(-16, BPF_FUNC_ringbuf_discard_dynptr), R0_EXIT,
       DP_CALL(-16, BPF_FUNC_ringbuf_submit_dynptr), R0_EXIT),
    BAD("dp_rb_leak", SF, VRF_R_REF_LEAK,
        "BPF_EXIT instruction in main prog would lead to reference leak", DP_RESERVE(-16, 8),
        R0_EXIT),
    BAD("dp_rb_leak_on_failure", SF, VRF_R_REF_LEAK,
        "BPF_EXIT instruction in main prog would lead to reference leak", DP_RESERVE(-16, 8),
        JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 2), R0_EXIT, DP_CALL(-16, BPF_FUNC_ringbuf_submit_dynptr),
        R0_EXIT),
    BAD("dp_discard_uninit", SF, VRF_R_DYNPTR, "arg 1 is an unacquired reference",
        DP_CALL(-16, BPF_FUNC_ringbuf_discard_dynptr), R0_EXIT),
    BAD("dp_from_stack", SF, VRF_R_HELPER_ARG_TYPE,
        "Unsupported reg type fp for bpf_dynptr_from_mem data", DP_FROM_MEM(-8, -32), R0_EXIT),
    BAD("dp_read_uninit", SF, VRF_R_DYNPTR, "Expected an initialized dynptr as arg #2",
        DP_READ(-8, -32), R0_EXIT),
    BAD("dp_read_after_submit", SF, VRF_R_DYNPTR, "Expected an initialized dynptr as arg #2",
        DP_RESERVE(-32, 8), DP_CALL(-32, BPF_FUNC_ringbuf_submit_dynptr),
        ST_MEM(BPF_DW, BPF_REG_10, -8, 0), DP_READ(-8, -32), R0_EXIT),
    BAD("dp_overwrite_reserved", SF, VRF_R_DYNPTR, "cannot overwrite referenced dynptr",
        DP_RESERVE(-16, 8), DP_RESERVE(-16, 8), R0_EXIT),
    BAD("dp_misaligned", SF, VRF_R_DYNPTR, "Dynptr has to be an uninitialized dynptr",
        DP_RESERVE(-20, 8), R0_EXIT),
    BAD("dp_slice_after_submit", SF, VRF_R_INVALID_MEM, "R6 invalid mem access 'scalar'",
        DP_RESERVE(-16, 8), DP_DATA(-16, 8), MOV64_REG(BPF_REG_6, BPF_REG_0),
        DP_CALL(-16, BPF_FUNC_ringbuf_submit_dynptr), JMP_IMM(BPF_JEQ, BPF_REG_6, 0, 1),
        ST_MEM(BPF_DW, BPF_REG_6, 0, 1), R0_EXIT),
    OK("dp_slice_store", SF, DP_RESERVE(-16, 16), DP_DATA(-16, 16),
       JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 1), ST_MEM(BPF_DW, BPF_REG_0, 8, 1),
       DP_CALL(-16, BPF_FUNC_ringbuf_submit_dynptr), R0_EXIT),
    BAD("dp_slice_past_end", SF, VRF_R_MEM_BOUNDS,
        "R0 min value is outside of the allowed memory range", DP_RESERVE(-16, 16), DP_DATA(-16, 8),
        JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 1), ST_MEM(BPF_DW, BPF_REG_0, 8, 1),
        DP_CALL(-16, BPF_FUNC_ringbuf_submit_dynptr), R0_EXIT),
    /* LD_ABS/LD_IND (check_ld_abs): never with a reference held, r6 the context */
    BAD("ld_abs_socket_held", TC, VRF_R_REF_LEAK, "BPF_LD_[ABS|IND] would lead to reference leak",
        MOV64_REG(BPF_REG_6, BPF_REG_1), SK_LOOKUP(BPF_FUNC_sk_lookup_tcp), IF_NULL_EXIT(BPF_REG_0),
        MOV64_REG(BPF_REG_7, BPF_REG_0), LD_ABS_W(12), SK_RELEASE(BPF_REG_7), R0_EXIT),
    OK("ld_abs_after_release", TC, MOV64_REG(BPF_REG_6, BPF_REG_1),
       SK_LOOKUP(BPF_FUNC_sk_lookup_tcp), IF_NULL_EXIT(BPF_REG_0), SK_RELEASE(BPF_REG_0),
       LD_ABS_W(12), R0_EXIT),
    BAD("ld_abs_r0_all_bits_unknown", SF, VRF_R_UNINIT_REG, "R2 !read_ok",
        MOV64_REG(BPF_REG_6, BPF_REG_1), LD_ABS_W(0), JMP_IMM(BPF_JSGT, BPF_REG_0, -5, 1),
        MOV64_REG(BPF_REG_0, BPF_REG_2), R0_EXIT),
    BAD("ld_abs_r6_scalar", TC, VRF_R_LD_ABS_CTX,
        "at the time of BPF_LD_ABS|IND R6 != pointer to skb", MOV64_IMM(BPF_REG_6, 7), LD_ABS_W(12),
        R0_EXIT),
    BAD("ld_ind_r6_stack", SF, VRF_R_LD_ABS_CTX,
        "at the time of BPF_LD_ABS|IND R6 != pointer to skb", MOV64_REG(BPF_REG_6, BPF_REG_10),
        MOV64_IMM(BPF_REG_7, 2), I_RAW(BPF_LD | BPF_IND | BPF_B, 0, BPF_REG_7, 0, 4), R0_EXIT),
};

const size_t refs_ncases = sizeof(refs_cases) / sizeof(refs_cases[0]);

struct vrf_options refs_case_options(const struct refs_case *c)
{
	struct vrf_options o = {.prog_type = c->prog_type};

	return o;
}

void refs_case_insns(const struct refs_case *c, int map_fd, int prog_array_fd, struct bpf_insn *buf)
{
	size_t i;

	memcpy(buf, c->insns, c->n * sizeof(*buf));
	for (i = 0; i < c->n; i++)
		if (buf[i].code == (BPF_LD | BPF_DW | BPF_IMM) &&
		    buf[i].src_reg == BPF_PSEUDO_MAP_FD)
			buf[i].imm = buf[i].imm ? prog_array_fd : map_fd;
}
