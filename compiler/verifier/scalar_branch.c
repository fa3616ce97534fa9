/*
 * scalar_branch.c - conditional jumps on scalars: deciding them and narrowing both sides.
 *
 * Models is_scalar_branch_taken(), regs_refine_cond_op() and the scalar part of
 * reg_set_min_max() of kernel/bpf/verifier.c (Linux 6.18):
 *   - a branch is decided from the ranges (unsigned and signed; for 64-bit JEQ/JNE also
 *     the subregister ranges), from constant tnums, for JEQ/JNE from tnums that disagree
 *     on a known bit, and for JSET from known bits of a constant mask;
 *   - the same register on both sides ("if r1 > r1") gets no special case in the running
 *     6.18 kernel: it is decided from its ranges like any pair, and refined through the
 *     two aliases of one state, in the kernel's order of assignments (r1 > r1 taken leaves
 *     umin 1 and umax U64_MAX - 1 on an unknown r1, as the live kernel shows);
 *   - refinement: GT/GE/SGT/SGE are rewritten as LT/LE/SLT/SLE with the operands swapped;
 *     EQ intersects ranges and tnums; NE only trims a range end equal to a constant; LT/LE
 *     move one end of each side's range (only the range of the compared kind: unsigned for
 *     JLT, signed for JSLT); JSET learns a bit only for a power-of-two constant, its
 *     negation clears the constant's bits (forgetting the ranges first); JMP32 works on the
 *     subregister only.  Both registers are then re-synced.
 */
#include <errno.h>
#include <linux/bpf.h>

#include "verifier/scalar.h"
#include "verifier/scalar_int.h"

#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* The kernel's rev_opcode() marker for "JSET not taken". */
#define JSET_NOT (BPF_JSET | BPF_X)

/* A comparison side as is_scalar_branch_taken sees it: 64-bit or subregister view. */
struct side {
	struct tnum t;
	uint64_t umin, umax;
	int64_t smin, smax;
};

static struct side view(const struct scalar *r, bool is32)
{
	struct side v;

	if (is32) {
		v.t = tnum_subreg(r->var_off);
		v.umin = r->u32_min;
		v.umax = r->u32_max;
		v.smin = r->s32_min;
		v.smax = r->s32_max;
	} else {
		v.t = r->var_off;
		v.umin = r->umin;
		v.umax = r->umax;
		v.smin = r->smin;
		v.smax = r->smax;
	}
	return v;
}

static bool is_const(const struct scalar *r, bool is32)
{
	return is32 ? tnum_subreg_is_const(r->var_off) : tnum_is_const(r->var_off);
}

static uint64_t const_value(const struct scalar *r, bool is32)
{
	return is32 ? tnum_subreg(r->var_off).value : r->var_off.value;
}

/* true if the two registers' ranges cannot meet (the JEQ/JNE range tests). */
static bool disjoint(const struct scalar *a, const struct scalar *b, const struct side *x,
                     const struct side *y, bool is32)
{
	if (x->umin > y->umax || x->umax < y->umin)
		return true;
	if (x->smin > y->smax || x->smax < y->smin)
		return true;
	if (!is32) {
		if (a->u32_min > b->u32_max || a->u32_max < b->u32_min)
			return true;
		if (a->s32_min > b->s32_max || a->s32_max < b->s32_min)
			return true;
	}
	return false;
}

