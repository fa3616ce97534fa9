/*
 * test_scalar_kernel.c - exact answers of the Linux 6.18 kernel verifier on chosen cases.
 *
 * Each case builds a register the way a tiny program would (r0 = bpf_get_prandom_u32(),
 * then the listed instructions), applies one more step and compares every bound and the
 * tnum with the state the kernel printed for the same program at log level 2 (6.18.44,
 * recorded while writing this test; test_domain_kernel.c repeats such comparisons live).
 * The comment of each case names the kernel function whose rule it pins down.  The
 * expected values are the kernel's, not whatever the domain computes: a more precise or a
 * less precise answer both fail.
 */
#include <check.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>

#include "verifier/scalar.h"

#define U64    UINT64_MAX
#define S64MIN INT64_MIN
#define S64MAX INT64_MAX

/* A state written field by field, in the kernel's print order. */
static struct scalar st(int64_t smin, int64_t smax, uint64_t umin, uint64_t umax, int32_t s32min,
                        int32_t s32max, uint32_t u32min, uint32_t u32max, uint64_t v, uint64_t m)
{
	return (struct scalar){.var_off = {.value = v, .mask = m},
	                       .smin = smin,
	                       .smax = smax,
	                       .umin = umin,
	                       .umax = umax,
	                       .s32_min = s32min,
	                       .s32_max = s32max,
	                       .u32_min = u32min,
	                       .u32_max = u32max};
}

static void expect(const char *name, const struct scalar *got, struct scalar want)
{
	char g[320], w[320];

	scalar_strn(g, sizeof(g), got);
	scalar_strn(w, sizeof(w), &want);
	ck_assert_msg(!memcmp(got, &want, sizeof(want)), "%s\n  got  %s\n  want %s", name, g, w);
}

/* dst op= imm, as the kernel's BPF_K fake register (imm sign-extended). */
static void alu(struct scalar *s, uint8_t op, int32_t imm, bool alu32)
{
	struct scalar k = scalar_const((uint64_t)(int64_t)imm);

	ck_assert_int_eq(scalar_alu(s, &k, op, alu32), 0);
}

/* One side of "if s op imm": taken or fall-through. */
static int jmp(struct scalar *s, uint8_t op, int32_t imm, bool is32, bool taken)
{
	struct scalar k = scalar_const((uint64_t)(int64_t)imm);

	return scalar_refine(s, &k, op, is32, taken);
}

/* adjust_scalar_min_max_vals, BPF_NEG: 0 - x through scalar_min_max_sub and tnum_neg. */
START_TEST(test_neg)
{
	struct scalar s = scalar_unknown();

	alu(&s, BPF_AND, 15, false);
	alu(&s, BPF_NEG, 0, false);
	/* r0 = -r0 ; R0=scalar(smin=smin32=-15,smax=smax32=0) */
	expect("neg", &s, st(-15, 0, 0, U64, -15, 0, 0, UINT32_MAX, 0, U64));
}
END_TEST

/* scalar_byte_swap + coerce_reg_to_size: be16 swaps the tnum and truncates. */
START_TEST(test_bswap)
{
	struct scalar s = scalar_unknown();

	alu(&s, BPF_AND, 255, false);
	ck_assert_int_eq(scalar_end(&s, false, true, 16), 0);
	/* r0 = be16 r0 ;
	 * R0=scalar(smin=smin32=0,smax=umax=smax32=umax32=0xff00,var_off=(0x0;0xff00)) */
	expect("be16", &s, st(0, 0xff00, 0, 0xff00, 0, 0xff00, 0, 0xff00, 0, 0xff00));
	s = scalar_unknown();
	alu(&s, BPF_AND, 255, false);
	ck_assert_int_eq(scalar_end(&s, true, false, 64), 0);
	/* r0 = bswap64 r0 ; R0=scalar(smax=0x7f00000000000000,umax=0xff00000000000000,
	 * smin32=0,smax32=umax32=0,var_off=(0x0; 0xff00000000000000)) */
	expect("bswap64", &s,
	       st(S64MIN, 0x7f00000000000000LL, 0, 0xff00000000000000ULL, 0, 0, 0, 0, 0,
	          0xff00000000000000ULL));
	/* le64 in class ALU: no swap, and no zero-extension */
	s = scalar_unknown();
	ck_assert_int_eq(scalar_end(&s, false, false, 64), 0);
	expect("le64", &s, scalar_unknown());
	ck_assert_int_eq(scalar_end(&s, false, false, 32), 0);
	/* r0 = le32 r0 ; R0=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) */
	expect(
	    "le32", &s,
	    st(0, 0xffffffff, 0, 0xffffffff, INT32_MIN, INT32_MAX, 0, UINT32_MAX, 0, 0xffffffff));
}
END_TEST

