/*
 * scalar_alu.c - transfer functions of ALU instructions on scalar registers.
 *
 * Models adjust_scalar_min_max_vals() and the scalar{,32}_min_max_<op>() functions of
 * kernel/bpf/verifier.c (Linux 6.18).  The rules, and where the kernel gives up:
 *   - ADD/SUB/MUL/AND/OR/XOR/NEG: tnum and both bound sets computed independently on 64 and
 *     32 bits; a signed range that may overflow becomes unbounded; an unsigned add/sub
 *     range survives when either no value or every value wraps; MUL keeps the unsigned
 *     range only without overflow and the signed range from the four corner products;
 *     AND/OR/XOR take one unsigned end from the tnum and signed bounds only when the
 *     unsigned range does not cross the sign bit.
 *   - LSH/RSH/ARSH: only by a constant amount below the width (otherwise the register is
 *     unknown); the bounds of the other width are recomputed from the tnum.
 *   - DIV/MOD (by anything, even a constant): the register becomes unknown, all 64 bits,
 *     with no zero-extension even for alu32.  This is why 32-bit `%` loses its bounds at
 *     -mcpu=v3 but not at v1: for `u32 i = x % y; if (i < 16) v[i]` clang 19 emits at v3
 *     `w2 %= w3; if w2 > 15` (the JMP32 bounds the subregister only, the upper half stays
 *     unknown and `r1 += r2` is refused) and at v1 `r2 %= r3; if r2 > 15` on zero-extended
 *     operands (the 64-bit compare bounds the whole register).
 *   - AND/OR with a constant on a [-1, 0] register fork the state first (scalar_fork_bitop).
 *   - END: a swap forgets the ranges and swaps the tnum, a 16/32-bit form then truncates
 *     as a narrow load does; no zero-extension step after it even in class ALU (be64).
 *   - alu32 results are zero-extended into 64 bits, then everything is re-synced.
 * The src operand is read as a copy, so dst and src may be the same register.
 */
#include <errno.h>
#include <linux/bpf.h>

#include "verifier/scalar.h"
#include "verifier/scalar_int.h"

#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define MIN(a, b) ((a) < (b) ? (a) : (b))

static void add32(struct scalar *d, const struct scalar *s)
{
	bool min_ovf, max_ovf;

	if (__builtin_add_overflow(d->s32_min, s->s32_min, &d->s32_min) ||
	    __builtin_add_overflow(d->s32_max, s->s32_max, &d->s32_max)) {
		d->s32_min = INT32_MIN;
		d->s32_max = INT32_MAX;
	}
	min_ovf = __builtin_add_overflow(d->u32_min, s->u32_min, &d->u32_min);
	max_ovf = __builtin_add_overflow(d->u32_max, s->u32_max, &d->u32_max);
	if (!min_ovf && max_ovf) {
		d->u32_min = 0;
		d->u32_max = UINT32_MAX;
	}
}

static void add64(struct scalar *d, const struct scalar *s)
{
	bool min_ovf, max_ovf;

	if (__builtin_add_overflow(d->smin, s->smin, &d->smin) ||
	    __builtin_add_overflow(d->smax, s->smax, &d->smax)) {
		d->smin = INT64_MIN;
		d->smax = INT64_MAX;
	}
	min_ovf = __builtin_add_overflow(d->umin, s->umin, &d->umin);
	max_ovf = __builtin_add_overflow(d->umax, s->umax, &d->umax);
	if (!min_ovf && max_ovf) {
		d->umin = 0;
		d->umax = UINT64_MAX;
	}
}

static void sub32(struct scalar *d, const struct scalar *s)
{
	bool min_unf, max_unf;

	if (__builtin_sub_overflow(d->s32_min, s->s32_max, &d->s32_min) ||
	    __builtin_sub_overflow(d->s32_max, s->s32_min, &d->s32_max)) {
		d->s32_min = INT32_MIN;
		d->s32_max = INT32_MAX;
	}
	min_unf = __builtin_sub_overflow(d->u32_min, s->u32_max, &d->u32_min);
	max_unf = __builtin_sub_overflow(d->u32_max, s->u32_min, &d->u32_max);
	if (min_unf && !max_unf) {
		d->u32_min = 0;
		d->u32_max = UINT32_MAX;
	}
}

static void sub64(struct scalar *d, const struct scalar *s)
{
	bool min_unf, max_unf;

	if (__builtin_sub_overflow(d->smin, s->smax, &d->smin) ||
	    __builtin_sub_overflow(d->smax, s->smin, &d->smax)) {
		d->smin = INT64_MIN;
		d->smax = INT64_MAX;
	}
	min_unf = __builtin_sub_overflow(d->umin, s->umax, &d->umin);
	max_unf = __builtin_sub_overflow(d->umax, s->umin, &d->umax);
	if (min_unf && !max_unf) {
		d->umin = 0;
		d->umax = UINT64_MAX;
	}
}

