/*
 * domain_gen.c - generators and brute-force semantics shared by the value-domain tests
 * (see domain_gen.h).  The concrete semantics are the BPF instruction set's, written here
 * independently of the domain so that the tests can catch the domain being wrong.
 */
#include "domain_gen.h"

#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>

#include "verifier/tnum.h"

#define SIGN64 (1ULL << 63)

const struct dom_layout dom_layouts[] = {
    {4, {0, 1, 2, 3}, 0},                       /* small non-negative */
    {4, {0, 1, 2, 63}, 0},                      /* 64-bit sign */
    {4, {0, 1, 2, 31}, 0},                      /* 32-bit sign */
    {4, {0, 1, 31, 63}, 0},                     /* both signs */
    {4, {0, 1, 32, 33}, 0},                     /* upper half */
    {4, {0, 1, 2, 3}, 0xfffffffffffffff0ULL},   /* small negative */
    {4, {0, 1, 31, 32}, 0xfffffffe00000000ULL}, /* negative, across halves */
    {4, {1, 2, 30, 62}, 0x0000010000000001ULL}, /* scattered with known ones */
    {3, {0, 1, 63}, 0x7ffffffffffffff0ULL},     /* around S64_MAX / S64_MIN */
    {3, {0, 1, 31}, 0x000000007ffffff0ULL},     /* around S32_MAX / S32_MIN */
    {6, {0, 1, 2, 3, 4, 5}, 0},                 /* six low bits */
    {6, {0, 1, 7, 31, 32, 63}, 0},              /* six bits, both signs */
};
const size_t dom_layout_count = sizeof(dom_layouts) / sizeof(dom_layouts[0]);

unsigned dom_tnum_count(const struct dom_layout *l)
{
	unsigned n = 1;

	for (unsigned i = 0; i < l->nbits; i++)
		n *= 3;
	return n;
}

struct tnum dom_tnum(const struct dom_layout *l, unsigned idx)
{
	struct tnum t = {.value = l->fixed, .mask = 0};

	for (unsigned i = 0; i < l->nbits; i++, idx /= 3) {
		uint64_t bit = 1ULL << l->pos[i];

		if (idx % 3 == 1)
			t.value |= bit;
		else if (idx % 3 == 2)
			t.mask |= bit;
	}
	return t;
}

size_t dom_tnum_members(struct tnum t, uint64_t *out, size_t max)
{
	size_t n = 0;
	uint64_t sub = t.mask;

	for (;;) {
		if (n < max)
			out[n] = t.value | sub;
		n++;
		if (!sub)
			break;
		sub = (sub - 1) & t.mask;
	}
	return n < max ? n : max;
}

size_t dom_scalar_members(const struct scalar *s, uint64_t *out, size_t max)
{
	uint64_t all[64];
	size_t n, k = 0;

	if (__builtin_popcountll(s->var_off.mask) > 6)
		abort(); /* generator states never have that many unknown bits */
	n = dom_tnum_members(s->var_off, all, 64);
	for (size_t i = 0; i < n; i++)
		if (scalar_contains(s, all[i]) && k < max)
			out[k++] = all[i];
	return k;
}

uint64_t dom_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int cmp_s64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static int cmp_s32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

struct state_list {
	struct scalar *v;
	size_t n, cap;
};

static void push(struct state_list *l, struct scalar s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 1024;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			abort();
	}
	scalar_sync(&s);
	l->v[l->n++] = s;
}

enum range_kind { R_U64, R_S64, R_U32, R_S32 };

/* One state per ordered pair of member values in the given numeric domain. */
static void push_ranges(struct state_list *l, struct tnum t, const uint64_t *m, size_t n,
                        enum range_kind kind)
{
	uint64_t v[16];
	int64_t sv[16];
	uint32_t w[16];
	int32_t sw[16];

	for (size_t i = 0; i < n; i++) {
		v[i] = m[i];
		sv[i] = (int64_t)m[i];
		w[i] = (uint32_t)m[i];
		sw[i] = (int32_t)(uint32_t)m[i];
	}
	qsort(v, n, sizeof(v[0]), cmp_u64);
	qsort(sv, n, sizeof(sv[0]), cmp_s64);
	qsort(w, n, sizeof(w[0]), cmp_u32);
	qsort(sw, n, sizeof(sw[0]), cmp_s32);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i; j < n; j++) {
			struct scalar s = scalar_unknown();

			s.var_off = t;
			switch (kind) {
			case R_U64:
				s.umin = v[i];
				s.umax = v[j];
				break;
			case R_S64:
				s.smin = sv[i];
				s.smax = sv[j];
				break;
			case R_U32:
				s.u32_min = w[i];
				s.u32_max = w[j];
				break;
			case R_S32:
				s.s32_min = sw[i];
				s.s32_max = sw[j];
				break;
			}
			push(l, s);
		}
	}
}

struct scalar *dom_states(unsigned maxbits, size_t *count)
{
	struct state_list l = {0};

	for (size_t li = 0; li < dom_layout_count; li++) {
		const struct dom_layout *lay = &dom_layouts[li];

		if (lay->nbits > maxbits)
			continue;
		for (unsigned ti = 0; ti < dom_tnum_count(lay); ti++) {
			struct tnum t = dom_tnum(lay, ti);
			uint64_t m[16];
			size_t n = dom_tnum_members(t, m, 16);
			struct scalar s = scalar_unknown();

			s.var_off = t;
			push(&l, s);
			if (n < 2)
				continue;
			push_ranges(&l, t, m, n, R_U64);
			push_ranges(&l, t, m, n, R_S64);
			push_ranges(&l, t, m, n, R_U32);
			push_ranges(&l, t, m, n, R_S32);
		}
	}
	*count = l.n;
	return l.v;
}

