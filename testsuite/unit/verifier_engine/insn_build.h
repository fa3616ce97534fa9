/*
 * insn_build.h - compact constructors for raw BPF instructions in the engine tests.
 *
 * Same encodings as the kernel's BPF_* instruction macros (include/linux/filter.h), under
 * names of our own so that tests read as assembly listings.
 */
#ifndef BPFCC_TEST_INSN_BUILD_H
#define BPFCC_TEST_INSN_BUILD_H

#include <linux/bpf.h>

/* A brace initializer: usable in static arrays; (struct bpf_insn)X(...) for assignments. */
#define I_RAW(c, d, s, o, i)                                                                       \
	{                                                                                          \
		.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)                \
	}
#define MOV64_IMM(d, i)        I_RAW(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define MOV32_IMM(d, i)        I_RAW(BPF_ALU | BPF_MOV | BPF_K, d, 0, 0, i)
#define MOV64_REG(d, s)        I_RAW(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define ALU64_IMM(op, d, i)    I_RAW(BPF_ALU64 | (op) | BPF_K, d, 0, 0, i)
#define ALU64_REG(op, d, s)    I_RAW(BPF_ALU64 | (op) | BPF_X, d, s, 0, 0)
#define ALU32_IMM(op, d, i)    I_RAW(BPF_ALU | (op) | BPF_K, d, 0, 0, i)
#define LDX_MEM(sz, d, s, o)   I_RAW(BPF_LDX | BPF_MEM | (sz), d, s, o, 0)
#define STX_MEM(sz, d, s, o)   I_RAW(BPF_STX | BPF_MEM | (sz), d, s, o, 0)
#define ST_MEM(sz, d, o, i)    I_RAW(BPF_ST | BPF_MEM | (sz), d, 0, o, i)
#define JMP_IMM(op, d, i, o)   I_RAW(BPF_JMP | (op) | BPF_K, d, 0, o, i)
#define JMP_REG(op, d, s, o)   I_RAW(BPF_JMP | (op) | BPF_X, d, s, o, 0)
#define JMP32_IMM(op, d, i, o) I_RAW(BPF_JMP32 | (op) | BPF_K, d, 0, o, i)
#define JA(o)                  I_RAW(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define CALL(id)               I_RAW(BPF_JMP | BPF_CALL, 0, 0, 0, id)
#define CALL_PSEUDO(rel)       I_RAW(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, rel)
#define EXIT()                 I_RAW(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define MAY_GOTO(o)            I_RAW(BPF_JMP | 0xe0, 0, 0, o, 0)

#endif