/*
 * is_safe_to_compute_dst_reg_range: DIV and MOD are never tracked, and the unknown result
 * of an alu32 one is not zero-extended.  This is the "32-bit % at -mcpu=v3" fact; for
 * `u32 i = x % y; if (i < 16) return v[i];` clang 19 emits
 *   v3: w2 %= w3; if w2 > 0xf goto out       (JMP32: only the subregister is bounded)
 *   v1: r2 %= r3; if r2 > 0xf goto out       (operands zero-extended before; JMP64)
 */
START_TEST(test_div_mod)
{
	struct scalar s = scalar_unknown(), v1 = scalar_unknown(), y = scalar_unknown();

	alu(&s, BPF_AND, 255, true);
	alu(&s, BPF_MOD, 3, true);
	/* w0 %= 3 ; R0=scalar() */
	expect("mod32", &s, scalar_unknown());
	s = scalar_unknown();
	alu(&s, BPF_AND, 255, false);
	alu(&s, BPF_DIV, 3, false);
	expect("div64", &s, scalar_unknown());
	/* v3 */
	s = scalar_unknown();
	ck_assert_int_eq(scalar_alu(&s, &y, BPF_MOD, true), 0);
	ck_assert_int_eq(jmp(&s, BPF_JGT, 15, true, false), 0);
	ck_assert_uint_eq(s.u32_max, 15);
	ck_assert_uint_eq(s.umax, 0xffffffff0000000fULL); /* __reg_deduce_mixed_bounds */
	/* v1: the operands were zero-extended by <<32 >>32, the result is unknown all the same */
	alu(&v1, BPF_LSH, 32, false);
	alu(&v1, BPF_RSH, 32, false);
	alu(&y, BPF_LSH, 32, false);
	alu(&y, BPF_RSH, 32, false);
	ck_assert_int_eq(scalar_alu(&v1, &y, BPF_MOD, false), 0);
	expect("mod64", &v1, scalar_unknown());
	ck_assert_int_eq(jmp(&v1, BPF_JGT, 15, false, false), 0);
	expect("!(r2 > 15)", &v1, st(0, 15, 0, 15, 0, 15, 0, 15, 0, 15));
}
END_TEST

/* __scalar64_min_max_lsh: "<< 32" moves the s32 range up, negative ones included. */
START_TEST(test_lsh32_special_case)
{
	struct scalar s = scalar_unknown();

	alu(&s, BPF_AND, 7, true);
	alu(&s, BPF_SUB, 5, true);
	/* w0 -= 5 ; R0=scalar(smin=0,smax=umax=0xffffffff,smin32=-5,smax32=2,var_off=(0x0;
	 * 0xffffffff)) */
	expect("w0 -= 5", &s,
	       st(0, 0xffffffff, 0, 0xffffffff, -5, 2, 0, UINT32_MAX, 0, 0xffffffff));
	alu(&s, BPF_LSH, 32, false);
	/* r0 <<= 32 ; R0=scalar(smin=0xfffffffb00000000,smax=0x200000000,umax=0xffffffff00000000,
	 * smin32=0,smax32=umax32=0,var_off=(0x0; 0xffffffff00000000)) */
	expect("r0 <<= 32", &s,
	       st((int64_t)0xfffffffb00000000ULL, 0x200000000LL, 0, 0xffffffff00000000ULL, 0, 0, 0,
	          0, 0, 0xffffffff00000000ULL));
}
END_TEST