static void mul32(struct scalar *d, const struct scalar *s)
{
	int32_t p[4];

	if (__builtin_mul_overflow(d->u32_max, s->u32_max, &d->u32_max) ||
	    __builtin_mul_overflow(d->u32_min, s->u32_min, &d->u32_min)) {
		d->u32_min = 0;
		d->u32_max = UINT32_MAX;
	}
	if (__builtin_mul_overflow(d->s32_min, s->s32_min, &p[0]) ||
	    __builtin_mul_overflow(d->s32_min, s->s32_max, &p[1]) ||
	    __builtin_mul_overflow(d->s32_max, s->s32_min, &p[2]) ||
	    __builtin_mul_overflow(d->s32_max, s->s32_max, &p[3])) {
		d->s32_min = INT32_MIN;
		d->s32_max = INT32_MAX;
	} else {
		d->s32_min = MIN(MIN(p[0], p[1]), MIN(p[2], p[3]));
		d->s32_max = MAX(MAX(p[0], p[1]), MAX(p[2], p[3]));
	}
}

static void mul64(struct scalar *d, const struct scalar *s)
{
	int64_t p[4];

	if (__builtin_mul_overflow(d->umax, s->umax, &d->umax) ||
	    __builtin_mul_overflow(d->umin, s->umin, &d->umin)) {
		d->umin = 0;
		d->umax = UINT64_MAX;
	}
	if (__builtin_mul_overflow(d->smin, s->smin, &p[0]) ||
	    __builtin_mul_overflow(d->smin, s->smax, &p[1]) ||
	    __builtin_mul_overflow(d->smax, s->smin, &p[2]) ||
	    __builtin_mul_overflow(d->smax, s->smax, &p[3])) {
		d->smin = INT64_MIN;
		d->smax = INT64_MAX;
	} else {
		d->smin = MIN(MIN(p[0], p[1]), MIN(p[2], p[3]));
		d->smax = MAX(MAX(p[0], p[1]), MAX(p[2], p[3]));
	}
}

/* Signed bounds from the unsigned ones when these do not cross the sign bit. */
static void signed_from_unsigned32(struct scalar *d)
{
	if ((int32_t)d->u32_min <= (int32_t)d->u32_max) {
		d->s32_min = (int32_t)d->u32_min;
		d->s32_max = (int32_t)d->u32_max;
	} else {
		d->s32_min = INT32_MIN;
		d->s32_max = INT32_MAX;
	}
}

static void signed_from_unsigned64(struct scalar *d)
{
	if ((int64_t)d->umin <= (int64_t)d->umax) {
		d->smin = (int64_t)d->umin;
		d->smax = (int64_t)d->umax;
	} else {
		d->smin = INT64_MIN;
		d->smax = INT64_MAX;
	}
}

/*
 * AND, OR and XOR run after the tnum of dst already holds the result; "both known" is
 * asked of the source and of that result, as the kernel does.
 */
static void bitop32(struct scalar *d, const struct scalar *s, uint8_t op)
{
	struct tnum t = tnum_subreg(d->var_off);

	if (tnum_subreg_is_const(s->var_off) && tnum_subreg_is_const(d->var_off)) {
		scalar_mark_known32(d, (uint32_t)t.value);
		return;
	}
	if (op == BPF_AND) {
		d->u32_min = (uint32_t)t.value;
		d->u32_max = MIN(d->u32_max, s->u32_max);
	} else if (op == BPF_OR) {
		d->u32_min = MAX(d->u32_min, s->u32_min);
		d->u32_max = (uint32_t)(t.value | t.mask);
	} else {
		d->u32_min = (uint32_t)t.value;
		d->u32_max = (uint32_t)(t.value | t.mask);
	}
	signed_from_unsigned32(d);
}

static void bitop64(struct scalar *d, const struct scalar *s, uint8_t op)
{
	struct tnum t = d->var_off;

	if (tnum_is_const(s->var_off) && tnum_is_const(d->var_off)) {
		*d = scalar_const(t.value);
		return;
	}
	if (op == BPF_AND) {
		d->umin = t.value;
		d->umax = MIN(d->umax, s->umax);
	} else if (op == BPF_OR) {
		d->umin = MAX(d->umin, s->umin);
		d->umax = t.value | t.mask;
	} else {
		d->umin = t.value;
		d->umax = t.value | t.mask;
	}
	signed_from_unsigned64(d);
	scalar_update_bounds(d);
}