enum scalar_branch_outcome scalar_branch(const struct scalar *a, const struct scalar *b,
                                         uint8_t jmp_op, bool is32)
{
	struct side x = view(a, is32), y = view(b, is32);

	switch (jmp_op) {
	case BPF_JEQ:
		if (tnum_is_const(x.t) && tnum_is_const(y.t))
			return x.t.value == y.t.value;
		if (!tnum_overlap(x.t, y.t))
			return SCALAR_BRANCH_NOT_TAKEN;
		if (disjoint(a, b, &x, &y, is32))
			return SCALAR_BRANCH_NOT_TAKEN;
		break;
	case BPF_JNE:
		if (tnum_is_const(x.t) && tnum_is_const(y.t))
			return x.t.value != y.t.value;
		if (!tnum_overlap(x.t, y.t))
			return SCALAR_BRANCH_TAKEN;
		if (disjoint(a, b, &x, &y, is32))
			return SCALAR_BRANCH_TAKEN;
		break;
	case BPF_JSET:
		if (!is_const(b, is32)) {
			struct side tmp = x;

			x = y;
			y = tmp;
			if (!is_const(a, is32))
				return SCALAR_BRANCH_UNKNOWN;
		}
		if ((~x.t.mask & x.t.value) & y.t.value)
			return SCALAR_BRANCH_TAKEN;
		if (!((x.t.mask | x.t.value) & y.t.value))
			return SCALAR_BRANCH_NOT_TAKEN;
		break;
	case BPF_JGT:
		if (x.umin > y.umax)
			return SCALAR_BRANCH_TAKEN;
		if (x.umax <= y.umin)
			return SCALAR_BRANCH_NOT_TAKEN;
		break;
	case BPF_JSGT:
		if (x.smin > y.smax)
			return SCALAR_BRANCH_TAKEN;
		if (x.smax <= y.smin)
			return SCALAR_BRANCH_NOT_TAKEN;
		break;
	case BPF_JLT:
		if (x.umax < y.umin)
			return SCALAR_BRANCH_TAKEN;
		if (x.umin >= y.umax)
			return SCALAR_BRANCH_NOT_TAKEN;
		break;
	case BPF_JSLT:
		if (x.smax < y.smin)
			return SCALAR_BRANCH_TAKEN;
		if (x.smin >= y.smax)
			return SCALAR_BRANCH_NOT_TAKEN;
		break;
	case BPF_JGE:
		if (x.umin >= y.umax)
			return SCALAR_BRANCH_TAKEN;
		if (x.umax < y.umin)
			return SCALAR_BRANCH_NOT_TAKEN;
		break;
	case BPF_JSGE:
		if (x.smin >= y.smax)
			return SCALAR_BRANCH_TAKEN;
		if (x.smax < y.smin)
			return SCALAR_BRANCH_NOT_TAKEN;
		break;
	case BPF_JLE:
		if (x.umax <= y.umin)
			return SCALAR_BRANCH_TAKEN;
		if (x.umin > y.umax)
			return SCALAR_BRANCH_NOT_TAKEN;
		break;
	case BPF_JSLE:
		if (x.smax <= y.smin)
			return SCALAR_BRANCH_TAKEN;
		if (x.smin > y.smax)
			return SCALAR_BRANCH_NOT_TAKEN;
		break;
	}
	return SCALAR_BRANCH_UNKNOWN;
}

/* rev_opcode: the condition of the fall-through branch. */
static int rev_opcode(uint8_t op)
{
	switch (op) {
	case BPF_JEQ:
		return BPF_JNE;
	case BPF_JNE:
		return BPF_JEQ;
	case BPF_JSET:
		return JSET_NOT;
	case BPF_JGT:
		return BPF_JLE;
	case BPF_JLE:
		return BPF_JGT;
	case BPF_JGE:
		return BPF_JLT;
	case BPF_JLT:
		return BPF_JGE;
	case BPF_JSGT:
		return BPF_JSLE;
	case BPF_JSLE:
		return BPF_JSGT;
	case BPF_JSGE:
		return BPF_JSLT;
	case BPF_JSLT:
		return BPF_JSGE;
	default:
		return -1;
	}
}

/* flip_opcode for the four "greater" forms: a > b is b < a. */
static uint8_t flip_opcode(uint8_t op)
{
	switch (op) {
	case BPF_JGT:
		return BPF_JLT;
	case BPF_JGE:
		return BPF_JLE;
	case BPF_JSGT:
		return BPF_JSLT;
	default:
		return BPF_JSLE;
	}
}

static void refine_eq(struct scalar *r1, struct scalar *r2, bool is32)
{
	if (is32) {
		struct tnum t;

		r1->u32_min = MAX(r1->u32_min, r2->u32_min);
		r1->u32_max = MIN(r1->u32_max, r2->u32_max);
		r1->s32_min = MAX(r1->s32_min, r2->s32_min);
		r1->s32_max = MIN(r1->s32_max, r2->s32_max);
		r2->u32_min = r1->u32_min;
		r2->u32_max = r1->u32_max;
		r2->s32_min = r1->s32_min;
		r2->s32_max = r1->s32_max;
		t = tnum_intersect(tnum_subreg(r1->var_off), tnum_subreg(r2->var_off));
		r1->var_off = tnum_with_subreg(r1->var_off, t);
		r2->var_off = tnum_with_subreg(r2->var_off, t);
		return;
	}
	r1->umin = MAX(r1->umin, r2->umin);
	r1->umax = MIN(r1->umax, r2->umax);
	r1->smin = MAX(r1->smin, r2->smin);
	r1->smax = MIN(r1->smax, r2->smax);
	r2->umin = r1->umin;
	r2->umax = r1->umax;
	r2->smin = r1->smin;
	r2->smax = r1->smax;
	r1->var_off = tnum_intersect(r1->var_off, r2->var_off);
	r2->var_off = r1->var_off;
}

/*
 * NE against a constant: a range end equal to it moves by one.  The kernel's arithmetic
 * wraps (it is built with -fno-strict-overflow); it only wraps on a branch that cannot
 * happen, and the result must still be the kernel's, so it is done in unsigned here.
 */
