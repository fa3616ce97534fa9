/*
 * test_scalar_alu.c - the scalar domain's transfer functions against brute force.
 *
 * States come from domain_gen.c (tnums over a few bit positions, ranges between their
 * members, synced).  For every ALU operation on 64 and 32 bits, byte swaps, moves with and
 * without sign extension and narrowing loads, every concrete result of every pair of
 * concrete operands the states allow must be allowed by the abstract result (soundness of
 * adjust_scalar_min_max_vals and friends as modelled), and every synced result must keep
 * the invariants (ordered ranges, constant tnums matching, ranges inside the tnum).
 * reg_bounds_sync itself must never drop a value.  Pairs are drawn by a fixed-seed
 * generator so that a failure reproduces; shifts take every constant amount.
 */
#include <check.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>

#include "domain_gen.h"
#include "verifier/scalar.h"

#define MAXM 16

struct pool {
	struct scalar *s;
	uint64_t (*m)[MAXM];
	size_t *nm;
	size_t n;
};

static struct pool P;

static void pool_setup(void)
{
	size_t n, k = 0;
	struct scalar *all = dom_states(4, &n);

	P.s = malloc(n * sizeof(*P.s));
	P.m = malloc(n * sizeof(*P.m));
	P.nm = malloc(n * sizeof(*P.nm));
	ck_assert(P.s && P.m && P.nm);
	for (size_t i = 0; i < n; i++) {
		size_t nm = dom_scalar_members(&all[i], P.m[k], MAXM);

		if (!nm)
			continue; /* a state no value satisfies */
		P.s[k] = all[i];
		P.nm[k] = nm;
		k++;
	}
	P.n = k;
	free(all);
}

static void pool_teardown(void)
{
	free(P.s);
	free(P.m);
	free(P.nm);
}

static void fail_state(const char *what, const struct scalar *a, const struct scalar *b,
                       const struct scalar *r, uint64_t x, uint64_t y, uint64_t res)
{
	char sa[320], sb[320], sr[320];

	scalar_strn(sa, sizeof(sa), a);
	scalar_strn(sb, sizeof(sb), b);
	scalar_strn(sr, sizeof(sr), r);
	ck_abort_msg("%s\n  dst %s\n  src %s\n  res %s\n  concrete %#llx, %#llx -> %#llx", what, sa,
	             sb, sr, (unsigned long long)x, (unsigned long long)y, (unsigned long long)res);
}

/* One ALU operation on the states at indices i (dst) and j (src). */
static void check_alu_pair(uint8_t op, bool alu32, size_t i, size_t j)
{
	struct scalar r = P.s[i];
	char why[400];

	DOM_CHECK(scalar_alu(&r, &P.s[j], op, alu32) == 0, "scalar_alu %s", dom_alu_name(op));
	if (!dom_consistent(&r, why, sizeof(why)))
		fail_state(why, &P.s[i], &P.s[j], &r, 0, 0, 0);
	for (size_t x = 0; x < P.nm[i]; x++) {
		for (size_t y = 0; y < P.nm[j]; y++) {
			uint64_t res = dom_alu(op, P.m[i][x], P.m[j][y], alu32);

			if (!scalar_contains(&r, res)) {
				char what[64];

				snprintf(what, sizeof(what), "%s%s loses a result",
				         dom_alu_name(op), alu32 ? "32" : "64");
				fail_state(what, &P.s[i], &P.s[j], &r, P.m[i][x], P.m[j][y], res);
			}
		}
	}
}

static const uint8_t alu_ops[] = {BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_MOD,  BPF_OR,
                                  BPF_AND, BPF_XOR, BPF_LSH, BPF_RSH, BPF_ARSH, BPF_NEG};

