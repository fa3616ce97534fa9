/*
 * test_scalar_branch.c - deciding and refining conditional jumps, against brute force.
 *
 * For every comparison (jeq jne jgt jge jlt jle jsgt jsge jslt jsle jset), JMP and JMP32,
 * register against register (random state pairs), register against an immediate (the
 * kernel's fake constant register, imm sign-extended) and a register against itself:
 *   - scalar_branch (is_scalar_branch_taken) never calls a branch dead that a concrete
 *     pair takes (for the same register, pairs (x, x));
 *   - scalar_refine (regs_refine_cond_op + reg_bounds_sync) keeps, on each side, every
 *     concrete pair that takes that side, reports no invariant violation when such a pair
 *     exists, and leaves states that keep the invariants.
 */
#include <check.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain_gen.h"
#include "verifier/scalar.h"

#define MAXM 16

static struct scalar *S;
static uint64_t (*M)[MAXM];
static size_t *NM;
static size_t N;

static void pool_setup(void)
{
	size_t n, k = 0;
	struct scalar *all = dom_states(4, &n);

	S = malloc(n * sizeof(*S));
	M = malloc(n * sizeof(*M));
	NM = malloc(n * sizeof(*NM));
	ck_assert(S && M && NM);
	for (size_t i = 0; i < n; i++) {
		size_t nm = dom_scalar_members(&all[i], M[k], MAXM);

		if (!nm)
			continue;
		S[k] = all[i];
		NM[k] = nm;
		k++;
	}
	N = k;
	free(all);
}

static void pool_teardown(void)
{
	free(S);
	free(M);
	free(NM);
}

static const uint8_t jmp_ops[] = {BPF_JEQ,  BPF_JNE,  BPF_JGT,  BPF_JGE,  BPF_JLT, BPF_JLE,
                                  BPF_JSGT, BPF_JSGE, BPF_JSLT, BPF_JSLE, BPF_JSET};

static void fail2(const char *what, uint8_t op, bool is32, bool taken, const struct scalar *a,
                  const struct scalar *b, const struct scalar *ra, const struct scalar *rb,
                  uint64_t x, uint64_t y)
{
	char sa[320], sb[320], sra[320], srb[320];

	scalar_strn(sa, sizeof(sa), a);
	scalar_strn(sb, sizeof(sb), b);
	scalar_strn(sra, sizeof(sra), ra);
	scalar_strn(srb, sizeof(srb), rb);
	ck_abort_msg("%s: %s%s (%s branch)\n  a  %s\n  b  %s\n  a' %s\n  b' %s\n  concrete %#llx, "
	             "%#llx",
	             what, dom_jmp_name(op), is32 ? "32" : "", taken ? "taken" : "fall-through", sa,
	             sb, sra, srb, (unsigned long long)x, (unsigned long long)y);
}

/*
 * Both checks for one pair of states with their concrete members.  The states are copied
 * first: two distinct registers, even when they hold the same state (the domain reads the
 * same object on both sides as the same register).
 */
static void check_pair(uint8_t op, bool is32, const struct scalar *a0, const uint64_t *ma,
                       size_t na, const struct scalar *b0, const uint64_t *mb, size_t nb)
{
	struct scalar ca = *a0, cb = *b0;
	const struct scalar *a = &ca, *b = &cb;
	bool any[2] = {false, false};
	enum scalar_branch_outcome out = scalar_branch(a, b, op, is32);
	char why[400];

	for (size_t x = 0; x < na; x++)
		for (size_t y = 0; y < nb; y++)
			any[dom_cond(op, ma[x], mb[y], is32)] = true;
	if (any[1] && out == SCALAR_BRANCH_NOT_TAKEN)
		fail2("decided not taken, but a pair jumps", op, is32, true, a, b, a, b, 0, 0);
	if (any[0] && out == SCALAR_BRANCH_TAKEN)
		fail2("decided taken, but a pair falls through", op, is32, false, a, b, a, b, 0, 0);
	for (int taken = 0; taken < 2; taken++) {
		struct scalar ra = *a, rb = *b;
		int rc = scalar_refine(&ra, &rb, op, is32, taken);

		if (!any[taken])
			continue; /* the side is dead: the kernel's result there does not matter */
		if (rc != 0)
			fail2("invariant violation on a live branch", op, is32, taken, a, b, &ra,
			      &rb, 0, 0);
		if (!dom_consistent(&ra, why, sizeof(why)) ||
		    !dom_consistent(&rb, why, sizeof(why)))
			fail2(why, op, is32, taken, a, b, &ra, &rb, 0, 0);
		for (size_t x = 0; x < na; x++)
			for (size_t y = 0; y < nb; y++)
				if (dom_cond(op, ma[x], mb[y], is32) == (bool)taken &&
				    (!scalar_contains(&ra, ma[x]) || !scalar_contains(&rb, mb[y])))
					fail2("refinement drops a pair", op, is32, taken, a, b, &ra,
					      &rb, ma[x], mb[y]);
	}
}

