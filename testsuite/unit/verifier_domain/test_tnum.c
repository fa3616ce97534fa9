/*
 * test_tnum.c - tnum operations checked exhaustively against brute force on small widths.
 *
 * Every tnum whose unknown bits lie at the positions of a layout (domain_gen.c: low bits,
 * sign bits of 32 and 64, upper half, known-one patterns) is combined with every other of
 * the same layout; each concrete result must be a member of the abstract result
 * (soundness).  Where the kernel's operation is exact or optimal (and, or, xor, add, sub,
 * shifts, byte swaps, union; kernel/bpf/tnum.c) the result must be exactly the smallest
 * tnum holding the concrete results, so that we are neither more nor less precise.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "domain_gen.h"
#include "verifier/tnum.h"

/* The smallest tnum holding every value of v[0..n-1] (n > 0). */
static struct tnum cover(const uint64_t *v, size_t n)
{
	uint64_t all_and = v[0], all_or = v[0];

	for (size_t i = 1; i < n; i++) {
		all_and &= v[i];
		all_or |= v[i];
	}
	return (struct tnum){.value = all_and, .mask = all_or ^ all_and};
}

static bool same(struct tnum a, struct tnum b)
{
	return a.value == b.value && a.mask == b.mask;
}

enum bin { B_ADD, B_SUB, B_AND, B_OR, B_XOR, B_MUL, B_UNION, B_COUNT };

static const char *const bin_names[B_COUNT] = {"add", "sub", "and", "or", "xor", "mul", "union"};

static struct tnum bin_abs(enum bin op, struct tnum a, struct tnum b)
{
	switch (op) {
	case B_ADD:
		return tnum_add(a, b);
	case B_SUB:
		return tnum_sub(a, b);
	case B_AND:
		return tnum_and(a, b);
	case B_OR:
		return tnum_or(a, b);
	case B_XOR:
		return tnum_xor(a, b);
	case B_MUL:
		return tnum_mul(a, b);
	default:
		return tnum_union(a, b);
	}
}

static uint64_t bin_conc(enum bin op, uint64_t a, uint64_t b)
{
	switch (op) {
	case B_ADD:
		return a + b;
	case B_SUB:
		return a - b;
	case B_AND:
		return a & b;
	case B_OR:
		return a | b;
	case B_XOR:
		return a ^ b;
	case B_MUL:
		return a * b;
	default:
		abort();
	}
}

/* One binary operation over every pair of tnums of every 4-bit layout. */
static void check_binary(enum bin op, bool optimal)
{
	static uint64_t res[16 * 16 * 2];
	long pairs = 0;

	for (size_t li = 0; li < dom_layout_count; li++) {
		const struct dom_layout *l = &dom_layouts[li];
		unsigned n = dom_tnum_count(l);

		if (l->nbits > 4)
			continue;
		for (unsigned i = 0; i < n; i++) {
			struct tnum a = dom_tnum(l, i);
			uint64_t ma[16];
			size_t na = dom_tnum_members(a, ma, 16);

			for (unsigned j = 0; j < n; j++) {
				struct tnum b = dom_tnum(l, j), r = bin_abs(op, a, b);
				uint64_t mb[16];
				size_t nb = dom_tnum_members(b, mb, 16), nr = 0;

				DOM_CHECK(!(r.value & r.mask), "%s: value/mask overlap",
				          bin_names[op]);
				if (op == B_UNION) {
					for (size_t x = 0; x < na; x++)
						res[nr++] = ma[x];
					for (size_t y = 0; y < nb; y++)
						res[nr++] = mb[y];
				} else {
					for (size_t x = 0; x < na; x++)
						for (size_t y = 0; y < nb; y++)
							res[nr++] = bin_conc(op, ma[x], mb[y]);
				}
				for (size_t k = 0; k < nr; k++)
					DOM_CHECK(
					    tnum_contains(r, res[k]),
					    "%s (%#llx;%#llx) (%#llx;%#llx) misses %#llx",
					    bin_names[op], (unsigned long long)a.value,
					    (unsigned long long)a.mask, (unsigned long long)b.value,
					    (unsigned long long)b.mask, (unsigned long long)res[k]);
				if (optimal) {
					struct tnum c = cover(res, nr);

					DOM_CHECK(
					    same(r, c),
					    "%s (%#llx;%#llx) (%#llx;%#llx): got (%#llx;%#llx) "
					    "best (%#llx;%#llx)",
					    bin_names[op], (unsigned long long)a.value,
					    (unsigned long long)a.mask, (unsigned long long)b.value,
					    (unsigned long long)b.mask, (unsigned long long)r.value,
					    (unsigned long long)r.mask, (unsigned long long)c.value,
					    (unsigned long long)c.mask);
				}
				pairs++;
			}
		}
	}
	ck_assert_int_gt(pairs, 50000);
}

