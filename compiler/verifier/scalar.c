/*
 * scalar.c - scalar register states: construction, bounds synchronisation, moves, loads.
 *
 * Models, from kernel/bpf/verifier.c (Linux 6.18):
 *   __mark_reg_known / __mark_reg_unknown / __mark_reg_unbounded   -> scalar_const/...
 *   __update_reg_bounds      bounds learnt from the tnum (min = known bits, max = known
 *                            bits plus unknown bits, sign bit handled separately), and a
 *                            constant when the u64 range meets one tnum member only;
 *   Linux 6.18 as running here (6.18.44) carries two later bound-deduction changes that the
 *   live kernel confirms: that single-value check (tnum_step) and the s32 range that wraps
 *   around in u32 terms meeting only one end of the u32 range (as the 64-bit case does);
 *   __reg_deduce_bounds      signed <-> unsigned and 32 <-> 64 bit exchanges, run three
 *                            times (one round is not a fixed point);
 *   __reg_bound_offset       tnum learnt from the unsigned ranges;
 *   reg_bounds_sync          all of the above in the kernel's order -> scalar_sync;
 *   zext_32_to_64, coerce_reg_to_size(_sx), coerce_subreg_to_size_sx and the MOV cases of
 *   check_alu_op -> scalar_zext, scalar_coerce(_sx), scalar_mov.
 * Every step only ever intersects with facts that hold, so the order matters for
 * precision, not for soundness; we keep the kernel's order to get the kernel's answers.
 */
#include "verifier/scalar.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "verifier/scalar_int.h"

struct scalar scalar_const(uint64_t v)
{
	struct scalar s = {
	    .var_off = tnum_const(v),
	    .smin = (int64_t)v,
	    .smax = (int64_t)v,
	    .umin = v,
	    .umax = v,
	    .s32_min = (int32_t)(uint32_t)v,
	    .s32_max = (int32_t)(uint32_t)v,
	    .u32_min = (uint32_t)v,
	    .u32_max = (uint32_t)v,
	};
	return s;
}

struct scalar scalar_unknown(void)
{
	struct scalar s = {.var_off = TNUM_UNKNOWN};

	scalar_unbound(&s);
	return s;
}

void scalar_unbound64(struct scalar *s)
{
	s->smin = INT64_MIN;
	s->smax = INT64_MAX;
	s->umin = 0;
	s->umax = UINT64_MAX;
}

void scalar_unbound32(struct scalar *s)
{
	s->s32_min = INT32_MIN;
	s->s32_max = INT32_MAX;
	s->u32_min = 0;
	s->u32_max = UINT32_MAX;
}

void scalar_unbound(struct scalar *s)
{
	scalar_unbound64(s);
	scalar_unbound32(s);
}

void scalar_mark_known32(struct scalar *s, uint32_t v)
{
	s->var_off = tnum_const_subreg(s->var_off, v);
	s->s32_min = (int32_t)v;
	s->s32_max = (int32_t)v;
	s->u32_min = v;
	s->u32_max = v;
}

bool scalar_contains(const struct scalar *s, uint64_t x)
{
	uint32_t x32 = (uint32_t)x;

	return tnum_contains(s->var_off, x) && x >= s->umin && x <= s->umax &&
	       (int64_t)x >= s->smin && (int64_t)x <= s->smax && x32 >= s->u32_min &&
	       x32 <= s->u32_max && (int32_t)x32 >= s->s32_min && (int32_t)x32 <= s->s32_max;
}

bool scalar_is_valid(const struct scalar *s)
{
	if (s->umin > s->umax || s->smin > s->smax || s->u32_min > s->u32_max ||
	    s->s32_min > s->s32_max)
		return false;
	if (tnum_is_const(s->var_off)) {
		uint64_t v = s->var_off.value;

		if (s->umin != v || s->umax != v || s->smin != (int64_t)v || s->smax != (int64_t)v)
			return false;
	}
	if (tnum_subreg_is_const(s->var_off)) {
		uint32_t v = (uint32_t)s->var_off.value;

		if (s->u32_min != v || s->u32_max != v || s->s32_min != (int32_t)v ||
		    s->s32_max != (int32_t)v)
			return false;
	}
	return true;
}

