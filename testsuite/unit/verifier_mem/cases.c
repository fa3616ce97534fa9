/*
 * cases.c - the memory-rule test programs (see cases.h): context loads and stores per
 * program type, the unmodified-ctx-pointer rule, atomics on the context, and the register
 * types context fields give.  Near-misses that must load sit next to the programs that
 * must not.
 */
#include "cases.h"

#include "../verifier_engine/insn_build.h"

#define LD_MAP_VALUE(d, o)                                                                         \
	I_RAW(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_MAP_VALUE, 0, 0), I_RAW(0, 0, 0, 0, o)
#define ATOMIC_ADD(sz, d, s, o) I_RAW(BPF_STX | BPF_ATOMIC | (sz), d, s, o, BPF_ADD)

#define PROG(...)                                                                                  \
	.insns = (const struct bpf_insn[]){__VA_ARGS__},                                           \
	.n = sizeof((const struct bpf_insn[]){__VA_ARGS__}) / sizeof(struct bpf_insn)
/* A program of type t (attach a) the kernel loads / refuses with rule r and message m. */
#define OK(nm, t, a, ...)                                                                          \
	{                                                                                          \
		.name = nm, .prog_type = t, .attach_type = a, .ok = true, PROG(__VA_ARGS__)        \
	}
#define BAD(nm, t, a, r, m, ...)                                                                   \
	{                                                                                          \
		.name = nm, .prog_type = t, .attach_type = a, .rule = r, .kmsg = m,                \
		PROG(__VA_ARGS__)                                                                  \
	}
#define SF      BPF_PROG_TYPE_SOCKET_FILTER
#define TC      BPF_PROG_TYPE_SCHED_CLS
#define XDP     BPF_PROG_TYPE_XDP
#define KPROBE  BPF_PROG_TYPE_KPROBE
#define NONE    (-1)
#define R0_EXIT MOV64_IMM(BPF_REG_0, 0), EXIT()
/* A socket filter using the test map that the kernel loads / refuses with message m. */
#define MAPOK(nm, ...)                                                                             \
	{                                                                                          \
		.name = nm, .prog_type = SF, .attach_type = NONE, .ok = true, .uses_map = true,    \
		PROG(__VA_ARGS__)                                                                  \
	}
#define MAPBAD(nm, m, ...)                                                                         \
	{                                                                                          \
		.name = nm, .prog_type = SF, .attach_type = NONE, .rule = VRF_R_MAP_VALUE_BOUNDS,  \
		.kmsg = m, .uses_map = true, PROG(__VA_ARGS__)                                     \
	}

/* Maps of other kinds than the default array (4-byte keys, 16-byte values). */
static const struct mem_map_spec hash16 = {BPF_MAP_TYPE_HASH, MEM_MAP_VALUE_SIZE, 1, 0};
static const struct mem_map_spec array4 = {BPF_MAP_TYPE_ARRAY, MEM_MAP_VALUE_SIZE, 4, 0};
static const struct mem_map_spec percpu4 = {BPF_MAP_TYPE_PERCPU_ARRAY, MEM_MAP_VALUE_SIZE, 4, 0};
static const struct mem_map_spec rdonly = {BPF_MAP_TYPE_ARRAY, MEM_MAP_VALUE_SIZE, 1,
                                           BPF_F_RDONLY_PROG};
static const struct mem_map_spec wronly = {BPF_MAP_TYPE_ARRAY, MEM_MAP_VALUE_SIZE, 1,
                                           BPF_F_WRONLY_PROG};

#define LD_MAP(d) I_RAW(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_MAP_FD, 0, 0), I_RAW(0, 0, 0, 0, 0)
/* r0 = bpf_map_lookup_elem(&map, fp + o) */
#define LOOKUP_AT(o)                                                                               \
	MOV64_REG(BPF_REG_2, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_2, o), LD_MAP(BPF_REG_1),     \
	    CALL(BPF_FUNC_map_lookup_elem)