static void refine_ne(struct scalar *r1, uint64_t val, bool is32)
{
	if (is32) {
		if (r1->u32_min == (uint32_t)val)
			r1->u32_min++;
		if (r1->u32_max == (uint32_t)val)
			r1->u32_max--;
		if (r1->s32_min == (int32_t)(uint32_t)val)
			r1->s32_min = (int32_t)((uint32_t)r1->s32_min + 1);
		if (r1->s32_max == (int32_t)(uint32_t)val)
			r1->s32_max = (int32_t)((uint32_t)r1->s32_max - 1);
		return;
	}
	if (r1->umin == val)
		r1->umin++;
	if (r1->umax == val)
		r1->umax--;
	if (r1->smin == (int64_t)val)
		r1->smin = (int64_t)((uint64_t)r1->smin + 1);
	if (r1->smax == (int64_t)val)
		r1->smax = (int64_t)((uint64_t)r1->smax - 1);
}

/*
 * regs_refine_cond_op.  The kernel's arithmetic here is in the fields' own types (the
 * "- 1"/"+ 1" of LT may wrap when the branch is impossible; scalar_is_valid() catches it).
 */
static void refine_cond(struct scalar *r1, struct scalar *r2, int op, bool is32)
{
	struct scalar *tmp;
	uint64_t val;

	if (op == BPF_JGE || op == BPF_JGT || op == BPF_JSGE || op == BPF_JSGT) {
		op = flip_opcode((uint8_t)op);
		tmp = r1;
		r1 = r2;
		r2 = tmp;
	}
	switch (op) {
	case BPF_JEQ:
		refine_eq(r1, r2, is32);
		break;
	case BPF_JNE:
	case BPF_JSET:
	case JSET_NOT:
		if (!is_const(r2, is32)) {
			tmp = r1;
			r1 = r2;
			r2 = tmp;
		}
		if (!is_const(r2, is32))
			break;
		val = const_value(r2, is32);
		if (op == BPF_JNE) {
			refine_ne(r1, val, is32);
		} else if (op == BPF_JSET) {
			if (!val || (val & (val - 1)))
				break;
			if (is32)
				r1->var_off =
				    tnum_with_subreg(r1->var_off, tnum_or(tnum_subreg(r1->var_off),
				                                          tnum_const(val)));
			else
				r1->var_off = tnum_or(r1->var_off, tnum_const(val));
		} else {
			scalar_unbound(r1);
			if (is32)
				r1->var_off =
				    tnum_with_subreg(r1->var_off, tnum_and(tnum_subreg(r1->var_off),
				                                           tnum_const(~val)));
			else
				r1->var_off = tnum_and(r1->var_off, tnum_const(~val));
		}
		break;
	case BPF_JLE:
		if (is32) {
			r1->u32_max = MIN(r1->u32_max, r2->u32_max);
			r2->u32_min = MAX(r1->u32_min, r2->u32_min);
		} else {
			r1->umax = MIN(r1->umax, r2->umax);
			r2->umin = MAX(r1->umin, r2->umin);
		}
		break;
	case BPF_JLT:
		if (is32) {
			r1->u32_max = MIN(r1->u32_max, (uint32_t)(r2->u32_max - 1));
			r2->u32_min = MAX((uint32_t)(r1->u32_min + 1), r2->u32_min);
		} else {
			r1->umax = MIN(r1->umax, r2->umax - 1);
			r2->umin = MAX(r1->umin + 1, r2->umin);
		}
		break;
	case BPF_JSLE:
		if (is32) {
			r1->s32_max = MIN(r1->s32_max, r2->s32_max);
			r2->s32_min = MAX(r1->s32_min, r2->s32_min);
		} else {
			r1->smax = MIN(r1->smax, r2->smax);
			r2->smin = MAX(r1->smin, r2->smin);
		}
		break;
	case BPF_JSLT:
		if (is32) {
			r1->s32_max = MIN(r1->s32_max, (int32_t)((uint32_t)r2->s32_max - 1));
			r2->s32_min = MAX((int32_t)((uint32_t)r1->s32_min + 1), r2->s32_min);
		} else {
			r1->smax = MIN(r1->smax, (int64_t)((uint64_t)r2->smax - 1));
			r2->smin = MAX((int64_t)((uint64_t)r1->smin + 1), r2->smin);
		}
		break;
	}
}

int scalar_refine(struct scalar *a, struct scalar *b, uint8_t jmp_op, bool is32, bool taken)
{
	int op = taken ? jmp_op : rev_opcode(jmp_op);

	if (rev_opcode(jmp_op) < 0)
		return -EINVAL;
	/* a == b: the same register; every assignment below goes through both aliases */
	refine_cond(a, b, op, is32);
	scalar_sync(a);
	scalar_sync(b);
	if (scalar_is_valid(a) && scalar_is_valid(b))
		return 0;
	/* reg_bounds_sanity_check on each register: forget the ranges, keep the tnum. */
	if (!scalar_is_valid(a))
		scalar_unbound(a);
	if (!scalar_is_valid(b))
		scalar_unbound(b);
	return -ERANGE;
}