#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* __update_reg32_bounds: the signed minimum has the sign bit set if it may be set. */
void scalar_update_bounds32(struct scalar *s)
{
	struct tnum t = tnum_subreg(s->var_off);
	uint32_t v = (uint32_t)t.value, m = (uint32_t)t.mask;

	s->s32_min = MAX(s->s32_min, (int32_t)(v | (m & 0x80000000u)));
	s->s32_max = MIN(s->s32_max, (int32_t)(v | (m & 0x7fffffffu)));
	s->u32_min = MAX(s->u32_min, v);
	s->u32_max = MIN(s->u32_max, v | m);
}

/*
 * __update_reg64_bounds, with the check the kernel makes since the tnum_step() change: when
 * the unsigned range and the tnum share one value only (umin itself, the tnum's largest
 * member, or one member in between), the register becomes that constant.
 */
static void update_bounds64(struct scalar *s)
{
	uint64_t v = s->var_off.value, m = s->var_off.mask, next, tmax = v | m;
	bool umin_in;

	s->smin = MAX(s->smin, (int64_t)(v | (m & (1ULL << 63))));
	s->smax = MIN(s->smax, (int64_t)(v | (m & ~(1ULL << 63))));
	s->umin = MAX(s->umin, v);
	s->umax = MIN(s->umax, v | m);

	next = tnum_step(s->var_off, s->umin);
	umin_in = tnum_contains(s->var_off, s->umin);
	if (umin_in && next > s->umax)
		*s = scalar_const(s->umin);
	else if (!umin_in && next == tmax)
		*s = scalar_const(tmax);
	else if (!umin_in && next <= s->umax && tnum_step(s->var_off, next) > s->umax)
		*s = scalar_const(next);
}

void scalar_update_bounds(struct scalar *s)
{
	scalar_update_bounds32(s);
	update_bounds64(s);
}

/* __reg32_deduce_bounds: the subregister learns from the 64-bit ranges and from itself. */
static void deduce_bounds32(struct scalar *s)
{
	/* Same upper half: the low halves of umin/umax bound the subregister. */
	if ((s->umin >> 32) == (s->umax >> 32)) {
		s->u32_min = MAX(s->u32_min, (uint32_t)s->umin);
		s->u32_max = MIN(s->u32_max, (uint32_t)s->umax);
		if ((int32_t)s->umin <= (int32_t)s->umax) {
			s->s32_min = MAX(s->s32_min, (int32_t)s->umin);
			s->s32_max = MIN(s->s32_max, (int32_t)s->umax);
		}
	}
	if ((s->smin >> 32) == (s->smax >> 32)) {
		if ((uint32_t)s->smin <= (uint32_t)s->smax) {
			s->u32_min = MAX(s->u32_min, (uint32_t)s->smin);
			s->u32_max = MIN(s->u32_max, (uint32_t)s->smax);
		}
		if ((int32_t)s->smin <= (int32_t)s->smax) {
			s->s32_min = MAX(s->s32_min, (int32_t)s->smin);
			s->s32_max = MIN(s->s32_max, (int32_t)s->smax);
		}
	}
	/* Upper halves consecutive, low halves going from negative to non-negative. */
	if ((uint32_t)(s->umin >> 32) + 1 == (uint32_t)(s->umax >> 32) && (int32_t)s->umin < 0 &&
	    (int32_t)s->umax >= 0) {
		s->s32_min = MAX(s->s32_min, (int32_t)s->umin);
		s->s32_max = MIN(s->s32_max, (int32_t)s->umax);
	}
	if ((uint32_t)((uint64_t)s->smin >> 32) + 1 == (uint32_t)((uint64_t)s->smax >> 32) &&
	    (int32_t)s->smin < 0 && (int32_t)s->smax >= 0) {
		s->s32_min = MAX(s->s32_min, (int32_t)s->smin);
		s->s32_max = MIN(s->s32_max, (int32_t)s->smax);
	}
	/* An unsigned range not crossing the sign bit is a signed range, and back. */
	if ((int32_t)s->u32_min <= (int32_t)s->u32_max) {
		s->s32_min = MAX(s->s32_min, (int32_t)s->u32_min);
		s->s32_max = MIN(s->s32_max, (int32_t)s->u32_max);
	}
	if ((uint32_t)s->s32_min <= (uint32_t)s->s32_max) {
		s->u32_min = MAX(s->u32_min, (uint32_t)s->s32_min);
		s->u32_max = MIN(s->u32_max, (uint32_t)s->s32_max);
	} else if (s->u32_max < (uint32_t)s->s32_min) {
		/* The s32 range wraps; the u32 range meets only its non-negative piece. */
		s->s32_min = (int32_t)s->u32_min;
		s->u32_max = MIN(s->u32_max, (uint32_t)s->s32_max);
	} else if ((uint32_t)s->s32_max < s->u32_min) {
		/* ... or only its negative piece. */
		s->s32_max = (int32_t)s->u32_max;
		s->u32_min = MAX(s->u32_min, (uint32_t)s->s32_min);
	}
}