/* _i: index into alu_ops times 2 plus alu32. */
START_TEST(test_alu_random_pairs)
{
	uint8_t op = alu_ops[_i / 2];
	bool alu32 = _i % 2;
	uint64_t seed = 0x9e3779b97f4a7c15ULL ^ (uint64_t)_i;

	for (int k = 0; k < 6000; k++) {
		size_t i = dom_rand(&seed) % P.n, j = dom_rand(&seed) % P.n;

		check_alu_pair(op, alu32, i, j);
	}
	/* the same register on both sides (r1 += r1) */
	for (int k = 0; k < 2000; k++) {
		size_t i = dom_rand(&seed) % P.n;
		struct scalar r = P.s[i];

		scalar_alu(&r, &r, op, alu32);
		for (size_t x = 0; x < P.nm[i]; x++) {
			uint64_t res = dom_alu(op, P.m[i][x], P.m[i][x], alu32);

			if (!scalar_contains(&r, res))
				fail_state("same register", &P.s[i], &P.s[i], &r, P.m[i][x],
				           P.m[i][x], res);
		}
	}
}
END_TEST

/* Constant operands, the only ones shifts track: every amount, and small constants. */
START_TEST(test_alu_const_src)
{
	uint8_t op = alu_ops[_i / 2];
	bool alu32 = _i % 2;
	uint64_t seed = 0x1234567ULL + (uint64_t)_i;
	unsigned width = alu32 ? 32 : 64;

	for (unsigned k = 0; k < width + 8; k++) {
		/* k < width: the amount k; beyond: negative and large constants */
		uint64_t c = k < width ? k : (uint64_t)(int64_t)(int32_t)dom_rand(&seed);
		struct scalar src = scalar_const(c);

		for (int t = 0; t < 150; t++) {
			size_t i = dom_rand(&seed) % P.n;
			struct scalar r = P.s[i];
			char why[400];

			scalar_alu(&r, &src, op, alu32);
			if (!dom_consistent(&r, why, sizeof(why)))
				fail_state(why, &P.s[i], &src, &r, 0, c, 0);
			for (size_t x = 0; x < P.nm[i]; x++) {
				uint64_t res = dom_alu(op, P.m[i][x], c, alu32);

				if (!scalar_contains(&r, res))
					fail_state("constant operand", &P.s[i], &src, &r, P.m[i][x],
					           c, res);
			}
		}
	}
}
END_TEST

/* BPF_END: every state, every form (alu64 bswap, to_be, to_le; 16/32/64). */
START_TEST(test_end)
{
	static const int imms[] = {16, 32, 64};

	for (size_t i = 0; i < P.n; i++) {
		for (int form = 0; form < 3; form++) {
			for (int k = 0; k < 3; k++) {
				bool alu64 = form == 0, to_be = form == 1;
				struct scalar r = P.s[i];
				char why[400];

				DOM_CHECK(scalar_end(&r, alu64, to_be, imms[k]) == 0, "scalar_end");
				if (!dom_consistent(&r, why, sizeof(why)))
					fail_state(why, &P.s[i], &P.s[i], &r, 0, 0, 0);
				for (size_t x = 0; x < P.nm[i]; x++) {
					uint64_t res = dom_end(P.m[i][x], alu64, to_be, imms[k]);

					if (!scalar_contains(&r, res))
						fail_state("end", &P.s[i], &P.s[i], &r, P.m[i][x],
						           (uint64_t)imms[k], res);
				}
			}
		}
	}
	{
		struct scalar r = scalar_unknown();

		ck_assert_int_eq(scalar_end(&r, false, true, 8), -EINVAL);
	}
}
END_TEST

/* MOV and MOVSX (64: off 0, 8, 16, 32; 32: off 0, 8, 16), zero-extending and sign-extending
 * loads (coerce_reg_to_size, coerce_reg_to_size_sx). */