START_TEST(test_add)
{
	check_binary(B_ADD, true);
}
END_TEST

START_TEST(test_sub)
{
	check_binary(B_SUB, true);
}
END_TEST

START_TEST(test_and_or_xor)
{
	check_binary(B_AND, true);
	check_binary(B_OR, true);
	check_binary(B_XOR, true);
}
END_TEST

START_TEST(test_mul)
{
	check_binary(B_MUL, false);
}
END_TEST

START_TEST(test_union)
{
	check_binary(B_UNION, true);
}
END_TEST

/* tnum_mul is not optimal; its exact answers on a few inputs are the kernel's. */
START_TEST(test_mul_kernel_answers)
{
	/* 3 * x1 (x = unknown bit): the kernel's comment example, union(0011, 1001) = x0x1. */
	struct tnum r = tnum_mul((struct tnum){.value = 1, .mask = 2}, tnum_const(3));

	ck_assert_uint_eq(r.value, 1);
	ck_assert_uint_eq(r.mask, 0xa);
	r = tnum_mul(tnum_const(3), (struct tnum){.value = 1, .mask = 2});
	ck_assert_uint_eq(r.value, 1);
	ck_assert_uint_eq(r.mask, 0xe); /* not commutative in precision */
	r = tnum_mul(tnum_const(6), tnum_const(7));
	ck_assert_uint_eq(r.value, 42);
	ck_assert_uint_eq(r.mask, 0);
}
END_TEST

/* Over every pair: intersect, in, overlap, against member sets. */
START_TEST(test_relations)
{
	for (size_t li = 0; li < dom_layout_count; li++) {
		const struct dom_layout *l = &dom_layouts[li];
		unsigned n = dom_tnum_count(l);

		if (l->nbits > 4)
			continue;
		for (unsigned i = 0; i < n; i++) {
			struct tnum a = dom_tnum(l, i);
			uint64_t ma[16];
			size_t na = dom_tnum_members(a, ma, 16);

			for (unsigned j = 0; j < n; j++) {
				struct tnum b = dom_tnum(l, j), x = tnum_intersect(a, b);
				uint64_t mb[16];
				size_t nb = dom_tnum_members(b, mb, 16), common = 0, b_in_a = 0;

				for (size_t q = 0; q < nb; q++) {
					bool in_a = tnum_contains(a, mb[q]);

					b_in_a += in_a;
					common += in_a;
					/* every common member is in the intersection */
					if (in_a)
						DOM_CHECK(tnum_contains(x, mb[q]), "%s",
						          "tnum_contains(x, mb[q])");
				}
				DOM_CHECK(tnum_overlap(a, b) == (common > 0), "overlap");
				DOM_CHECK(tnum_in(a, b) == (b_in_a == nb), "in");
				if (common) {
					/* and, when they overlap, nothing else */
					uint64_t mx[16];
					size_t nx = dom_tnum_members(x, mx, 16);

					DOM_CHECK(nx == common,
					          "intersect has %zu members, common %zu", nx,
					          common);
				}
				(void)na;
			}
		}
	}
}
END_TEST