/* regs_refine_cond_op + __reg64_deduce_bounds on a signed range that crosses zero. */
START_TEST(test_refine_cross_zero)
{
	struct scalar s = scalar_unknown(), t;

	alu(&s, BPF_ARSH, 60, false);
	expect("s>> 60", &s, st(-8, 7, 0, U64, -8, 7, 0, UINT32_MAX, 0, U64));
	t = s;
	ck_assert_int_eq(jmp(&s, BPF_JGT, 5, false, false), 0);
	/* if r0 > 0x5 ; R0=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7)) */
	expect("!(r0 > 5)", &s, st(0, 5, 0, 5, 0, 5, 0, 5, 0, 7));
	ck_assert_int_eq(jmp(&t, BPF_JGT, 5, false, true), 0);
	/* from 2 to 4: R0=scalar(smin=smin32=-8,smax=smax32=7,umin=6) */
	expect("r0 > 5", &t, st(-8, 7, 6, U64, -8, 7, 0, UINT32_MAX, 0, U64));
}
END_TEST

/* __reg32_deduce_bounds: an s32 range wrapping in u32 terms meets one end of the u32 range. */
START_TEST(test_s32_sign_crossing)
{
	struct scalar s = scalar_unknown(), t;

	alu(&s, BPF_ARSH, 29, true);
	t = s;
	ck_assert_int_eq(jmp(&t, BPF_JGT, 0x100, true, true), 0);
	/* from 2 to 4: R0=scalar(smin=umin=umin32=0xfffffffc,smax=umax=0xffffffff,smin32=-4,
	 * smax32=-1,var_off=(0xfffffffc; 0x3)) */
	expect("w0 > 0x100", &t,
	       st(0xfffffffc, 0xffffffff, 0xfffffffc, 0xffffffff, -4, -1, 0xfffffffc, 0xffffffff,
	          0xfffffffc, 3));
	ck_assert_int_eq(jmp(&s, BPF_JGT, 0x100, true, false), 0);
	expect("!(w0 > 0x100)", &s, st(0, 3, 0, 3, 0, 3, 0, 3, 0, 3));
}
END_TEST

/* __update_reg64_bounds with tnum_step: a range holding one tnum member is that constant. */
START_TEST(test_single_value)
{
	struct scalar s = scalar_unknown(), t;

	alu(&s, BPF_AND, 0x11, false);
	t = s;
	ck_assert_int_eq(jmp(&t, BPF_JGT, 16, false, true), 0);
	expect("r0 > 16", &t, scalar_const(17)); /* from 2 to 6: R0=17 */
	ck_assert_int_eq(jmp(&s, BPF_JGT, 16, false, false), 0);
	expect("!(r0 > 16)", &s, st(0, 16, 0, 16, 0, 16, 0, 16, 0, 0x11));
	ck_assert_int_eq(jmp(&s, BPF_JLT, 2, false, false), 0);
	expect("!(r0 < 2)", &s, scalar_const(16)); /* if r0 < 0x2 ; R0=16 */
	/* JSET on the [-1, 0] subregister: bit 8 set leaves only -1 */
	s = scalar_unknown();
	alu(&s, BPF_ARSH, 31, true);
	ck_assert_int_eq(jmp(&s, BPF_JSET, 0x100, false, true), 0);
	expect("r0 & 0x100", &s, scalar_const(0xffffffff)); /* from 5 to 7: R0=0xffffffff */
}
END_TEST

/* is_scalar_branch_taken: JEQ/JNE decided by tnums that cannot meet (tnum_overlap). */
START_TEST(test_branch_taken)
{
	struct scalar s = scalar_unknown(), one = scalar_const(1), two = scalar_const(2);

	alu(&s, BPF_AND, 2, false);
	ck_assert_int_eq(scalar_branch(&s, &one, BPF_JEQ, false), SCALAR_BRANCH_NOT_TAKEN);
	ck_assert_int_eq(scalar_branch(&s, &one, BPF_JNE, false), SCALAR_BRANCH_TAKEN);
	ck_assert_int_eq(scalar_branch(&s, &two, BPF_JEQ, false), SCALAR_BRANCH_UNKNOWN);
	/*
	 * The same register: no special case in the running kernel.  "if r0 > r0" on an
	 * unknown r0 is explored both ways, and the taken side is refined through the two
	 * aliases: from 1 to 3: R0=scalar(umin=1,umax=0xfffffffffffffffe).
	 */
	{
		struct scalar u = scalar_unknown();

		ck_assert_int_eq(scalar_branch(&u, &u, BPF_JGT, false), SCALAR_BRANCH_UNKNOWN);
		ck_assert_int_eq(scalar_refine(&u, &u, BPF_JGT, false, true), 0);
		expect("r0 > r0", &u,
		       st(S64MIN, S64MAX, 1, U64 - 1, INT32_MIN, INT32_MAX, 0, UINT32_MAX, 0, U64));
	}
	ck_assert_int_eq(scalar_branch(&s, &s, BPF_JGE, false), SCALAR_BRANCH_UNKNOWN);
	ck_assert_int_eq(scalar_branch(&s, &s, BPF_JSET, false), SCALAR_BRANCH_UNKNOWN);
	alu(&s, BPF_OR, 1, false);
	ck_assert_int_eq(scalar_branch(&s, &s, BPF_JSET, false), SCALAR_BRANCH_UNKNOWN);
}
END_TEST