/* r0 = NULL-checked lookup of key 0 at fp-4 (returns 0 when NULL) */
#define LOOKUP_CHECKED                                                                             \
	ST_MEM(BPF_W, BPF_REG_10, -4, 0), LOOKUP_AT(-4), JMP_IMM(BPF_JNE, BPF_REG_0, 0, 1), EXIT()
/* bpf_skb_load_bytes(r6 = skb, 0, r3 as set up, len) */
#define SKB_LOAD(len)                                                                              \
	MOV64_REG(BPF_REG_1, BPF_REG_6), MOV64_IMM(BPF_REG_2, 0), MOV64_IMM(BPF_REG_4, len),       \
	    CALL(BPF_FUNC_skb_load_bytes)
/* A socket filter using map mp that the kernel loads, or refuses with rule r and message m. */
#define MOK(nm, mp, ...)                                                                           \
	{                                                                                          \
		.name = nm, .prog_type = SF, .attach_type = NONE, .ok = true, .map = &mp,          \
		PROG(__VA_ARGS__)                                                                  \
	}
#define MBAD(nm, mp, r, m, ...)                                                                    \
	{                                                                                          \
		.name = nm, .prog_type = SF, .attach_type = NONE, .rule = r, .kmsg = m,            \
		.map = &mp, PROG(__VA_ARGS__)                                                      \
	}

