/*
 * insn.h - decoding, classifying and printing one BPF instruction, and the kernel's
 * per-instruction field checks.
 *
 * The encoding is the kernel's struct bpf_insn (8 bytes; ld_imm64 takes two).  The ISA
 * covered is everything up to cpu v4 plus what kernel 6.18 accepts: sdiv/smod (off 1),
 * movsx (off 8/16/32), bswap (ALU64|END), sign-extending loads (BPF_MEMSX), gotol
 * (JMP32|JA, target in imm), atomics incl. fetch/xchg/cmpxchg and load-acquire /
 * store-release, may_goto (JMP|JCOND), ld_imm64 pseudo forms, helper / bpf-to-bpf /
 * kfunc calls.  The system's <linux/bpf.h> may predate some of these: the constants are
 * defined here when missing.
 */
#ifndef BPFCC_VERIFIER_INSN_H
#define BPFCC_VERIFIER_INSN_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verifier/verifier.h"

#ifndef BPF_MEMSX
#define BPF_MEMSX 0x80
#endif
#ifndef BPF_JCOND
#define BPF_JCOND 0xe0
#endif
#define INSN_MAY_GOTO        0     /* src_reg of JMP|JCOND */
#define INSN_LOAD_ACQ        0x100 /* BPF_LOAD_ACQ: atomic imm */
#define INSN_STORE_REL       0x110 /* BPF_STORE_REL */
#define INSN_ADDR_SPACE_CAST 1     /* off of ALU64|MOV|X */
#define INSN_NREGS           11    /* MAX_BPF_REG: r0..r10 */
#define INSN_REG_FP          10

/* A finding about the program, before it becomes a diagnostic. */
struct vrf_fault {
	enum vrf_rule rule;
	int insn;         /* instruction index, -1 if none */
	char kmsg[128];   /* the kernel's log line, "" if it logs nothing */
	char detail[160]; /* bpfcc's plain-language message */
};

/* Records a fault; always returns -EINVAL so callers can `return vrf_fault_set(...)`. */
int vrf_fault_set(struct vrf_fault *f, enum vrf_rule rule, int insn, const char *kmsg,
                  const char *detail);

/* The kernel's table of opcodes it knows (bpf_opcode_in_insntable()). */
bool insn_opcode_known(uint8_t code);

/* ld_imm64 (LD|IMM|DW): occupies this slot and the next. */
bool insn_is_ldimm64(const struct bpf_insn *insn);
/* JMP|CALL with src_reg BPF_PSEUDO_CALL: a bpf-to-bpf call, target idx + imm + 1. */
bool insn_is_pseudo_call(const struct bpf_insn *insn);
/* ld_imm64 with src_reg BPF_PSEUDO_FUNC: a callback address, target idx + imm + 1. */
bool insn_is_pseudo_func(const struct bpf_insn *insn);
/* JMP|CALL with src_reg BPF_PSEUDO_KFUNC_CALL. */
bool insn_is_kfunc_call(const struct bpf_insn *insn);
/* JMP|CALL with src_reg 0: a helper call, imm = helper id. */
bool insn_is_helper_call(const struct bpf_insn *insn);
/* A JMP/JMP32 instruction with a pc-relative target (everything but CALL and EXIT). */
bool insn_is_jump(const struct bpf_insn *insn);
/* Unconditional: JMP|JA (off) or JMP32|JA (gotol, imm). */
bool insn_is_goto(const struct bpf_insn *insn);
/* JMP|EXIT. */
bool insn_is_exit(const struct bpf_insn *insn);
/* Target of a jump at `idx` (idx + off + 1, or idx + imm + 1 for gotol); may be out of
 * range, hence the wide type. */
long insn_jump_target(const struct bpf_insn *insn, size_t idx);
/* Target of a pseudo call or pseudo func at `idx`: idx + imm + 1. */
long insn_call_target(const struct bpf_insn *insn, size_t idx);

/* Things the field checks need to know about the program. */
struct insn_env {
	enum bpf_prog_type prog_type;
	unsigned flags; /* enum vrf_flags */
};

/*
 * The checks do_check() makes on one instruction's fields before it looks at register
 * values, in the kernel's order (reserved fields, register numbers, writes to r10,
 * division by a zero constant, shift amounts, atomic opcodes, ...).  `insn` at index `idx`;
 * for ld_imm64 the caller guarantees the second slot exists.  Returns 0 or -EINVAL with
 * *fault filled.
 */
int insn_check_fields(const struct bpf_insn *insn, int idx, const struct insn_env *env,
                      struct vrf_fault *fault);

enum insn_print_flags {
	INSN_PRINT_CODE = 1u << 0, /* prefix "(61) " as the kernel's log does */
};

/*
 * Writes instruction `idx` of insns[0..n) in the kernel verifier log's syntax
 * ("r1 = *(u32 *)(r2 +4)", "if r1 > 0x10 goto pc+3", "r0 = atomic64_fetch_add(...)").
 * Helpers print as "call #<id>" (names come from a later table).  Returns the length
 * snprintf would have written, or -EINVAL when idx is out of range.
 */
int insn_print(const struct bpf_insn *insns, size_t n, size_t idx, unsigned flags, char *buf,
               size_t len);

/* The structural phase's explanation and hint of `rule` (structure.c), NULL when none;
 * vrf_rule_text() asks the exploration's table first. */
void structure_rule_text(enum vrf_rule rule, const char **explanation, const char **hint);

#endif
