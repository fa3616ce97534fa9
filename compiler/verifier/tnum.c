/*
 * tnum.c - tracked numbers (known bits), as the kernel verifier computes them.
 *
 * Models kernel/bpf/tnum.c of Linux 6.18.  Each function states the rule it applies;
 * the arithmetic ones follow the kernel's algorithms because their imprecision is part of
 * what the verifier proves or fails to prove:
 *   - add/sub propagate unknown bits through every carry/borrow chain they may start;
 *   - mul is long multiplication over the trits (0, 1, x) of the first operand, where an
 *     unknown trit contributes the union of "not added" and "added" (6.18 algorithm);
 *   - intersect takes the union of known bits (a conflict comes out as known 1);
 *   - range keeps the common prefix of min and max and forgets the rest.
 */
#include "verifier/tnum.h"

#include <inttypes.h>
#include <stdio.h>

#define TNUM(v, m) ((struct tnum){.value = (v), .mask = (m)})

struct tnum tnum_const(uint64_t value)
{
	return TNUM(value, 0);
}

/* Bits below (and including) the highest bit where min and max differ become unknown. */
struct tnum tnum_range(uint64_t min, uint64_t max)
{
	uint64_t chi = min ^ max;
	uint64_t delta;
	int bits;

	if (!chi)
		return TNUM(min, 0);
	bits = 64 - __builtin_clzll(chi);
	if (bits > 63)
		return TNUM_UNKNOWN;
	delta = (1ULL << bits) - 1;
	return TNUM(min & ~delta, delta);
}

struct tnum tnum_lshift(struct tnum a, uint8_t shift)
{
	return TNUM(a.value << shift, a.mask << shift);
}

struct tnum tnum_rshift(struct tnum a, uint8_t shift)
{
	return TNUM(a.value >> shift, a.mask >> shift);
}

/* The sign bit (known or not) is replicated into the vacated bits. */
struct tnum tnum_arshift(struct tnum a, uint8_t min_shift, uint8_t bitness)
{
	if (bitness == 32)
		return TNUM((uint32_t)((int32_t)(uint32_t)a.value >> min_shift),
		            (uint32_t)((int32_t)(uint32_t)a.mask >> min_shift));
	return TNUM((uint64_t)((int64_t)a.value >> min_shift),
	            (uint64_t)((int64_t)a.mask >> min_shift));
}

/*
 * Sum of the known parts, and of the known parts plus every unknown bit set: the bits where
 * the two differ, plus the unknown bits of either operand, are unknown.
 */
struct tnum tnum_add(struct tnum a, struct tnum b)
{
	uint64_t sm = a.mask + b.mask;
	uint64_t sv = a.value + b.value;
	uint64_t sigma = sm + sv;
	uint64_t chi = sigma ^ sv;
	uint64_t mu = chi | a.mask | b.mask;

	return TNUM(sv & ~mu, mu);
}

/* Largest (a all unknowns set) and smallest (b all unknowns set) differences compared. */
struct tnum tnum_sub(struct tnum a, struct tnum b)
{
	uint64_t dv = a.value - b.value;
	uint64_t alpha = dv + a.mask;
	uint64_t beta = dv - b.mask;
	uint64_t chi = alpha ^ beta;
	uint64_t mu = chi | a.mask | b.mask;

	return TNUM(dv & ~mu, mu);
}

struct tnum tnum_neg(struct tnum a)
{
	return tnum_sub(TNUM(0, 0), a);
}

struct tnum tnum_and(struct tnum a, struct tnum b)
{
	uint64_t alpha = a.value | a.mask;
	uint64_t beta = b.value | b.mask;
	uint64_t v = a.value & b.value;

	return TNUM(v, alpha & beta & ~v);
}

struct tnum tnum_or(struct tnum a, struct tnum b)
{
	uint64_t v = a.value | b.value;
	uint64_t mu = a.mask | b.mask;

	return TNUM(v, mu & ~v);
}

struct tnum tnum_xor(struct tnum a, struct tnum b)
{
	uint64_t v = a.value ^ b.value;
	uint64_t mu = a.mask | b.mask;

	return TNUM(v & ~mu, mu);
}

struct tnum tnum_bswap16(struct tnum a)
{
	return TNUM(__builtin_bswap16((uint16_t)a.value), __builtin_bswap16((uint16_t)a.mask));
}

struct tnum tnum_bswap32(struct tnum a)
{
	return TNUM(__builtin_bswap32((uint32_t)a.value), __builtin_bswap32((uint32_t)a.mask));
}