/* __reg64_deduce_bounds: signed and unsigned 64-bit ranges learn from each other. */
static void deduce_bounds64(struct scalar *s)
{
	if ((int64_t)s->umin <= (int64_t)s->umax) {
		s->smin = MAX(s->smin, (int64_t)s->umin);
		s->smax = MIN(s->smax, (int64_t)s->umax);
	}
	if ((uint64_t)s->smin <= (uint64_t)s->smax) {
		s->umin = MAX(s->umin, (uint64_t)s->smin);
		s->umax = MIN(s->umax, (uint64_t)s->smax);
	} else {
		/*
		 * The signed range wraps around in unsigned terms: [smin, U64_MAX] and
		 * [0, smax].  An unsigned range touching only one of the two pieces
		 * pins both ranges to that piece.
		 */
		if (s->umax < (uint64_t)s->smin) {
			s->smin = (int64_t)s->umin;
			s->umax = MIN(s->umax, (uint64_t)s->smax);
		} else if ((uint64_t)s->smax < s->umin) {
			s->smax = (int64_t)s->umax;
			s->umin = MAX(s->umin, (uint64_t)s->smin);
		}
	}
}

/* __reg_deduce_mixed_bounds: the 64-bit ranges learn from the subregister ranges. */
static void deduce_mixed_bounds(struct scalar *s)
{
	uint64_t new_umin, new_umax;
	int64_t new_smin, new_smax;

	new_umin = (s->umin & ~0xffffffffULL) | s->u32_min;
	new_umax = (s->umax & ~0xffffffffULL) | s->u32_max;
	s->umin = MAX(s->umin, new_umin);
	s->umax = MIN(s->umax, new_umax);
	new_smin = (int64_t)(((uint64_t)s->smin & ~0xffffffffULL) | s->u32_min);
	new_smax = (int64_t)(((uint64_t)s->smax & ~0xffffffffULL) | s->u32_max);
	s->smin = MAX(s->smin, new_smin);
	s->smax = MIN(s->smax, new_smax);

	/* After a sign-extending load: the 64-bit value is the non-negative s32 value. */
	if (s->s32_min >= 0 && s->smin >= INT32_MIN && s->smax <= INT32_MAX) {
		s->smin = s->s32_min;
		s->smax = s->s32_max;
		s->umin = (uint64_t)s->s32_min;
		s->umax = (uint64_t)s->s32_max;
		s->var_off =
		    tnum_intersect(s->var_off, tnum_range((uint64_t)s->smin, (uint64_t)s->smax));
	}
}

static void deduce_bounds(struct scalar *s)
{
	deduce_bounds32(s);
	deduce_bounds64(s);
	deduce_mixed_bounds(s);
}

/* __reg_bound_offset: the tnum learns the common prefix of each unsigned range. */
static void bound_offset(struct scalar *s)
{
	struct tnum t64 = tnum_intersect(s->var_off, tnum_range(s->umin, s->umax));
	struct tnum t32 = tnum_intersect(tnum_subreg(t64), tnum_range(s->u32_min, s->u32_max));

	s->var_off = tnum_or(tnum_clear_subreg(t64), t32);
}

void scalar_sync(struct scalar *s)
{
	scalar_update_bounds(s);
	deduce_bounds(s);
	deduce_bounds(s);
	deduce_bounds(s);
	bound_offset(s);
	scalar_update_bounds(s);
}

/* __reg_assign_32_into_64 on a tnum already cut to 32 bits. */
void scalar_zext(struct scalar *s)
{
	s->var_off = tnum_subreg(s->var_off);
	s->umin = s->u32_min;
	s->umax = s->u32_max;
	if (s->s32_min >= 0 && s->s32_max >= 0) {
		s->smin = s->s32_min;
		s->smax = s->s32_max;
	} else {
		s->smin = 0;
		s->smax = UINT32_MAX;
	}
}