/* _i: index into jmp_ops times 2 plus is32. */
START_TEST(test_reg_reg)
{
	uint8_t op = jmp_ops[_i / 2];
	bool is32 = _i % 2;
	uint64_t seed = 0xabcdef12345ULL + (uint64_t)_i;

	for (int k = 0; k < 5000; k++) {
		size_t i = dom_rand(&seed) % N, j = dom_rand(&seed) % N;

		check_pair(op, is32, &S[i], M[i], NM[i], &S[j], M[j], NM[j]);
	}
}
END_TEST

START_TEST(test_reg_imm)
{
	uint8_t op = jmp_ops[_i / 2];
	bool is32 = _i % 2;
	uint64_t seed = 0x777ULL + (uint64_t)_i;

	for (int k = 0; k < 3000; k++) {
		size_t i = dom_rand(&seed) % N, j = dom_rand(&seed) % N;
		/* an immediate near a member of another state: imm is s32, sign-extended */
		int32_t imm = (int32_t)((uint32_t)M[j][dom_rand(&seed) % NM[j]] +
		                        (uint32_t)(dom_rand(&seed) % 3) - 1u);
		uint64_t c = (uint64_t)(int64_t)imm;
		struct scalar b = scalar_const(c);

		check_pair(op, is32, &S[i], M[i], NM[i], &b, &c, 1);
		/* and the constant on the left, as after the kernel swaps for JSET/JNE */
		check_pair(op, is32, &b, &c, 1, &S[i], M[i], NM[i]);
	}
}
END_TEST

/*
 * The same register on both sides (if r1 > r1): the kernel has no special case; the
 * decision and the refinement through two aliases of one state must still be sound.
 */
START_TEST(test_same_register)
{
	uint8_t op = jmp_ops[_i / 2];
	bool is32 = _i % 2;

	for (size_t i = 0; i < N; i += 7) {
		bool any[2] = {false, false};
		struct scalar a = S[i];
		enum scalar_branch_outcome out = scalar_branch(&a, &a, op, is32);
		char why[400];

		for (size_t x = 0; x < NM[i]; x++)
			any[dom_cond(op, M[i][x], M[i][x], is32)] = true;
		if ((any[1] && out == SCALAR_BRANCH_NOT_TAKEN) ||
		    (any[0] && out == SCALAR_BRANCH_TAKEN))
			fail2("same register decided wrongly", op, is32, any[1], &S[i], &S[i],
			      &S[i], &S[i], M[i][0], M[i][0]);
		for (int taken = 0; taken < 2; taken++) {
			struct scalar r = S[i];
			int rc = scalar_refine(&r, &r, op, is32, taken);

			if (!any[taken])
				continue;
			if (rc != 0 || !dom_consistent(&r, why, sizeof(why)))
				fail2(rc ? "invariant violation on a live branch" : why, op, is32,
				      taken, &S[i], &S[i], &r, &r, 0, 0);
			for (size_t x = 0; x < NM[i]; x++)
				if (dom_cond(op, M[i][x], M[i][x], is32) == (bool)taken &&
				    !scalar_contains(&r, M[i][x]))
					fail2("refinement drops a value", op, is32, taken, &S[i],
					      &S[i], &r, &r, M[i][x], M[i][x]);
		}
	}
}
END_TEST

START_TEST(test_bad_opcode)
{
	struct scalar a = scalar_unknown(), b = scalar_const(3);

	ck_assert_int_eq(scalar_refine(&a, &b, BPF_JA, false, true), -EINVAL);
	ck_assert_int_eq(scalar_refine(&a, &b, BPF_CALL, false, true), -EINVAL);
	ck_assert_int_eq(scalar_branch(&a, &b, BPF_JA, false), SCALAR_BRANCH_UNKNOWN);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scalar_branch");
	TCase *tc = tcase_create("brute_force");
	SRunner *sr;
	int failed, nops = (int)(sizeof(jmp_ops) / sizeof(jmp_ops[0]));

	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, pool_setup, pool_teardown);
	tcase_add_loop_test(tc, test_reg_reg, 0, 2 * nops);
	tcase_add_loop_test(tc, test_reg_imm, 0, 2 * nops);
	tcase_add_loop_test(tc, test_same_register, 0, 2 * nops);
	tcase_add_test(tc, test_bad_opcode);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