struct tnum tnum_bswap64(struct tnum a)
{
	return TNUM(__builtin_bswap64(a.value), __builtin_bswap64(a.mask));
}

/*
 * Long multiplication, one trit of a per step: a known 1 adds b (shifted), an unknown trit
 * makes the accumulator the union of itself and itself plus b, a known 0 adds nothing.
 */
struct tnum tnum_mul(struct tnum a, struct tnum b)
{
	struct tnum acc = TNUM(0, 0);

	while (a.value || a.mask) {
		if (a.value & 1)
			acc = tnum_add(acc, b);
		else if (a.mask & 1)
			acc = tnum_union(acc, tnum_add(acc, b));
		a = tnum_rshift(a, 1);
		b = tnum_lshift(b, 1);
	}
	return acc;
}

struct tnum tnum_intersect(struct tnum a, struct tnum b)
{
	uint64_t v = a.value | b.value;
	uint64_t mu = a.mask & b.mask;

	return TNUM(v & ~mu, mu);
}

/* Known where both are known and agree. */
struct tnum tnum_union(struct tnum a, struct tnum b)
{
	uint64_t v = a.value & b.value;
	uint64_t mu = (a.value ^ b.value) | a.mask | b.mask;

	return TNUM(v & ~mu, mu);
}

struct tnum tnum_cast(struct tnum a, uint8_t size)
{
	uint64_t keep = size >= 8 ? UINT64_MAX : (1ULL << (size * 8)) - 1;

	a.value &= keep;
	a.mask &= keep;
	return a;
}

bool tnum_is_const(struct tnum a)
{
	return !a.mask;
}

bool tnum_equals_const(struct tnum a, uint64_t b)
{
	return tnum_is_const(a) && a.value == b;
}

bool tnum_is_unknown(struct tnum a)
{
	return !~a.mask;
}

bool tnum_is_aligned(struct tnum a, uint64_t size)
{
	if (!size)
		return true;
	return !((a.value | a.mask) & (size - 1));
}

bool tnum_in(struct tnum a, struct tnum b)
{
	if (b.mask & ~a.mask)
		return false;
	b.value &= ~a.mask;
	return a.value == b.value;
}

bool tnum_overlap(struct tnum a, struct tnum b)
{
	uint64_t known = ~a.mask & ~b.mask;

	return (a.value & known) == (b.value & known);
}

bool tnum_contains(struct tnum a, uint64_t x)
{
	return (x & ~a.mask) == a.value;
}

struct tnum tnum_subreg(struct tnum a)
{
	return tnum_cast(a, 4);
}

struct tnum tnum_clear_subreg(struct tnum a)
{
	return tnum_lshift(tnum_rshift(a, 32), 32);
}

struct tnum tnum_with_subreg(struct tnum reg, struct tnum subreg)
{
	return tnum_or(tnum_clear_subreg(reg), tnum_subreg(subreg));
}

struct tnum tnum_const_subreg(struct tnum a, uint32_t value)
{
	return tnum_with_subreg(a, tnum_const(value));
}

bool tnum_subreg_is_const(struct tnum a)
{
	return !(tnum_subreg(a).mask);
}

/*
 * Let y = z + 1 and p the highest known bit where y differs from a.  If a has a 1 there,
 * the answer keeps y above p, takes the 1, and is as small as a allows below.  If a has a
 * 0 there, no member shares y's bits above p: the unknown bits above p count up by one
 * (the lowest unknown bit above p that y has clear is set, everything below it minimal).
 */
uint64_t tnum_step(struct tnum a, uint64_t z)
{
	uint64_t tmax = a.value | a.mask, y, diff, low, above;
	int p, q;

	if (z >= tmax)
		return tmax;
	if (z < a.value)
		return a.value;
	y = z + 1;
	diff = (y ^ a.value) & ~a.mask;
	if (!diff)
		return y;
	p = 63 - __builtin_clzll(diff);
	low = (1ULL << p) - 1;
	if (a.value & (1ULL << p))
		return (y & ~low) | (1ULL << p) | (a.value & low);
	above = p == 63 ? 0 : a.mask & ~y & ~((2ULL << p) - 1);
	if (!above)
		return tmax; /* unreachable while z < tmax */
	q = __builtin_ctzll(above);
	low = (1ULL << q) - 1;
	return (y & ~low) | (1ULL << q) | (a.value & low);
}

int tnum_strn(char *str, size_t size, struct tnum a)
{
	return snprintf(str, size, "(0x%" PRIx64 "; 0x%" PRIx64 ")", a.value, a.mask);
}