void scalar_coerce(struct scalar *s, int size)
{
	uint64_t mask;

	if (size >= 8)
		return;
	s->var_off = tnum_cast(s->var_off, (uint8_t)size);
	mask = (1ULL << (size * 8)) - 1;
	if ((s->umin & ~mask) == (s->umax & ~mask)) {
		s->umin &= mask;
		s->umax &= mask;
	} else {
		s->umin = 0;
		s->umax = mask;
	}
	s->smin = (int64_t)s->umin;
	s->smax = (int64_t)s->umax;
	if (size < 4)
		scalar_unbound32(s);
	scalar_sync(s);
}

static int64_t sext(uint64_t v, int size)
{
	switch (size) {
	case 1:
		return (int8_t)v;
	case 2:
		return (int16_t)v;
	default:
		return (int32_t)v;
	}
}

/* set_sext64_default_val: only the signed range of the source width is known. */
static void sext64_default(struct scalar *s, int size)
{
	int64_t lim = size == 1 ? INT8_MAX : size == 2 ? INT16_MAX : INT32_MAX;

	s->smin = -lim - 1;
	s->smax = lim;
	s->s32_min = (int32_t)(-lim - 1);
	s->s32_max = (int32_t)lim;
	s->umin = 0;
	s->umax = UINT64_MAX;
	s->u32_min = 0;
	s->u32_max = UINT32_MAX;
	s->var_off = TNUM_UNKNOWN;
}

void scalar_coerce_sx(struct scalar *s, int size)
{
	uint64_t bits = (uint64_t)size * 8;
	int64_t a, b, lo, hi;

	if (size != 1 && size != 2 && size != 4)
		return;
	if (tnum_is_const(s->var_off)) {
		*s = scalar_const((uint64_t)sext(s->var_off.value, size));
		return;
	}
	if (((uint64_t)s->smax >> bits) != ((uint64_t)s->smin >> bits)) {
		sext64_default(s, size);
		return;
	}
	a = sext((uint64_t)s->smax, size);
	b = sext((uint64_t)s->smin, size);
	hi = MAX(a, b);
	lo = MIN(a, b);
	if ((hi >= 0) != (lo >= 0)) {
		sext64_default(s, size);
		return;
	}
	s->smin = lo;
	s->s32_min = (int32_t)lo;
	s->smax = hi;
	s->s32_max = (int32_t)hi;
	s->umin = (uint64_t)lo;
	s->u32_min = (uint32_t)lo;
	s->umax = (uint64_t)hi;
	s->u32_max = (uint32_t)hi;
	s->var_off = tnum_range((uint64_t)lo, (uint64_t)hi);
}

/* coerce_subreg_to_size_sx: the alu32 movsx, on the subregister only (size 1 or 2). */
static void coerce_subreg_sx(struct scalar *s, int size)
{
	uint32_t bits = (uint32_t)size * 8;
	int32_t a, b, lo, hi;

	if (tnum_is_const(s->var_off)) {
		uint32_t v = (uint32_t)sext(s->var_off.value, size);

		s->var_off = tnum_const((uint64_t)sext(s->var_off.value, size));
		s->s32_min = s->s32_max = (int32_t)v;
		s->u32_min = s->u32_max = v;
		return;
	}
	if (((uint32_t)s->s32_max >> bits) != ((uint32_t)s->s32_min >> bits))
		goto out;
	a = (int32_t)sext((uint32_t)s->s32_max, size);
	b = (int32_t)sext((uint32_t)s->s32_min, size);
	hi = MAX(a, b);
	lo = MIN(a, b);
	if ((lo >= 0) != (hi >= 0))
		goto out;
	s->s32_min = lo;
	s->s32_max = hi;
	s->u32_min = (uint32_t)lo;
	s->u32_max = (uint32_t)hi;
	s->var_off = tnum_subreg(tnum_range((uint64_t)(int64_t)lo, (uint64_t)(int64_t)hi));
	return;
out:
	s->s32_min = size == 1 ? INT8_MIN : INT16_MIN;
	s->s32_max = size == 1 ? INT8_MAX : INT16_MAX;
	s->u32_min = 0;
	s->u32_max = UINT32_MAX;
	s->var_off = tnum_subreg(TNUM_UNKNOWN);
}