START_TEST(test_mov_and_loads)
{
	static const struct {
		bool alu32;
		uint8_t sx;
	} forms[] = {{false, 0}, {false, 8}, {false, 16}, {false, 32},
	             {true, 0},  {true, 8},  {true, 16}};

	for (size_t i = 0; i < P.n; i++) {
		char why[400];

		for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
			struct scalar r;

			DOM_CHECK(scalar_mov(&r, &P.s[i], forms[f].alu32, forms[f].sx) == 0, "mov");
			if (!dom_consistent(&r, why, sizeof(why)))
				fail_state(why, &P.s[i], &P.s[i], &r, 0, forms[f].sx, 0);
			for (size_t x = 0; x < P.nm[i]; x++) {
				uint64_t res = dom_mov(P.m[i][x], forms[f].alu32, forms[f].sx);

				if (!scalar_contains(&r, res))
					fail_state(forms[f].alu32 ? "mov32" : "mov64", &P.s[i],
					           &P.s[i], &r, P.m[i][x], forms[f].sx, res);
			}
		}
		for (int size = 1; size <= 8; size *= 2) {
			struct scalar z = P.s[i], sx = P.s[i];

			scalar_coerce(&z, size);
			if (size < 8)
				scalar_coerce_sx(&sx, size);
			if (!dom_consistent(&z, why, sizeof(why)))
				fail_state(why, &P.s[i], &P.s[i], &z, 0, (uint64_t)size, 0);
			if (!dom_consistent(&sx, why, sizeof(why)))
				fail_state(why, &P.s[i], &P.s[i], &sx, 0, (uint64_t)size, 0);
			for (size_t x = 0; x < P.nm[i]; x++) {
				uint64_t v = P.m[i][x];
				uint64_t zv = size == 8 ? v : v & ((1ULL << (size * 8)) - 1);
				uint64_t sv =
				    size == 8 ? v : dom_mov(v, false, (uint8_t)(size * 8));

				if (!scalar_contains(&z, zv))
					fail_state("coerce", &P.s[i], &P.s[i], &z, v,
					           (uint64_t)size, zv);
				if (!scalar_contains(&sx, sv))
					fail_state("coerce_sx", &P.s[i], &P.s[i], &sx, v,
					           (uint64_t)size, sv);
			}
		}
	}
	{
		struct scalar r;

		ck_assert_int_eq(scalar_mov(&r, &P.s[0], true, 32), -EINVAL);
		ck_assert_int_eq(scalar_mov(&r, &P.s[0], false, 7), -EINVAL);
	}
}
END_TEST

/* reg_bounds_sync keeps every value that satisfied the unsynced state. */
START_TEST(test_sync_sound)
{
	uint64_t seed = 42;

	for (int k = 0; k < 50000; k++) {
		size_t i = dom_rand(&seed) % P.n;
		const uint64_t *m = P.m[i];
		size_t nm = P.nm[i];
		struct scalar raw = scalar_unknown(), synced;
		uint64_t keep[MAXM];
		size_t nk = 0;
		char why[400];

		raw.var_off = P.s[i].var_off;
		/* random bounds, each taken from a member so that some values survive */
		raw.umin = m[dom_rand(&seed) % nm];
		raw.umax = m[dom_rand(&seed) % nm];
		raw.smin = (int64_t)m[dom_rand(&seed) % nm];
		raw.smax = (int64_t)m[dom_rand(&seed) % nm];
		raw.u32_min = (uint32_t)m[dom_rand(&seed) % nm];
		raw.u32_max = (uint32_t)m[dom_rand(&seed) % nm];
		raw.s32_min = (int32_t)(uint32_t)m[dom_rand(&seed) % nm];
		raw.s32_max = (int32_t)(uint32_t)m[dom_rand(&seed) % nm];
		for (size_t x = 0; x < nm; x++)
			if (scalar_contains(&raw, m[x]))
				keep[nk++] = m[x];
		if (!nk)
			continue;
		synced = raw;
		scalar_sync(&synced);
		if (!dom_consistent(&synced, why, sizeof(why)))
			fail_state(why, &raw, &raw, &synced, 0, 0, 0);
		for (size_t x = 0; x < nk; x++)
			if (!scalar_contains(&synced, keep[x]))
				fail_state("sync drops a value", &raw, &raw, &synced, keep[x], 0,
				           0);
	}
}
END_TEST

