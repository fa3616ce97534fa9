/*
 * tnum.h - tracked numbers: what is known about each bit of a 64-bit value.
 *
 * Models the kernel's tnum (kernel/bpf/tnum.c, Linux 6.18).  A tnum is a pair
 * (value, mask): a bit set in mask is unknown, otherwise the bit equals the bit of value;
 * value & mask is always 0.  The set of concrete numbers a tnum stands for is
 * { x : (x & ~mask) == value }.  Every operation returns a tnum containing every result
 * of the concrete operation on members of the inputs (soundness); several are exactly
 * the kernel's, imprecise where the kernel is imprecise (mul, arshift by an unknown
 * amount is never asked for), because the point is to predict the kernel's verifier.
 *
 * Pure value functions: no allocation, no errors, no global state.
 */
#ifndef BPFCC_VERIFIER_TNUM_H
#define BPFCC_VERIFIER_TNUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tnum {
	uint64_t value;
	uint64_t mask;
};

/* The tnum of a fully unknown value: (0; ~0). */
#define TNUM_UNKNOWN ((struct tnum){.value = 0, .mask = UINT64_MAX})

/* The tnum holding exactly `value`. */
struct tnum tnum_const(uint64_t value);
/* Smallest tnum of the kernel's form "known prefix, unknown tail" covering [min, max]. */
struct tnum tnum_range(uint64_t min, uint64_t max);

/* a << shift (shift < 64). */
struct tnum tnum_lshift(struct tnum a, uint8_t shift);
/* a >> shift, logical (shift < 64). */
struct tnum tnum_rshift(struct tnum a, uint8_t shift);
/* a s>> min_shift on `bitness` (32 or 64) bits; a 32-bit result is zero-extended. */
struct tnum tnum_arshift(struct tnum a, uint8_t min_shift, uint8_t bitness);

/* a + b, modulo 2^64. */
struct tnum tnum_add(struct tnum a, struct tnum b);
/* a - b, modulo 2^64. */
struct tnum tnum_sub(struct tnum a, struct tnum b);
/* -a, modulo 2^64 (the kernel's 0 - a). */
struct tnum tnum_neg(struct tnum a);
/* a & b; optimal. */
struct tnum tnum_and(struct tnum a, struct tnum b);
/* a | b; optimal. */
struct tnum tnum_or(struct tnum a, struct tnum b);
/* a ^ b; optimal. */
struct tnum tnum_xor(struct tnum a, struct tnum b);
/* Byte-swapped low 16, 32 or all 64 bits of a (upper bits of the 16/32 forms are 0). */
struct tnum tnum_bswap16(struct tnum a);
struct tnum tnum_bswap32(struct tnum a);
struct tnum tnum_bswap64(struct tnum a);
/* a * b, modulo 2^64: the kernel's long multiplication over the trits of a. */
struct tnum tnum_mul(struct tnum a, struct tnum b);

/* Numbers in both a and b (a bit known 1 in one and known 0 in the other comes out 1). */
struct tnum tnum_intersect(struct tnum a, struct tnum b);
/* Smallest tnum holding every member of a and of b. */
struct tnum tnum_union(struct tnum a, struct tnum b);

/* a with all but the lowest `size` bytes cleared (size 1..8). */
struct tnum tnum_cast(struct tnum a, uint8_t size);
/* true if a holds one number. */
bool tnum_is_const(struct tnum a);
/* true if a holds exactly the number b. */
bool tnum_equals_const(struct tnum a, uint64_t b);
/* true if nothing is known about a. */
bool tnum_is_unknown(struct tnum a);
/* true if every member of a is a multiple of size (size a power of 2; 0 means yes). */
bool tnum_is_aligned(struct tnum a, uint64_t size);
/* true if every member of b is a member of a. */
bool tnum_in(struct tnum a, struct tnum b);
/* true if a and b have a member in common. */
bool tnum_overlap(struct tnum a, struct tnum b);
/* true if the number x is a member of a. */
bool tnum_contains(struct tnum a, uint64_t x);

/* The low 32 bits of a, upper 32 bits known zero. */
struct tnum tnum_subreg(struct tnum a);
/* a with its low 32 bits known zero. */
struct tnum tnum_clear_subreg(struct tnum a);
/* The upper 32 bits of reg and the low 32 bits of subreg. */
struct tnum tnum_with_subreg(struct tnum reg, struct tnum subreg);
/* The upper 32 bits of a and the low 32 bits the constant value. */
struct tnum tnum_const_subreg(struct tnum a, uint32_t value);
/* true if the low 32 bits of a are known. */
bool tnum_subreg_is_const(struct tnum a);

/*
 * The smallest member of a greater than z (the kernel's tnum_step); a's largest member when
 * z is not below it, a's smallest when z is below that.
 */
uint64_t tnum_step(struct tnum a, uint64_t z);

/* Writes the kernel's "(0x..; 0x..)" form into str (snprintf semantics). */
int tnum_strn(char *str, size_t size, struct tnum a);

#endif /* BPFCC_VERIFIER_TNUM_H */