int scalar_mov(struct scalar *dst, const struct scalar *src, bool alu32, uint8_t sx_bits)
{
	if (sx_bits != 0 && sx_bits != 8 && sx_bits != 16 && (alu32 || sx_bits != 32))
		return -EINVAL;
	*dst = *src;
	if (!alu32) {
		if (sx_bits)
			scalar_coerce_sx(dst, sx_bits / 8);
		return 0;
	}
	if (sx_bits)
		coerce_subreg_sx(dst, sx_bits / 8);
	scalar_zext(dst);
	scalar_sync(dst);
	return 0;
}

int scalar_strn(char *str, size_t size, const struct scalar *s)
{
	char t[64];

	tnum_strn(t, sizeof(t), s->var_off);
	return snprintf(
	    str, size,
	    "smin=%" PRId64 " smax=%" PRId64 " umin=%" PRIu64 " umax=%" PRIu64 " smin32=%" PRId32
	    " smax32=%" PRId32 " umin32=%" PRIu32 " umax32=%" PRIu32 " var_off=%s",
	    s->smin, s->smax, s->umin, s->umax, s->s32_min, s->s32_max, s->u32_min, s->u32_max, t);
}

/* is_snum_decimal / is_unum_decimal: numbers that fit 16 bits print in decimal. */
static bool snum_decimal(int64_t v)
{
	return v >= INT16_MIN && v <= INT16_MAX;
}

/* verbose_snum / verbose_unum: decimal for small numbers, hex otherwise. */
static int log_num(char *str, size_t size, uint64_t v, bool is_signed)
{
	if (is_signed ? snum_decimal((int64_t)v) : v <= UINT16_MAX)
		return is_signed ? snprintf(str, size, "%" PRId64, (int64_t)v)
		                 : snprintf(str, size, "%" PRIu64, v);
	return snprintf(str, size, "%#" PRIx64, v);
}

int scalar_log_strn(char *str, size_t size, const struct scalar *s)
{
	struct {
		const char *name;
		uint64_t val;
		bool omit;
	} f[8] = {
	    {"smin", (uint64_t)s->smin, s->smin == INT64_MIN},
	    {"smax", (uint64_t)s->smax, s->smax == INT64_MAX},
	    {"umin", s->umin, s->umin == 0},
	    {"umax", s->umax, s->umax == UINT64_MAX},
	    /* s32 values that print in hex are not sign-extended */
	    {"smin32",
	     snum_decimal(s->s32_min) ? (uint64_t)(int64_t)s->s32_min
	                              : (uint64_t)(uint32_t)s->s32_min,
	     s->s32_min == INT32_MIN},
	    {"smax32",
	     snum_decimal(s->s32_max) ? (uint64_t)(int64_t)s->s32_max
	                              : (uint64_t)(uint32_t)s->s32_max,
	     s->s32_max == INT32_MAX},
	    {"umin32", s->u32_min, s->u32_min == 0},
	    {"umax32", s->u32_max, s->u32_max == UINT32_MAX},
	};
	char buf[512], num[32];
	const char *sep = "";
	size_t n = 0;

	if (tnum_is_const(s->var_off)) {
		log_num(num, sizeof(num), s->var_off.value, true);
		return snprintf(str, size, "%s", num);
	}
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "scalar(");
	for (int i = 0; i < 8; i++) {
		bool neg1 = f[i].name[0] == 's' && (int64_t)f[i].val < 0;

		if (f[i].omit)
			continue;
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s=", sep, f[i].name);
		sep = ",";
		/* later fields of the same kind (min or max) with the same value join the chain */
		for (int j = i + 2; j < 8; j += 2) {
			bool neg2 = f[j].name[0] == 's' && (int64_t)f[j].val < 0;

			if (f[j].omit || f[j].val != f[i].val || neg1 != neg2)
				continue;
			f[j].omit = true;
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s=", f[j].name);
		}
		log_num(num, sizeof(num), f[i].val, f[i].name[0] == 's');
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", num);
	}
	if (!tnum_is_unknown(s->var_off)) {
		char t[64];

		tnum_strn(t, sizeof(t), s->var_off);
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%svar_off=%s", sep, t);
	}
	snprintf(buf + n, sizeof(buf) - n, ")");
	return snprintf(str, size, "%s", buf);
}