/*
 * reg_bounds_sanity_check after reg_set_min_max: a refinement that empties the ranges is
 * a "REG INVARIANTS VIOLATION"; the kernel forgets that register's ranges (keeping its
 * tnum) and goes on.  From a program the kernel logged:
 *   r0: smin=0x8000000000000007,smax=0x7fffffff00000007,umin=255,umax=0xffffffff00000007,
 *       smin32=umin32=7,smax32=umax32=7,var_off=(0x7; 0xffffffff00000000)
 *   r6: smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)
 *   if r0 >= r6 (fall-through) -> violation (false_reg1), R0=7 (tnum), R6 umin=256
 */
START_TEST(test_invariant_violation)
{
	struct scalar r0 = st(INT64_MIN + 7, 0x7fffffff00000007LL, 255, 0xffffffff00000007ULL, 7, 7,
	                      7, 7, 7, 0xffffffff00000000ULL);
	struct scalar r6 =
	    st(0, 0xffffffff, 0, 0xffffffff, INT32_MIN, INT32_MAX, 0, UINT32_MAX, 0, 0xffffffff);

	ck_assert_int_eq(scalar_refine(&r0, &r6, BPF_JGE, false, false), -ERANGE);
	ck_assert(tnum_equals_const(r0.var_off, 7));
	ck_assert_int_eq(r0.smin, S64MIN); /* forgotten ranges */
	ck_assert_uint_eq(r0.umax, U64);
	expect("r6", &r6,
	       st(256, 0xffffffff, 256, 0xffffffff, INT32_MIN, INT32_MAX, 256, UINT32_MAX, 0,
	          0xffffffff));
}
END_TEST

/* coerce_reg_to_size_sx / coerce_subreg_to_size_sx through MOVSX. */
START_TEST(test_movsx)
{
	struct scalar s = scalar_unknown(), r;

	alu(&s, BPF_AND, 0x7f, false);
	ck_assert_int_eq(scalar_mov(&r, &s, false, 8), 0);
	expect("(s8) of [0,127]", &r, st(0, 127, 0, 127, 0, 127, 0, 127, 0, 127));
	alu(&s, BPF_OR, 0x80, false);
	ck_assert_int_eq(scalar_mov(&r, &s, false, 8), 0);
	/* [128, 255] sign-extends to [-128, -1]: tnum_range of the two ends */
	expect("(s8) of [128,255]", &r,
	       st(-128, -1, (uint64_t)-128, U64, -128, -1, (uint32_t)-128, UINT32_MAX,
	          0xffffffffffffff80ULL, 0x7f));
	s = scalar_unknown();
	ck_assert_int_eq(scalar_mov(&r, &s, true, 8), 0);
	/* w0 = (s8)w0 of anything ; R0=scalar(smin=0,smax=umax=0xffffffff,smin32=-128,smax32=127,
	 * var_off=(0x0; 0xffffffff)) */
	expect("w0 = (s8)w0", &r,
	       st(0, 0xffffffff, 0, 0xffffffff, -128, 127, 0, UINT32_MAX, 0, 0xffffffff));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scalar_kernel");
	TCase *tc = tcase_create("kernel_answers");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_neg);
	tcase_add_test(tc, test_bswap);
	tcase_add_test(tc, test_div_mod);
	tcase_add_test(tc, test_lsh32_special_case);
	tcase_add_test(tc, test_refine_cross_zero);
	tcase_add_test(tc, test_s32_sign_crossing);
	tcase_add_test(tc, test_single_value);
	tcase_add_test(tc, test_branch_taken);
	tcase_add_test(tc, test_invariant_violation);
	tcase_add_test(tc, test_movsx);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