const struct mem_case mem_cases[] = {
    /* context reads and writes, socket filter (struct __sk_buff) */
    OK("sf_read_len", SF, NONE, LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, 0), EXIT()),
    OK("sf_read_len_byte", SF, NONE, LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_1, 3), EXIT()),
    BAD("sf_read_past_end", SF, NONE, VRF_R_CTX_ACCESS,
        "invalid bpf_context access off=1000 size=4", LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, 1000),
        EXIT()),
    BAD("sf_read_misaligned", SF, NONE, VRF_R_CTX_ACCESS, "invalid bpf_context access off=2 size=4",
        LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, 2), EXIT()),
    BAD("sf_read_wide", SF, NONE, VRF_R_CTX_ACCESS, "invalid bpf_context access off=0 size=8",
        LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 0), EXIT()),
    BAD("sf_write_len", SF, NONE, VRF_R_CTX_ACCESS, "invalid bpf_context access off=0 size=4",
        MOV64_IMM(BPF_REG_2, 1), STX_MEM(BPF_W, BPF_REG_1, BPF_REG_2, 0), R0_EXIT),
    OK("sf_write_cb", SF, NONE, MOV64_IMM(BPF_REG_2, 1), STX_MEM(BPF_W, BPF_REG_1, BPF_REG_2, 48),
       R0_EXIT),
    OK("sf_st_cb", SF, NONE, ST_MEM(BPF_W, BPF_REG_1, 52, 7), R0_EXIT),
    BAD("sf_st_mark", SF, NONE, VRF_R_CTX_ACCESS, "invalid bpf_context access off=8 size=4",
        ST_MEM(BPF_W, BPF_REG_1, 8, 7), R0_EXIT),
    /* the pointer must be the unmodified r1 */
    BAD("ctx_modified", SF, NONE, VRF_R_CTX_PTR_OFFSET,
        "dereference of modified ctx ptr R1 off=4 disallowed", ALU64_IMM(BPF_ADD, BPF_REG_1, 4),
        LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, 0), EXIT()),
    BAD("ctx_modified_back", SF, NONE, VRF_R_CTX_PTR_OFFSET,
        "dereference of modified ctx ptr R1 off=4 disallowed", ALU64_IMM(BPF_ADD, BPF_REG_1, 4),
        LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, -4), EXIT()),
    OK("ctx_moved_and_restored", SF, NONE, ALU64_IMM(BPF_ADD, BPF_REG_1, 4),
       ALU64_IMM(BPF_SUB, BPF_REG_1, 4), LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, 0), EXIT()),
    BAD("ctx_negative", SF, NONE, VRF_R_CTX_PTR_OFFSET,
        "negative offset ctx ptr R1 off=-4 disallowed", ALU64_IMM(BPF_ADD, BPF_REG_1, -4),
        LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, 4), EXIT()),
    BAD("ctx_variable", SF, NONE, VRF_R_CTX_PTR_OFFSET,
        "variable ctx access var_off=(0x0; 0x4) disallowed", MOV64_REG(BPF_REG_6, BPF_REG_1),
        CALL(BPF_FUNC_get_prandom_u32), ALU64_IMM(BPF_AND, BPF_REG_0, 4),
        ALU64_REG(BPF_ADD, BPF_REG_6, BPF_REG_0), LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_6, 0), EXIT()),
    BAD("ctx_atomic", SF, NONE, VRF_R_ATOMIC_PTR, "BPF_ATOMIC stores into R1 ctx is not allowed",
        MOV64_IMM(BPF_REG_2, 1), ATOMIC_ADD(BPF_W, BPF_REG_1, BPF_REG_2, 48), R0_EXIT),
    /* what a field gives: scalars zero-extended by the access size, packet pointers */
    OK("sf_u16_bounded", SF, NONE, LDX_MEM(BPF_H, BPF_REG_0, BPF_REG_1, 0),
       JMP_IMM(BPF_JLE, BPF_REG_0, 0xffff, 1), LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_0, 0), R0_EXIT),
    BAD("tc_len_is_scalar", TC, NONE, VRF_R_INVALID_MEM, "R2 invalid mem access 'scalar'",
        LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, 0), LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_2, 0), R0_EXIT),
    BAD("tc_data_is_pkt", TC, NONE, VRF_R_PTR_ARITH, "R2 bitwise operator &= on pointer prohibited",
        LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, 76), ALU64_IMM(BPF_AND, BPF_REG_2, 1), R0_EXIT),
    BAD("tc_data_end_is_pkt_end", TC, NONE, VRF_R_PTR_ARITH,
        "R2 pointer arithmetic on pkt_end prohibited", LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, 80),
        ALU64_IMM(BPF_ADD, BPF_REG_2, 1), R0_EXIT),
    OK("tc_data_plus_const", TC, NONE, LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, 76),
       ALU64_IMM(BPF_ADD, BPF_REG_2, 14), R0_EXIT),
    BAD("tc_atomic_ctx", TC, NONE, VRF_R_ATOMIC_PTR, "BPF_ATOMIC stores into R1 ctx is not allowed",
        MOV64_IMM(BPF_REG_2, 1), ATOMIC_ADD(BPF_DW, BPF_REG_1, BPF_REG_2, 48), R0_EXIT),
    /* XDP (struct xdp_md), loaded with expected_attach_type BPF_XDP */
    OK("xdp_read_data", XDP, BPF_XDP, LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, 0),
       LDX_MEM(BPF_W, BPF_REG_3, BPF_REG_1, 4), MOV64_IMM(BPF_REG_0, 2), EXIT()),
    BAD("xdp_data_wide", XDP, BPF_XDP, VRF_R_CTX_ACCESS, "invalid bpf_context access off=0 size=8",
        LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_1, 0), MOV64_IMM(BPF_REG_0, 2), EXIT()),
    BAD("xdp_data_shift", XDP, BPF_XDP, VRF_R_PTR_ARITH,
        "R2 pointer arithmetic with <<= operator prohibited",
        LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, 0), ALU64_IMM(BPF_LSH, BPF_REG_2, 1),
        MOV64_IMM(BPF_REG_0, 2), EXIT()),
    BAD("xdp_write_data", XDP, BPF_XDP, VRF_R_CTX_ACCESS, "invalid bpf_context access off=0 size=4",
        ST_MEM(BPF_W, BPF_REG_1, 0, 0), MOV64_IMM(BPF_REG_0, 2), EXIT()),
    /* kprobe (struct pt_regs) */
    OK("kprobe_read_reg", KPROBE, NONE, LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 8), R0_EXIT),
    BAD("kprobe_read_past_regs", KPROBE, NONE, VRF_R_CTX_ACCESS,
        "invalid bpf_context access off=1000 size=8", LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 1000),
        R0_EXIT),
    BAD("kprobe_write_reg", KPROBE, NONE, VRF_R_CTX_ACCESS,
        "invalid bpf_context access off=8 size=8", ST_MEM(BPF_DW, BPF_REG_1, 8, 0), R0_EXIT),
    /* map values (global data: an ld_imm64 of the value), 16 bytes */
    MAPOK("map_value_last_word", LD_MAP_VALUE(BPF_REG_1, 0),
          LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 8), EXIT()),
    MAPOK("map_value_insn_off", LD_MAP_VALUE(BPF_REG_1, 8), LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, 4),
          EXIT()),
    MAPBAD("map_value_past_end", "R1 min value is outside of the allowed memory range",
           LD_MAP_VALUE(BPF_REG_1, 0), LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 12), EXIT()),
    MAPBAD("map_value_ld_off_past_end", "R1 min value is outside of the allowed memory range",
           LD_MAP_VALUE(BPF_REG_1, 12), ST_MEM(BPF_W, BPF_REG_1, 4, 0), R0_EXIT),
    MAPBAD("map_value_before_start", "R1 min value is outside of the allowed memory range",
           LD_MAP_VALUE(BPF_REG_1, 0), ALU64_IMM(BPF_ADD, BPF_REG_1, -8),
           LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 0), EXIT()),
    MAPOK("map_value_var_ok", LD_MAP_VALUE(BPF_REG_6, 0), CALL(BPF_FUNC_get_prandom_u32),
          ALU64_IMM(BPF_AND, BPF_REG_0, 7), ALU64_REG(BPF_ADD, BPF_REG_6, BPF_REG_0),
          LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_6, 0), EXIT()),
    MAPBAD("map_value_var_max", "R6 max value is outside of the allowed memory range",
           LD_MAP_VALUE(BPF_REG_6, 0), CALL(BPF_FUNC_get_prandom_u32),
           ALU64_IMM(BPF_AND, BPF_REG_0, 15), ALU64_REG(BPF_ADD, BPF_REG_6, BPF_REG_0),
           LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_6, 0), EXIT()),
    MAPBAD("map_value_var_unbounded",
           "R6 unbounded memory access, make sure to bounds check any such access",
           LD_MAP_VALUE(BPF_REG_6, 0), CALL(BPF_FUNC_get_prandom_u32),
           I_RAW(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_0, BPF_REG_0, 0, 0),
           ALU64_REG(BPF_ADD, BPF_REG_6, BPF_REG_0), LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_6, 0),
           EXIT()),
    MAPBAD("map_value_var_negative",
           "R6 min value is negative, either use unsigned index or do a if (index >=0) check.",
           LD_MAP_VALUE(BPF_REG_6, 0), CALL(BPF_FUNC_get_prandom_u32),
           ALU64_IMM(BPF_AND, BPF_REG_0, 7), ALU64_IMM(BPF_SUB, BPF_REG_0, 4),
           ALU64_REG(BPF_ADD, BPF_REG_6, BPF_REG_0), LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_6, 0),
           EXIT()),
    /* a frozen read-only map (.rodata): loads at constant offsets are constants */
    {.name = "rodata_const_branch",
     .prog_type = SF,
     .attach_type = NONE,
     .ok = true,
     .uses_map = true,
     .frozen = true,
     PROG(LD_MAP_VALUE(BPF_REG_1, 0), LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, 0),
          JMP_IMM(BPF_JEQ, BPF_REG_2, 7, 1), LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_2, 0), R0_EXIT)},
    {.name = "rodata_const_byte",
     .prog_type = SF,
     .attach_type = NONE,
     .ok = true,
     .uses_map = true,
     .frozen = true,
     PROG(LD_MAP_VALUE(BPF_REG_1, 4), LDX_MEM(BPF_B, BPF_REG_2, BPF_REG_1, 4),
          JMP_IMM(BPF_JEQ, BPF_REG_2, 0xff, 1), LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_2, 0), R0_EXIT)},
    {.name = "writable_map_not_const",
     .prog_type = SF,
     .attach_type = NONE,
     .rule = VRF_R_INVALID_MEM,
     .kmsg = "R2 invalid mem access 'scalar'",
     .uses_map = true,
     PROG(LD_MAP_VALUE(BPF_REG_1, 0), LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, 0),
          JMP_IMM(BPF_JEQ, BPF_REG_2, 7, 1), LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_2, 0), R0_EXIT)},
    /* lookups: NULL until checked, except an array lookup with a known key in range */
    MBAD("lookup_hash_unchecked", hash16, VRF_R_NULL_DEREF,
         "R0 invalid mem access 'map_value_or_null'", ST_MEM(BPF_W, BPF_REG_10, -4, 0),
         LOOKUP_AT(-4), LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_0, 0), EXIT()),
    MOK("lookup_hash_checked", hash16, ST_MEM(BPF_W, BPF_REG_10, -4, 0), LOOKUP_AT(-4),
        JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 1), LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_0, 0), EXIT()),
    MOK("lookup_array_zero_key", array4, ST_MEM(BPF_W, BPF_REG_10, -4, 0), LOOKUP_AT(-4),
        LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_0, 8), EXIT()),
    MOK("lookup_percpu_array_zero_key", percpu4, ST_MEM(BPF_W, BPF_REG_10, -4, 0), LOOKUP_AT(-4),
        LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_0, 8), EXIT()),
    MOK("lookup_array_spilled_key_last", array4, MOV64_IMM(BPF_REG_1, 3),
        STX_MEM(BPF_W, BPF_REG_10, BPF_REG_1, -8), LOOKUP_AT(-8),
        LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_0, 0), EXIT()),
    MBAD("lookup_array_spilled_key_past_end", array4, VRF_R_NULL_DEREF,
         "R0 invalid mem access 'map_value_or_null'", MOV64_IMM(BPF_REG_1, 4),
         STX_MEM(BPF_W, BPF_REG_10, BPF_REG_1, -8), LOOKUP_AT(-8),
         LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_0, 0), EXIT()),
    MOK("lookup_array_st_key_aligned", array4, ST_MEM(BPF_W, BPF_REG_10, -8, 2), LOOKUP_AT(-8),
        LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_0, 0), EXIT()),
    MBAD("lookup_array_st_key_unaligned", array4, VRF_R_NULL_DEREF,
         "R0 invalid mem access 'map_value_or_null'", ST_MEM(BPF_W, BPF_REG_10, -4, 2),
         LOOKUP_AT(-4), LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_0, 0), EXIT()),
    MBAD("lookup_array_wide_spilled_key", array4, VRF_R_NULL_DEREF,
         "R0 invalid mem access 'map_value_or_null'", MOV64_IMM(BPF_REG_1, 1),
         STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -8), LOOKUP_AT(-8),
         LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_0, 0), EXIT()),
    MBAD("lookup_array_unknown_key", array4, VRF_R_NULL_DEREF,
         "R0 invalid mem access 'map_value_or_null'", CALL(BPF_FUNC_get_prandom_u32),
         ALU64_IMM(BPF_AND, BPF_REG_0, 3), STX_MEM(BPF_W, BPF_REG_10, BPF_REG_0, -8), LOOKUP_AT(-8),
         LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_0, 0), EXIT()),
    MBAD("lookup_array_key_overwritten_by_helper", array4, VRF_R_NULL_DEREF,
         "R0 invalid mem access 'map_value_or_null'", MOV64_REG(BPF_REG_6, BPF_REG_1),
         ST_MEM(BPF_W, BPF_REG_10, -8, 0), MOV64_REG(BPF_REG_3, BPF_REG_10),
         ALU64_IMM(BPF_ADD, BPF_REG_3, -8), SKB_LOAD(4), LOOKUP_AT(-8),
         LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_0, 0), EXIT()),
    /* the value behind a lookup: value_size bytes, read-only / write-only maps */
    MBAD("lookup_value_past_end", hash16, VRF_R_MAP_VALUE_BOUNDS,
         "R0 min value is outside of the allowed memory range", LOOKUP_CHECKED,
         LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_0, 12), EXIT()),
    MBAD("lookup_rdonly_store", rdonly, VRF_R_MAP_ACCESS_TYPE,
         "write into map forbidden, value_size=16 off=4 size=4", LOOKUP_CHECKED,
         ST_MEM(BPF_W, BPF_REG_0, 4, 1), R0_EXIT),
    MOK("lookup_rdonly_load", rdonly, LOOKUP_CHECKED, LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_0, 4),
        EXIT()),
    MBAD("lookup_wronly_load", wronly, VRF_R_MAP_ACCESS_TYPE,
         "read from map forbidden, value_size=16 off=0 size=4", LOOKUP_CHECKED,
         LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_0, 0), EXIT()),
    MOK("lookup_wronly_store", wronly, LOOKUP_CHECKED, ST_MEM(BPF_DW, BPF_REG_0, 8, 1), R0_EXIT),
    /* helper memory arguments on the stack */
    MBAD("helper_write_past_frame", hash16, VRF_R_STACK_PAST_FP,
         "invalid write to stack R3 off=-8 size=16", MOV64_REG(BPF_REG_6, BPF_REG_1),
         MOV64_REG(BPF_REG_3, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_3, -8), SKB_LOAD(16),
         R0_EXIT),
    MBAD("helper_write_below_frame", hash16, VRF_R_STACK_BOUNDS,
         "invalid write to stack R3 off=-520 size=8", MOV64_REG(BPF_REG_6, BPF_REG_1),
         MOV64_REG(BPF_REG_3, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_3, -520), SKB_LOAD(8),
         R0_EXIT),
    MOK("helper_write_fits", hash16, MOV64_REG(BPF_REG_6, BPF_REG_1),
        MOV64_REG(BPF_REG_3, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_3, -8), SKB_LOAD(8),
        LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_10, -8), EXIT()),
    MBAD("helper_key_past_frame_top", hash16, VRF_R_STACK_PAST_FP,
         "invalid read from stack R2 off=-2 size=4", LOOKUP_AT(-2), R0_EXIT),
    MBAD("helper_value_short_stack", hash16, VRF_R_STACK_PAST_FP,
         "invalid read from stack R3 off=-8 size=16", ST_MEM(BPF_DW, BPF_REG_10, -8, 0),
         LD_MAP(BPF_REG_1), MOV64_REG(BPF_REG_2, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_2, -8),
         MOV64_REG(BPF_REG_3, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_3, -8),
         MOV64_IMM(BPF_REG_4, 0), CALL(BPF_FUNC_map_update_elem), R0_EXIT),
    MBAD("helper_clobbers_spilled_ptr", hash16, VRF_R_INVALID_MEM, "R1 invalid mem access 'scalar'",
         MOV64_REG(BPF_REG_6, BPF_REG_1), STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -8),
         MOV64_REG(BPF_REG_3, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_3, -8), SKB_LOAD(8),
         LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_10, -8), LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, 0),
         EXIT()),
    MOK("helper_stack_var_off_fits", hash16, MOV64_REG(BPF_REG_6, BPF_REG_1),
        CALL(BPF_FUNC_get_prandom_u32), ALU64_IMM(BPF_AND, BPF_REG_0, 8),
        MOV64_REG(BPF_REG_3, BPF_REG_10), ALU64_IMM(BPF_ADD, BPF_REG_3, -16),
        ALU64_REG(BPF_ADD, BPF_REG_3, BPF_REG_0), SKB_LOAD(8), R0_EXIT),
    MBAD("helper_stack_var_off_past", hash16, VRF_R_STACK_PAST_FP,
         "invalid variable-offset write to stack R3 var_off=(0x0; 0x10) off=-16 size=8",
         MOV64_REG(BPF_REG_6, BPF_REG_1), CALL(BPF_FUNC_get_prandom_u32),
         ALU64_IMM(BPF_AND, BPF_REG_0, 16), MOV64_REG(BPF_REG_3, BPF_REG_10),
         ALU64_IMM(BPF_ADD, BPF_REG_3, -16), ALU64_REG(BPF_ADD, BPF_REG_3, BPF_REG_0), SKB_LOAD(8),
         R0_EXIT),
    /* helper memory arguments in map values */
    MBAD("helper_map_value_too_long", hash16, VRF_R_MAP_VALUE_BOUNDS,
         "R3 min value is outside of the allowed memory range", MOV64_REG(BPF_REG_6, BPF_REG_1),
         LOOKUP_CHECKED, MOV64_REG(BPF_REG_3, BPF_REG_0), SKB_LOAD(32), R0_EXIT),
    MOK("helper_map_value_tail", hash16, MOV64_REG(BPF_REG_6, BPF_REG_1), LOOKUP_CHECKED,
        MOV64_REG(BPF_REG_3, BPF_REG_0), ALU64_IMM(BPF_ADD, BPF_REG_3, 8), SKB_LOAD(8), R0_EXIT),
    MBAD("helper_rdonly_value_write", rdonly, VRF_R_MAP_ACCESS_TYPE,
         "write into map forbidden, value_size=16 off=0 size=8", MOV64_REG(BPF_REG_6, BPF_REG_1),
         LOOKUP_CHECKED, MOV64_REG(BPF_REG_3, BPF_REG_0), SKB_LOAD(8), R0_EXIT),
};