static void lsh32_bounds(struct scalar *d, uint64_t umin_val, uint64_t umax_val)
{
	d->s32_min = INT32_MIN;
	d->s32_max = INT32_MAX;
	if (umax_val > 31 || d->u32_max > 1ULL << (31 - umax_val)) {
		d->u32_min = 0;
		d->u32_max = UINT32_MAX;
	} else {
		d->u32_min <<= umin_val;
		d->u32_max <<= umax_val;
	}
}

static void lsh64_bounds(struct scalar *d, uint64_t umin_val, uint64_t umax_val)
{
	/*
	 * x << 32 (the "<<32 s>>32" sign-extension idiom): the s32 range shifted up stays an
	 * ordered s64 range whatever its sign (6.18 applies this to negative ranges too).
	 */
	if (umin_val == 32 && umax_val == 32) {
		d->smax = (int64_t)((uint64_t)(int64_t)d->s32_max << 32);
		d->smin = (int64_t)((uint64_t)(int64_t)d->s32_min << 32);
	} else {
		d->smax = INT64_MAX;
		d->smin = INT64_MIN;
	}
	if (d->umax > 1ULL << (63 - umax_val)) {
		d->umin = 0;
		d->umax = UINT64_MAX;
	} else {
		d->umin <<= umin_val;
		d->umax <<= umax_val;
	}
}

static void lsh(struct scalar *d, const struct scalar *s, bool alu32)
{
	if (alu32) {
		struct tnum sub = tnum_subreg(d->var_off);

		lsh32_bounds(d, s->u32_min, s->u32_max);
		d->var_off = tnum_subreg(tnum_lshift(sub, (uint8_t)s->u32_min));
		scalar_unbound64(d);
		scalar_update_bounds32(d);
		return;
	}
	lsh64_bounds(d, s->umin, s->umax);
	lsh32_bounds(d, s->umin, s->umax);
	d->var_off = tnum_lshift(d->var_off, (uint8_t)s->umin);
	scalar_update_bounds(d);
}

/* Logical right shift: signed bounds are rebuilt from the unsigned ones and the tnum. */
static void rsh(struct scalar *d, const struct scalar *s, bool alu32)
{
	if (alu32) {
		struct tnum sub = tnum_subreg(d->var_off);

		d->s32_min = INT32_MIN;
		d->s32_max = INT32_MAX;
		d->var_off = tnum_rshift(sub, (uint8_t)s->u32_min);
		d->u32_min >>= s->u32_max;
		d->u32_max >>= s->u32_min;
		scalar_unbound64(d);
		scalar_update_bounds32(d);
		return;
	}
	d->smin = INT64_MIN;
	d->smax = INT64_MAX;
	d->var_off = tnum_rshift(d->var_off, (uint8_t)s->umin);
	d->umin >>= s->umax;
	d->umax >>= s->umin;
	scalar_unbound32(d);
	scalar_update_bounds(d);
}

/* Arithmetic right shift: signed bounds shift, unsigned ones come from the tnum. */
static void arsh(struct scalar *d, const struct scalar *s, bool alu32)
{
	if (alu32) {
		uint8_t k = (uint8_t)s->u32_min;

		d->s32_min >>= k;
		d->s32_max >>= k;
		d->var_off = tnum_arshift(tnum_subreg(d->var_off), k, 32);
		d->u32_min = 0;
		d->u32_max = UINT32_MAX;
		scalar_unbound64(d);
		scalar_update_bounds32(d);
		return;
	}
	d->smin >>= (uint8_t)s->umin;
	d->smax >>= (uint8_t)s->umin;
	d->var_off = tnum_arshift(d->var_off, (uint8_t)s->umin, 64);
	d->umin = 0;
	d->umax = UINT64_MAX;
	scalar_unbound32(d);
	scalar_update_bounds(d);
}

/*
 * is_safe_to_compute_dst_reg_range: shifts need a constant amount below the width (note:
 * the kernel bounds the amount with the 64-bit umax even for alu32); DIV and MOD are
 * not tracked at all (END is scalar_end's).
 */
static bool safe_to_compute(const struct scalar *src, uint8_t op, bool alu32)
{
	bool src_const;

	if (alu32)
		src_const = tnum_subreg_is_const(src->var_off) && src->s32_min == src->s32_max &&
		            src->u32_min == src->u32_max;
	else
		src_const =
		    tnum_is_const(src->var_off) && src->smin == src->smax && src->umin == src->umax;
	switch (op) {
	case BPF_ADD:
	case BPF_SUB:
	case BPF_NEG:
	case BPF_AND:
	case BPF_XOR:
	case BPF_OR:
	case BPF_MUL:
		return true;
	case BPF_LSH:
	case BPF_RSH:
	case BPF_ARSH:
		return src_const && src->umax < (alu32 ? 32u : 64u);
	default:
		return false;
	}
}