/* Unary operations on every tnum of every layout (six unknown bits at most). */
START_TEST(test_unary)
{
	static uint64_t img[64];
	long checked = 0;

	for (size_t li = 0; li < dom_layout_count; li++) {
		const struct dom_layout *l = &dom_layouts[li];

		for (unsigned i = 0; i < dom_tnum_count(l); i++) {
			struct tnum a = dom_tnum(l, i);
			uint64_t m[64];
			size_t n = dom_tnum_members(a, m, 64);

			for (unsigned sh = 0; sh < 64; sh++) {
				for (size_t k = 0; k < n; k++)
					img[k] = m[k] << sh;
				DOM_CHECK(same(tnum_lshift(a, (uint8_t)sh), cover(img, n)), "%s",
				          "same(tnum_lshift(a, (uint8_t)sh), cover(img, n))");
				for (size_t k = 0; k < n; k++)
					img[k] = m[k] >> sh;
				DOM_CHECK(same(tnum_rshift(a, (uint8_t)sh), cover(img, n)), "%s",
				          "same(tnum_rshift(a, (uint8_t)sh), cover(img, n))");
				for (size_t k = 0; k < n; k++)
					img[k] = (uint64_t)((int64_t)m[k] >> sh);
				DOM_CHECK(same(tnum_arshift(a, (uint8_t)sh, 64), cover(img, n)),
				          "%s",
				          "same(tnum_arshift(a, (uint8_t)sh, 64), cover(img, n))");
				if (sh < 32) {
					for (size_t k = 0; k < n; k++)
						img[k] = (uint32_t)((int32_t)(uint32_t)m[k] >> sh);
					DOM_CHECK(
					    same(tnum_arshift(a, (uint8_t)sh, 32), cover(img, n)),
					    "%s",
					    "same(tnum_arshift(a, (uint8_t)sh, 32), cover(img, "
					    "n))");
				}
			}
			for (size_t k = 0; k < n; k++)
				img[k] = 0 - m[k];
			DOM_CHECK(same(tnum_neg(a), cover(img, n)), "%s",
			          "same(tnum_neg(a), cover(img, n))"); /* neg is sub, optimal */
			for (size_t k = 0; k < n; k++)
				img[k] = __builtin_bswap16((uint16_t)m[k]);
			DOM_CHECK(same(tnum_bswap16(a), cover(img, n)), "%s",
			          "same(tnum_bswap16(a), cover(img, n))");
			for (size_t k = 0; k < n; k++)
				img[k] = __builtin_bswap32((uint32_t)m[k]);
			DOM_CHECK(same(tnum_bswap32(a), cover(img, n)), "%s",
			          "same(tnum_bswap32(a), cover(img, n))");
			for (size_t k = 0; k < n; k++)
				img[k] = __builtin_bswap64(m[k]);
			DOM_CHECK(same(tnum_bswap64(a), cover(img, n)), "%s",
			          "same(tnum_bswap64(a), cover(img, n))");
			for (uint8_t size = 1; size <= 8; size++) {
				uint64_t keep = size == 8 ? UINT64_MAX : (1ULL << (size * 8)) - 1;

				for (size_t k = 0; k < n; k++)
					img[k] = m[k] & keep;
				DOM_CHECK(same(tnum_cast(a, size), cover(img, n)), "%s",
				          "same(tnum_cast(a, size), cover(img, n))");
			}
			for (size_t k = 0; k < n; k++)
				img[k] = (uint32_t)m[k];
			DOM_CHECK(same(tnum_subreg(a), cover(img, n)), "%s",
			          "same(tnum_subreg(a), cover(img, n))");
			DOM_CHECK((tnum_subreg_is_const(a)) == (cover(img, n).mask == 0), "%s",
			          "tnum_subreg_is_const(a) == cover(img, n).mask == 0");
			for (size_t k = 0; k < n; k++)
				img[k] = m[k] & ~0xffffffffULL;
			DOM_CHECK(same(tnum_clear_subreg(a), cover(img, n)), "%s",
			          "same(tnum_clear_subreg(a), cover(img, n))");
			for (size_t k = 0; k < n; k++)
				img[k] = (m[k] & ~0xffffffffULL) | 0x8000beefu;
			DOM_CHECK(same(tnum_const_subreg(a, 0x8000beefu), cover(img, n)), "%s",
			          "same(tnum_const_subreg(a, 0x8000beefu), cover(img, n))");
			DOM_CHECK(same(tnum_with_subreg(tnum_const(0xabcd00000000ULL), a),
			               (struct tnum){.value = 0xabcd00000000ULL | (uint32_t)a.value,
			                             .mask = (uint32_t)a.mask}),
			          "%s",
			          "same(tnum_with_subreg(tnum_const(0xabcd00000000ULL), a), "
			          "(struct tnum){.value = 0xabcd00000000ULL | (uint32_t)a.value, "
			          ".mask = (uint32_t)a.mask})");
			DOM_CHECK((tnum_is_const(a)) == (n == 1), "%s",
			          "tnum_is_const(a) == n == 1");
			DOM_CHECK(tnum_equals_const(a, m[0]) == (n == 1), "equals_const");
			DOM_CHECK(!tnum_is_unknown(a), "%s", "!tnum_is_unknown(a)");
			for (uint64_t size = 1; size <= 64; size <<= 1) {
				bool all = true;

				for (size_t k = 0; k < n; k++)
					all = all && !(m[k] & (size - 1));
				DOM_CHECK(tnum_is_aligned(a, size) == all, "is_aligned");
			}
			/* contains: members yes, a non-member no */
			for (size_t k = 0; k < n; k++)
				DOM_CHECK(tnum_contains(a, m[k]), "%s", "tnum_contains(a, m[k])");
			if (~a.mask)
				DOM_CHECK(!tnum_contains(a, m[0] ^ (~a.mask & -~a.mask)), "%s",
				          "!tnum_contains(a, m[0] ^ (~a.mask & -~a.mask))");
			checked++;
		}
	}
	ck_assert_int_gt(checked, 2000);
	DOM_CHECK(tnum_is_unknown(TNUM_UNKNOWN), "%s", "tnum_is_unknown(TNUM_UNKNOWN)");
	DOM_CHECK(tnum_is_aligned(tnum_const(3), 0), "%s", "tnum_is_aligned(tnum_const(3), 0)");
}
END_TEST