const size_t mem_ncases = sizeof(mem_cases) / sizeof(mem_cases[0]);

const unsigned char mem_frozen_value[MEM_MAP_VALUE_SIZE] = {7, 0, 0, 0, 0, 0, 0, 0, 0xff};

struct mem_map_spec mem_case_map(const struct mem_case *c)
{
	if (c->map)
		return *c->map;
	return (struct mem_map_spec){.type = BPF_MAP_TYPE_ARRAY,
	                             .value_size = MEM_MAP_VALUE_SIZE,
	                             .max_entries = 1,
	                             .map_flags = c->frozen ? BPF_F_RDONLY_PROG : 0};
}

/* Every map reference names the test map (ctx: the case). */
static int test_map_info(void *ctx, uint8_t src_reg, int32_t imm, struct vrf_map_info *out)
{
	const struct mem_case *c = ctx;
	struct mem_map_spec ms = mem_case_map(c);

	(void)src_reg;
	(void)imm;
	*out = (struct vrf_map_info){.type = ms.type,
	                             .key_size = 4,
	                             .value_size = ms.value_size,
	                             .max_entries = ms.max_entries,
	                             .map_flags = ms.map_flags,
	                             .frozen_value = c->frozen ? mem_frozen_value : NULL};
	return 0;
}

void mem_case_insns(const struct mem_case *c, int map_fd, struct bpf_insn *buf)
{
	for (size_t i = 0; i < c->n; i++) {
		buf[i] = c->insns[i];
		if (buf[i].code == (BPF_LD | BPF_DW | BPF_IMM) && buf[i].src_reg)
			buf[i].imm = map_fd;
	}
}

struct vrf_options mem_case_options(const struct mem_case *c)
{
	struct vrf_options o = {.prog_type = c->prog_type};

	if (c->uses_map || c->map) {
		o.map_info_fn = test_map_info;
		o.map_info_ctx = (void *)c;
	}

	if (c->attach_type >= 0) {
		o.flags |= VRF_F_ATTACH_TYPE;
		o.expected_attach_type = c->attach_type;
	}
	return o;
}