/* maybe_fork_scalars: [-1, 0] before AND/OR with a constant splits into -1 and 0. */
START_TEST(test_fork_bitop)
{
	struct scalar m1 = scalar_const(UINT64_MAX), z = scalar_const(0), c5 = scalar_const(5);
	struct scalar d, other, u = scalar_unknown();

	/* r0 s>>= 63 gives the 64-bit [-1, 0] state */
	d = u;
	scalar_alu(&d, &(struct scalar){0}, BPF_ARSH, false); /* not const: unknown */
	d = u;
	{
		struct scalar sh = scalar_const(63);

		scalar_alu(&d, &sh, BPF_ARSH, false);
	}
	ck_assert_int_eq(d.smin, -1);
	ck_assert_int_eq(d.smax, 0);
	ck_assert(scalar_fork_bitop(&d, &other, &c5, BPF_OR));
	ck_assert(tnum_equals_const(d.var_off, UINT64_MAX));
	ck_assert(tnum_equals_const(other.var_off, 0));
	scalar_alu(&d, &c5, BPF_OR, false);
	scalar_alu(&other, &c5, BPF_OR, false);
	ck_assert(tnum_equals_const(d.var_off, UINT64_MAX)); /* the kernel's R0=-1 */
	ck_assert(tnum_equals_const(other.var_off, 5));      /* and R0=5 */
	/* no fork for XOR, a non-constant source, or another range */
	ck_assert(!scalar_fork_bitop(&m1, &other, &c5, BPF_OR));
	ck_assert(!scalar_fork_bitop(&z, &other, &c5, BPF_AND));
	d = u;
	{
		struct scalar sh = scalar_const(63);

		scalar_alu(&d, &sh, BPF_ARSH, false);
	}
	ck_assert(!scalar_fork_bitop(&d, &other, &c5, BPF_XOR));
	ck_assert(!scalar_fork_bitop(&d, &other, &u, BPF_AND));
	/* w0 s>>= 31: only the subregister is [-1, 0]; the fork sets the subregister */
	d = u;
	{
		struct scalar sh = scalar_const(31);

		scalar_alu(&d, &sh, BPF_ARSH, true);
	}
	ck_assert_int_eq(d.s32_min, -1);
	ck_assert_int_eq(d.s32_max, 0);
	ck_assert(scalar_fork_bitop(&d, &other, &c5, BPF_OR));
	scalar_alu(&d, &c5, BPF_OR, true);
	scalar_alu(&other, &c5, BPF_OR, true);
	ck_assert(tnum_equals_const(d.var_off, 0xffffffffULL)); /* the kernel's R0=0xffffffff */
	ck_assert(tnum_equals_const(other.var_off, 5));
}
END_TEST

START_TEST(test_bad_opcodes)
{
	struct scalar a = scalar_const(1), b = scalar_const(2);

	ck_assert_int_eq(scalar_alu(&a, &b, BPF_MOV, false), -EINVAL);
	ck_assert_int_eq(scalar_alu(&a, &b, BPF_END, false), -EINVAL);
	ck_assert(tnum_equals_const(a.var_off, 1));
	ck_assert_int_eq(scalar_check_alu_imm(BPF_DIV, false, 0), -EINVAL);
	ck_assert_int_eq(scalar_check_alu_imm(BPF_MOD, true, 0), -EINVAL);
	ck_assert_int_eq(scalar_check_alu_imm(BPF_DIV, false, -1), 0);
	ck_assert_int_eq(scalar_check_alu_imm(BPF_LSH, true, 32), -EINVAL);
	ck_assert_int_eq(scalar_check_alu_imm(BPF_LSH, false, 32), 0);
	ck_assert_int_eq(scalar_check_alu_imm(BPF_ARSH, false, 64), -EINVAL);
	ck_assert_int_eq(scalar_check_alu_imm(BPF_RSH, false, -1), -EINVAL);
	ck_assert_int_eq(scalar_check_alu_imm(BPF_ADD, false, 0), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scalar_alu");
	TCase *tc = tcase_create("brute_force");
	SRunner *sr;
	int failed, nops = (int)(sizeof(alu_ops) / sizeof(alu_ops[0]));

	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, pool_setup, pool_teardown);
	tcase_add_loop_test(tc, test_alu_random_pairs, 0, 2 * nops);
	tcase_add_loop_test(tc, test_alu_const_src, 0, 2 * nops);
	tcase_add_test(tc, test_end);
	tcase_add_test(tc, test_mov_and_loads);
	tcase_add_test(tc, test_sync_sound);
	tcase_add_test(tc, test_fork_bitop);
	tcase_add_test(tc, test_bad_opcodes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