/* tnum_range over pairs from a pool of edge values: sound, and the kernel's prefix form. */
START_TEST(test_range)
{
	static const uint64_t pool[] = {0,
	                                1,
	                                2,
	                                3,
	                                7,
	                                8,
	                                15,
	                                16,
	                                255,
	                                256,
	                                0x7fffffffULL,
	                                0x80000000ULL,
	                                0xffffffffULL,
	                                0x100000000ULL,
	                                0x7fffffffffffffffULL,
	                                0x8000000000000000ULL,
	                                0xfffffffffffffff0ULL,
	                                0xfffffffffffffffeULL,
	                                UINT64_MAX};
	size_t n = sizeof(pool) / sizeof(pool[0]);

	for (size_t i = 0; i < n; i++) {
		for (size_t j = i; j < n; j++) {
			uint64_t lo = pool[i], hi = pool[j];
			struct tnum r = tnum_range(lo, hi);
			uint64_t mid = lo + (hi - lo) / 2;

			DOM_CHECK(tnum_contains(r, lo), "%s", "tnum_contains(r, lo)");
			DOM_CHECK(tnum_contains(r, hi), "%s", "tnum_contains(r, hi)");
			DOM_CHECK(tnum_contains(r, mid), "%s", "tnum_contains(r, mid)");
			DOM_CHECK(tnum_contains(r, hi - (hi - lo) / 3), "%s",
			          "tnum_contains(r, hi - (hi - lo) / 3)");
			/* unknown part is a run of low bits: mask + 1 is a power of two */
			ck_assert_uint_eq(r.mask & (r.mask + 1), 0);
			/* and it is the smallest such run covering lo..hi */
			if (r.mask && r.mask != UINT64_MAX)
				ck_assert_uint_ne((lo ^ hi) >> (63 - __builtin_clzll(r.mask)), 0);
		}
	}
	DOM_CHECK(tnum_is_unknown(tnum_range(0, UINT64_MAX)), "%s",
	          "tnum_is_unknown(tnum_range(0, UINT64_MAX))");
	DOM_CHECK(same(tnum_range(5, 5), tnum_const(5)), "%s",
	          "same(tnum_range(5, 5), tnum_const(5))");
	DOM_CHECK(same(tnum_range(4, 7), ((struct tnum){.value = 4, .mask = 3})), "%s",
	          "same(tnum_range(4, 7), ((struct tnum){.value = 4, .mask = 3}))");
}
END_TEST