uint64_t dom_alu(uint8_t op, uint64_t a, uint64_t b, bool alu32)
{
	if (alu32) {
		uint32_t x = (uint32_t)a, y = (uint32_t)b;

		switch (op) {
		case BPF_ADD:
			return (uint32_t)(x + y);
		case BPF_SUB:
			return (uint32_t)(x - y);
		case BPF_MUL:
			return (uint32_t)(x * y);
		case BPF_DIV:
			return y ? x / y : 0;
		case BPF_MOD:
			return y ? x % y : x;
		case BPF_OR:
			return x | y;
		case BPF_AND:
			return x & y;
		case BPF_XOR:
			return x ^ y;
		case BPF_LSH:
			return (uint32_t)(x << (y & 31));
		case BPF_RSH:
			return x >> (y & 31);
		case BPF_ARSH:
			return (uint32_t)((int32_t)x >> (y & 31));
		case BPF_NEG:
			return (uint32_t)(0u - x);
		}
		abort();
	}
	switch (op) {
	case BPF_ADD:
		return a + b;
	case BPF_SUB:
		return a - b;
	case BPF_MUL:
		return a * b;
	case BPF_DIV:
		return b ? a / b : 0;
	case BPF_MOD:
		return b ? a % b : a;
	case BPF_OR:
		return a | b;
	case BPF_AND:
		return a & b;
	case BPF_XOR:
		return a ^ b;
	case BPF_LSH:
		return a << (b & 63);
	case BPF_RSH:
		return a >> (b & 63);
	case BPF_ARSH:
		return (uint64_t)((int64_t)a >> (b & 63));
	case BPF_NEG:
		return 0 - a;
	}
	abort();
}

uint64_t dom_end(uint64_t a, bool alu64, bool to_be, int imm)
{
	bool swap = alu64 || to_be; /* the model is little-endian */

	switch (imm) {
	case 16:
		return swap ? __builtin_bswap16((uint16_t)a) : (uint16_t)a;
	case 32:
		return swap ? __builtin_bswap32((uint32_t)a) : (uint32_t)a;
	default:
		return swap ? __builtin_bswap64(a) : a;
	}
}

uint64_t dom_mov(uint64_t a, bool alu32, uint8_t sx_bits)
{
	int64_t v;

	switch (sx_bits) {
	case 8:
		v = (int8_t)a;
		break;
	case 16:
		v = (int16_t)a;
		break;
	case 32:
		v = (int32_t)a;
		break;
	default:
		v = (int64_t)a;
		break;
	}
	return alu32 ? (uint32_t)v : (uint64_t)v;
}

bool dom_cond(uint8_t op, uint64_t a, uint64_t b, bool is32)
{
	int64_t sa = (int64_t)a, sb = (int64_t)b;

	if (is32) {
		a = (uint32_t)a;
		b = (uint32_t)b;
		sa = (int32_t)(uint32_t)a;
		sb = (int32_t)(uint32_t)b;
	}
	switch (op) {
	case BPF_JEQ:
		return a == b;
	case BPF_JNE:
		return a != b;
	case BPF_JSET:
		return (a & b) != 0;
	case BPF_JGT:
		return a > b;
	case BPF_JGE:
		return a >= b;
	case BPF_JLT:
		return a < b;
	case BPF_JLE:
		return a <= b;
	case BPF_JSGT:
		return sa > sb;
	case BPF_JSGE:
		return sa >= sb;
	case BPF_JSLT:
		return sa < sb;
	case BPF_JSLE:
		return sa <= sb;
	}
	abort();
}

const char *dom_alu_name(uint8_t op)
{
	static const char *const names[16] = {"add",  "sub", "mul", "div", "or",  "and",
	                                      "lsh",  "rsh", "neg", "mod", "xor", "mov",
	                                      "arsh", "end", "?",   "?"};
	return names[(op >> 4) & 15];
}

const char *dom_jmp_name(uint8_t op)
{
	static const char *const names[16] = {"ja",   "jeq",  "jgt",  "jge",  "jset", "jne",
	                                      "jsgt", "jsge", "call", "exit", "jlt",  "jle",
	                                      "jslt", "jsle", "?",    "?"};
	return names[(op >> 4) & 15];
}

bool dom_consistent(const struct scalar *s, char *why, size_t why_size)
{
	uint64_t v = s->var_off.value, m = s->var_off.mask;
	uint32_t v32 = (uint32_t)v, m32 = (uint32_t)m;
	const char *bad = NULL;

	if (!scalar_is_valid(s))
		bad = "fails scalar_is_valid";
	else if (v & m)
		bad = "tnum value and mask overlap";
	else if (s->umin < v || s->umax > (v | m))
		bad = "u64 range outside the tnum";
	else if (s->smin < (int64_t)(v | (m & SIGN64)) || s->smax > (int64_t)(v | (m & ~SIGN64)))
		bad = "s64 range outside the tnum";
	else if (s->u32_min < v32 || s->u32_max > (v32 | m32))
		bad = "u32 range outside the tnum";
	else if (s->s32_min < (int32_t)(v32 | (m32 & 0x80000000u)) ||
	         s->s32_max > (int32_t)(v32 | (m32 & 0x7fffffffu)))
		bad = "s32 range outside the tnum";
	if (bad) {
		char buf[320];

		scalar_strn(buf, sizeof(buf), s);
		snprintf(why, why_size, "%s: %s", bad, buf);
		return false;
	}
	return true;
}
