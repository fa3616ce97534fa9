/*
 * domain_gen.h - small-width generators and brute-force semantics for the value-domain
 * tests: every tnum whose unknown bits sit at a few chosen bit positions, scalar states
 * built from those tnums and from ranges between their members (synced as the kernel's
 * reg_bounds_sync would), the concrete members of a state, and the concrete result of
 * every BPF ALU, END, MOV and conditional-jump operation (the instruction set's
 * semantics: division by 0 gives 0, modulo by 0 keeps the dividend, alu32 zero-extends).
 */
#ifndef BPFCC_TEST_DOMAIN_GEN_H
#define BPFCC_TEST_DOMAIN_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verifier/scalar.h"

/* Where the abstract bits of a small tnum live; bits outside pos are the known `fixed`. */
struct dom_layout {
	uint8_t nbits;
	uint8_t pos[6];
	uint64_t fixed;
};

/* The layouts the tests use: low bits, sign bits of 32 and 64, upper half, known ones. */
extern const struct dom_layout dom_layouts[];
extern const size_t dom_layout_count;

/* 3^nbits: how many tnums a layout has. */
unsigned dom_tnum_count(const struct dom_layout *l);
/* The idx-th tnum of a layout (each abstract bit 0, 1 or unknown). */
struct tnum dom_tnum(const struct dom_layout *l, unsigned idx);
/* Members of t, at most max (t.mask must have few bits); returns how many. */
size_t dom_tnum_members(struct tnum t, uint64_t *out, size_t max);

/* The concrete values a scalar state allows, found among the members of its tnum. */
size_t dom_scalar_members(const struct scalar *s, uint64_t *out, size_t max);

/* Scalar states over all layouts with at most `maxbits` unknown bits; caller frees. */
struct scalar *dom_states(unsigned maxbits, size_t *count);

/* Deterministic pseudo-random numbers (xorshift64*). */
uint64_t dom_rand(uint64_t *state);

/* Concrete results. */
uint64_t dom_alu(uint8_t op, uint64_t a, uint64_t b, bool alu32);
uint64_t dom_end(uint64_t a, bool alu64, bool to_be, int imm);
uint64_t dom_mov(uint64_t a, bool alu32, uint8_t sx_bits);
bool dom_cond(uint8_t jmp_op, uint64_t a, uint64_t b, bool is32);

/* Name of an ALU or JMP operation for messages. */
const char *dom_alu_name(uint8_t op);
const char *dom_jmp_name(uint8_t op);

/*
 * The invariants every synced state must hold: ordered ranges, constant tnums matching,
 * and ranges inside what the tnum allows.  Writes a reason into why on failure.
 */
bool dom_consistent(const struct scalar *s, char *why, size_t why_size);

/*
 * An assertion for inner loops: Check's ck_assert* report every passing check to the
 * parent process, which costs a system call each; this one calls Check only on failure.
 */
#define DOM_CHECK(cond, ...)                                                                       \
	do {                                                                                       \
		if (!(cond))                                                                       \
			ck_abort_msg(__VA_ARGS__);                                                 \
	} while (0)

#endif /* BPFCC_TEST_DOMAIN_GEN_H */