/* tnum_step against the member list: the next member above z, with its two edge rules. */
START_TEST(test_step)
{
	long checked = 0;

	for (size_t li = 0; li < dom_layout_count; li++) {
		const struct dom_layout *l = &dom_layouts[li];

		for (unsigned i = 0; i < dom_tnum_count(l); i++) {
			struct tnum a = dom_tnum(l, i);
			uint64_t m[64], z[3 * 64 + 4];
			size_t n = dom_tnum_members(a, m, 64), nz = 0;

			/* members are listed from the largest down */
			for (size_t k = 0; k < n; k++) {
				z[nz++] = m[k];
				z[nz++] = m[k] - 1;
				z[nz++] = m[k] + 1;
			}
			z[nz++] = 0;
			z[nz++] = UINT64_MAX;
			z[nz++] = 0x8000000000000000ULL;
			z[nz++] = 0x7fffffffULL;
			for (size_t q = 0; q < nz; q++) {
				uint64_t want = a.value | a.mask, got = tnum_step(a, z[q]);
				bool any = false;

				if (z[q] < a.value) {
					want = a.value;
				} else {
					for (size_t k = 0; k < n; k++)
						if (m[k] > z[q] && (!any || m[k] < want)) {
							want = m[k];
							any = true;
						}
				}
				DOM_CHECK(got == want,
				          "tnum_step((%#llx; %#llx), %#llx) = %#llx, want %#llx",
				          (unsigned long long)a.value, (unsigned long long)a.mask,
				          (unsigned long long)z[q], (unsigned long long)got,
				          (unsigned long long)want);
				checked++;
			}
		}
	}
	ck_assert_int_gt(checked, 30000);
}
END_TEST

START_TEST(test_strn)
{
	char buf[64];

	tnum_strn(buf, sizeof(buf), (struct tnum){.value = 0x10, .mask = 0xf});
	ck_assert_str_eq(buf, "(0x10; 0xf)");
	tnum_strn(buf, sizeof(buf), tnum_const(0));
	ck_assert_str_eq(buf, "(0x0; 0x0)");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tnum");
	TCase *tc = tcase_create("exhaustive");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_add);
	tcase_add_test(tc, test_sub);
	tcase_add_test(tc, test_and_or_xor);
	tcase_add_test(tc, test_mul);
	tcase_add_test(tc, test_union);
	tcase_add_test(tc, test_mul_kernel_answers);
	tcase_add_test(tc, test_relations);
	tcase_add_test(tc, test_unary);
	tcase_add_test(tc, test_range);
	tcase_add_test(tc, test_step);
	tcase_add_test(tc, test_strn);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