int scalar_alu(struct scalar *dst, const struct scalar *src, uint8_t bpf_op, bool alu32)
{
	struct scalar s = *src;
	struct scalar neg;

	switch (bpf_op) {
	case BPF_ADD:
	case BPF_SUB:
	case BPF_MUL:
	case BPF_DIV:
	case BPF_OR:
	case BPF_AND:
	case BPF_LSH:
	case BPF_RSH:
	case BPF_NEG:
	case BPF_MOD:
	case BPF_XOR:
	case BPF_ARSH:
		break;
	default:
		return -EINVAL;
	}
	if (!safe_to_compute(&s, bpf_op, alu32)) {
		*dst = scalar_unknown();
		return 0;
	}
	switch (bpf_op) {
	case BPF_ADD:
		add32(dst, &s);
		add64(dst, &s);
		dst->var_off = tnum_add(dst->var_off, s.var_off);
		break;
	case BPF_SUB:
		sub32(dst, &s);
		sub64(dst, &s);
		dst->var_off = tnum_sub(dst->var_off, s.var_off);
		break;
	case BPF_NEG:
		neg = *dst;
		*dst = scalar_const(0);
		sub32(dst, &neg);
		sub64(dst, &neg);
		dst->var_off = tnum_neg(neg.var_off);
		break;
	case BPF_MUL:
		dst->var_off = tnum_mul(dst->var_off, s.var_off);
		mul32(dst, &s);
		mul64(dst, &s);
		break;
	case BPF_AND:
		dst->var_off = tnum_and(dst->var_off, s.var_off);
		bitop32(dst, &s, bpf_op);
		bitop64(dst, &s, bpf_op);
		break;
	case BPF_OR:
		dst->var_off = tnum_or(dst->var_off, s.var_off);
		bitop32(dst, &s, bpf_op);
		bitop64(dst, &s, bpf_op);
		break;
	case BPF_XOR:
		dst->var_off = tnum_xor(dst->var_off, s.var_off);
		bitop32(dst, &s, bpf_op);
		bitop64(dst, &s, bpf_op);
		break;
	case BPF_LSH:
		lsh(dst, &s, alu32);
		break;
	case BPF_RSH:
		rsh(dst, &s, alu32);
		break;
	case BPF_ARSH:
		arsh(dst, &s, alu32);
		break;
	}
	if (alu32)
		scalar_zext(dst);
	scalar_sync(dst);
	if (!scalar_is_valid(dst))
		scalar_unbound(dst);
	return 0;
}

bool scalar_fork_bitop(struct scalar *dst, struct scalar *zero, const struct scalar *src,
                       uint8_t bpf_op)
{
	bool alu32;

	if ((bpf_op != BPF_AND && bpf_op != BPF_OR) || !tnum_is_const(src->var_off))
		return false;
	if (dst->smin == -1 && dst->smax == 0)
		alu32 = false;
	else if (dst->s32_min == -1 && dst->s32_max == 0)
		alu32 = true;
	else
		return false;
	*zero = *dst;
	if (alu32) {
		scalar_mark_known32(zero, 0);
		scalar_mark_known32(dst, UINT32_MAX);
	} else {
		*zero = scalar_const(0);
		*dst = scalar_const(UINT64_MAX);
	}
	return true;
}

int scalar_end(struct scalar *s, bool alu64, bool to_be, int32_t imm)
{
	if (imm != 16 && imm != 32 && imm != 64)
		return -EINVAL;
	if (alu64 || to_be) {
		if (imm == 16)
			s->var_off = tnum_bswap16(s->var_off);
		else if (imm == 32)
			s->var_off = tnum_bswap32(s->var_off);
		else
			s->var_off = tnum_bswap64(s->var_off);
		scalar_unbound(s);
	}
	if (imm != 64)
		scalar_coerce(s, imm / 8);
	scalar_sync(s);
	if (!scalar_is_valid(s))
		scalar_unbound(s);
	return 0;
}

int scalar_check_alu_imm(uint8_t bpf_op, bool alu32, int32_t imm)
{
	switch (bpf_op) {
	case BPF_DIV:
	case BPF_MOD:
		return imm == 0 ? -EINVAL : 0;
	case BPF_LSH:
	case BPF_RSH:
	case BPF_ARSH:
		return imm < 0 || imm >= (alu32 ? 32 : 64) ? -EINVAL : 0;
	default:
		return 0;
	}
}
