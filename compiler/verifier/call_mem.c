/*
 * call_mem.c - memory a helper reads or writes through its pointer arguments, and the map
 * values helpers return.
 *
 * Models, for a privileged loader (CAP_BPF + CAP_PERFMON), the parts of check_func_arg(),
 * check_helper_mem_access(), check_mem_size_reg(), check_stack_range_initialized() and
 * check_helper_call() of kernel/bpf/verifier.c (Linux 6.18) that are about memory:
 *
 * - A CONST_MAP_PTR argument names the map; ARG_PTR_TO_MAP_KEY is then an access of
 *   key_size bytes (read), ARG_PTR_TO_MAP_VALUE of value_size bytes (written when the
 *   prototype says MEM_UNINIT/MEM_WRITE), ARG_PTR_TO_MEM of its fixed size or of the
 *   largest value of the size argument that follows it (ARG_CONST_SIZE[_OR_ZERO]).
 * - Where the pointer points decides the rule: the stack must hold [off, off + size) inside
 *   the 512-byte frame ("invalid read from / write to stack R%d off=%d size=%d", the
 *   variable-offset forms with var_off); a map value goes through mem_map.c (value bounds,
 *   read-only maps); helper memory (PTR_TO_MEM of a known size) through the same region
 *   check ("invalid access to memory, mem_size=%u off=%d size=%d").  Packets, context and
 *   kernel objects are other engineers' rules: permissive here.
 * - With CAP_PERFMON (allow_uninit_stack) the kernel never refuses stack bytes a helper
 *   reads because they were not written: only the bounds matter.  Bytes a helper may
 *   write become STACK_MISC, and a spilled register in a slot it touches is lost.
 * - get_constant_map_key(): a key on the stack that is STACK_ZERO for key_size bytes, or
 *   a spilled constant scalar of exactly key_size bytes, is a known key; a lookup in an
 *   array (or per-CPU array) with a known key below max_entries returns a map value that
 *   is not NULL (the 6.18 kernel drops PTR_MAYBE_NULL).
 * - Every helper returning a map value (lookups, local and object storage) gives r0 the
 *   map of its map argument, so later loads and stores are checked against value_size.
 *
 * What bpfcc cannot decide (a map the caller did not describe, pointers it does not model)
 * passes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "verifier/helper_proto.h"
#include "verifier/prog.h"
#include "verifier/state.h"

#define CALL_MAX_VAR_OFF (1ll << 29) /* BPF_MAX_VAR_OFF */

void call_mem_begin(struct vrf_env *env)
{
	memset(&env->call_meta, 0, sizeof(env->call_meta));
	env->call_meta.const_key = -1;
}

/* The frame a stack pointer points into. */
static struct vrf_frame *stack_frame_of(struct vrf_env *env, const struct vrf_reg *r, int *fno)
{
	*fno = r->frameno <= env->cur.curframe ? r->frameno : env->cur.curframe;
	return env->cur.frame[*fno];
}

/* The kind byte of the stack byte at fp + addr (addr < 0) in frame f, INVALID beyond the
 * slots that exist. */
static uint8_t stack_byte(const struct vrf_frame *f, int64_t addr)
{
	int k = (int)((-addr - 1) / VRF_SLOT_SIZE);

	if (k >= f->nslots)
		return VRF_S_INVALID;
	return f->slot[k].type[addr + (int64_t)(k + 1) * VRF_SLOT_SIZE];
}

/*
 * A helper may write [lo, hi) of the stack: those bytes become STACK_MISC, and a slot
 * holding a spilled register loses it (its other written bytes become STACK_MISC too).
 */
static int stack_clobber(struct vrf_env *env, const struct vrf_reg *r, int64_t lo, int64_t hi)
{
	struct vrf_frame *f;
	int fno, err, k, i;
	int64_t a;

	stack_frame_of(env, r, &fno);
	err =
	    state_grow_stack(env, &env->cur, fno, (int)((-lo + VRF_SLOT_SIZE - 1) / VRF_SLOT_SIZE));
	if (err)
		return err;
	f = env->cur.frame[fno];
	for (a = lo; a < hi; a++) {
		struct vrf_slot *s;

		k = (int)((-a - 1) / VRF_SLOT_SIZE);
		s = &f->slot[k];
		if (s->type[0] == VRF_S_SPILL || s->type[VRF_SLOT_SIZE - 1] == VRF_S_SPILL) {
			for (i = 0; i < VRF_SLOT_SIZE; i++)
				if (s->type[i] != VRF_S_INVALID)
					s->type[i] = VRF_S_MISC;
			reg_mark_unknown(&s->spill);
		}
		s->type[a + (int64_t)(k + 1) * VRF_SLOT_SIZE] = VRF_S_MISC;
	}
	return 0;
}

/*
 * check_stack_range_initialized() -> check_stack_access_within_bounds() for a helper
 * accessing `size` bytes through stack pointer register regno.
 */
static int helper_stack_access(struct vrf_env *env, const struct vrf_reg *r, int regno,
                               int64_t size, bool write, bool zero_ok, int idx)
{
	const char *what = write ? " write to" : " read from";
	const char *d = "the helper's memory argument reaches outside the 512-byte stack frame "
	                "(hint: the size given to the helper must not exceed the buffer)";
	int64_t min_off, max_off;
	char tn[48];

	if (size == 0 && !zero_ok)
		return env_fault(env, VRF_R_HELPER_ARG_SIZE, idx, d, "invalid zero-sized read");
	if (tnum_is_const(r->s.var_off)) {
		min_off = (int64_t)r->s.var_off.value + r->off;
		max_off = min_off + size;
	} else {
		if (r->s.smax >= CALL_MAX_VAR_OFF || r->s.smin <= -CALL_MAX_VAR_OFF)
			return env_fault(env, VRF_R_STACK_BOUNDS, idx, d,
			                 "invalid unbounded variable-offset%s stack R%d", what,
			                 regno);
		min_off = r->s.smin + r->off;
		max_off = r->s.smax + r->off + size;
	}
	if (min_off < -VRF_MAX_STACK || min_off > -1 || max_off > 0) {
		/* below the frame: -EACCES; reaching fp or above: -EINVAL */
		enum vrf_rule rule = min_off < -VRF_MAX_STACK || min_off > -1 ? VRF_R_STACK_BOUNDS
		                                                              : VRF_R_STACK_PAST_FP;

		if (tnum_is_const(r->s.var_off))
			return env_fault(env, rule, idx, d, "invalid%s stack R%d off=%d size=%d",
			                 what, regno, r->off, (int)size);
		tnum_strn(tn, sizeof(tn), r->s.var_off);
		return env_fault(env, rule, idx, d,
		                 "invalid variable-offset%s stack R%d var_off=%s off=%d size=%d",
		                 what, regno, tn, r->off, (int)size);
	}
	if (write)
		return stack_clobber(env, r, min_off, max_off);
	/* check_stack_range_initialized(): a dynptr's or iterator's bytes are no data */
	if (tnum_is_const(r->s.var_off)) {
		int fno;
		const struct vrf_frame *f = stack_frame_of(env, r, &fno);
		int64_t a;

		for (a = min_off; a < max_off; a++) {
			uint8_t t = stack_byte(f, a);

			if (t == VRF_S_DYNPTR || t == VRF_S_ITER)
				return env_fault(env, VRF_R_STACK_UNINIT, idx,
				                 "the helper would read the bytes of a dynptr or "
				                 "an iterator, which only their own helpers and "
				                 "kfuncs may read",
				                 "invalid read from stack R%d off %d+%d size %d",
				                 regno, (int)min_off, (int)(a - min_off),
				                 (int)size);
		}
	}
	return 0;
}

/* check_ptr_alignment(strict) of a MEM_ALIGNED argument (bpf_strtol's result) on the
 * stack: its address is aligned to its size. */
static int helper_stack_aligned(struct vrf_env *env, const struct vrf_reg *r, uint32_t size,
                                int idx)
{
	struct tnum t = tnum_add(r->s.var_off, tnum_const((uint64_t)(int64_t)r->off));
	char tn[48];

	if (r->type != VRF_T_STACK || !size || tnum_is_aligned(t, size))
		return 0;
	if (tnum_is_const(r->s.var_off))
		snprintf(tn, sizeof(tn), "%lld", (long long)r->s.var_off.value);
	else
		tnum_strn(tn, sizeof(tn), r->s.var_off);
	return env_fault(env, VRF_R_STACK_MISALIGNED, idx,
	                 "the helper writes a number of this size there, which needs an address "
	                 "aligned to its size",
	                 "misaligned stack access off %s+%d+%d size %u", tn, r->off, 0, size);
}

/* check_mem_region_access() of helper memory (PTR_TO_MEM) of a known size. */
static int helper_mem_region(struct vrf_env *env, const struct vrf_reg *r, int regno, int64_t size,
                             bool zero_ok, int idx)
{
	const char *d = "the helper's memory argument reaches outside the memory it points to";
	uint32_t mem_size = r->mem_size;
	int64_t lo = r->s.smin + r->off, hi = (int64_t)r->s.umax + r->off;
	char m[256];

	if (r->s.smin < 0 &&
	    (r->s.smin == INT64_MIN ||
	     r->off + r->s.smin != (int64_t)(int32_t)(r->off + r->s.smin) || lo < 0))
		return env_fault(env, VRF_R_INVALID_MEM, idx, d,
		                 "R%d min value is negative, either use unsigned index or do a if "
		                 "(index >=0) check.",
		                 regno);
	if (!(lo >= 0 && (size > 0 || zero_ok) && (uint64_t)lo + (uint64_t)size <= mem_size)) {
		snprintf(m, sizeof(m),
		         "invalid access to memory, mem_size=%u off=%d size=%d: the size "
		         "passes the end of the memory",
		         mem_size, (int)lo, (int)size);
		return env_fault(env, VRF_R_INVALID_MEM, idx, m,
		                 "R%d min value is outside of the allowed memory range", regno);
	}
	if (r->s.umax >= (uint64_t)CALL_MAX_VAR_OFF)
		return env_fault(env, VRF_R_INVALID_MEM, idx, d,
		                 "R%d unbounded memory access, make sure to bounds check any such "
		                 "access",
		                 regno);
	if ((uint64_t)hi + (uint64_t)size > mem_size) {
		snprintf(m, sizeof(m),
		         "invalid access to memory, mem_size=%u off=%d size=%d: the size "
		         "passes the end of the memory",
		         mem_size, (int)hi, (int)size);
		return env_fault(env, VRF_R_INVALID_MEM, idx, m,
		                 "R%d max value is outside of the allowed memory range", regno);
	}
	return 0;
}

/* check_helper_mem_access(): `size` bytes through argument register regno. */
static int helper_mem_access(struct vrf_env *env, int regno, int64_t size, bool write, bool zero_ok,
                             int idx)
{
	struct vrf_reg r = state_regs(&env->cur)[regno];
	int err;

	switch (r.type) {
	case VRF_T_STACK:
		return helper_stack_access(env, &r, regno, size, write, zero_ok, idx);
	case VRF_T_MAP_VALUE:
		if (r.maybe_null)
			return 0;
		err = mem_map_helper_access(env, &r, regno, (int)size, write, zero_ok, idx);
		return err < 0 ? err : 0;
	case VRF_T_MEM:
		if (!r.mem_size)
			return 0;
		return helper_mem_region(env, &r, regno, size, zero_ok, idx);
	default:
		return 0;
	}
}

int call_mem_check_region(struct vrf_env *env, int regno, int64_t size, bool write, int idx)
{
	const struct vrf_reg *r = &state_regs(&env->cur)[regno];

	/* the stack is only bounds-checked (a write would mark the bytes it reaches) */
	if (r->type == VRF_T_STACK)
		return helper_stack_access(env, r, regno, size, false, false, idx);
	return helper_mem_access(env, regno, size, write, false, idx);
}

/*
 * get_constant_map_key(): the key of `key_size` bytes at stack pointer r when the stack
 * says what it is (STACK_ZERO bytes, or a spilled constant of exactly that size); -1
 * otherwise.
 */
static int64_t constant_map_key(struct vrf_env *env, const struct vrf_reg *r, uint32_t key_size)
{
	struct vrf_frame *f;
	int64_t addr, a;
	uint32_t zero = 0, spill = 0;
	const struct vrf_slot *s;
	int fno, k;

	if ((env->ienv.flags & VRF_F_UNPRIV) || !tnum_is_const(r->s.var_off))
		return -1;
	f = stack_frame_of(env, r, &fno);
	addr = (int64_t)r->s.var_off.value + r->off;
	if (addr >= 0 || addr < -VRF_MAX_STACK)
		return -1;
	k = (int)((-addr - 1) / VRF_SLOT_SIZE);
	if (k >= f->nslots)
		return -1;
	s = &f->slot[k];
	/* bytes from the key's first up to the top of its slot */
	for (a = addr; a < -(int64_t)k * VRF_SLOT_SIZE && stack_byte(f, a) == VRF_S_ZERO; a++)
		zero++;
	if (zero >= key_size)
		return 0;
	if (s->type[0] != VRF_S_SPILL || s->spill.type != VRF_T_SCALAR)
		return -1;
	for (a = addr; a < -(int64_t)k * VRF_SLOT_SIZE && stack_byte(f, a) == VRF_S_SPILL; a++)
		spill++;
	if (spill != key_size || !tnum_is_const(s->spill.s.var_off))
		return -1;
	return (int64_t)s->spill.s.var_off.value;
}

static bool map_elides_null(uint32_t type)
{
	return type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_PERCPU_ARRAY;
}

/* Is r the NULL-checked result of a lookup in a map of maps whose inner map is known? */
static bool inner_map_ptr(struct vrf_env *env, const struct vrf_reg *r)
{
	struct vrf_map_info mi;

	if (r->type != VRF_T_MAP_VALUE || r->maybe_null || r->off || !r->map_src ||
	    (r->map_src & VRF_MAP_SRC_INNER) || !tnum_equals_const(r->s.var_off, 0) || !env->opts ||
	    !env->opts->map_info_fn ||
	    env->opts->map_info_fn(env->opts->map_info_ctx, r->map_src, r->map, &mi) < 0)
		return false;
	return mi.type == BPF_MAP_TYPE_ARRAY_OF_MAPS || mi.type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

int call_mem_check_arg(struct vrf_env *env, const struct vrf_helper_proto *p, int i, int idx)
{
	const struct vrf_helper_arg *a = &p->args[i];
	struct vrf_call_meta *m = &env->call_meta;
	const struct vrf_reg *r = &state_regs(&env->cur)[BPF_REG_1 + i];
	int regno = BPF_REG_1 + i, err;

	switch (a->kind) {
	case VRF_ARG_CONST_MAP_PTR:
		if (inner_map_ptr(env, r)) {
			/* a NULL-checked lookup result of a map of maps: the kernel's
			 * CONST_PTR_TO_MAP of the outer map's inner_map_meta */
			m->map_src = r->map_src | VRF_MAP_SRC_INNER;
			m->map = r->map;
			m->map_known = env->opts->map_info_fn(env->opts->map_info_ctx, m->map_src,
			                                      m->map, &m->mi) == 0;
			return 0;
		}
		if (r->type != VRF_T_MAP_PTR || !r->map_src)
			return 0;
		m->map_src = r->map_src;
		m->map = r->map;
		m->map_known = env->opts && env->opts->map_info_fn &&
		               env->opts->map_info_fn(env->opts->map_info_ctx, r->map_src, r->map,
		                                      &m->mi) == 0;
		return 0;
	case VRF_ARG_PTR_TO_MAP_KEY:
		if (!m->map_known)
			return 0;
		err = helper_mem_access(env, regno, m->mi.key_size, false, false, idx);
		r = &state_regs(&env->cur)[regno]; /* the stack may have grown */
		if (!err && r->type == VRF_T_STACK && map_elides_null(m->mi.type))
			m->const_key = constant_map_key(env, r, m->mi.key_size);
		return err;
	case VRF_ARG_PTR_TO_MAP_VALUE:
		if (!m->map_known ||
		    (r->type == VRF_T_SCALAR && tnum_equals_const(r->s.var_off, 0)))
			return 0;
		return helper_mem_access(env, regno, m->mi.value_size,
		                         a->flags & (VRF_ARGF_MEM_WRITE | VRF_ARGF_MEM_UNINIT),
		                         false, idx);
	case VRF_ARG_PTR_TO_MEM:
		if (!(a->flags & VRF_ARGF_MEM_FIXED_SIZE) || !a->size)
			return 0;
		err = helper_mem_access(env, regno, a->size,
		                        a->flags & (VRF_ARGF_MEM_WRITE | VRF_ARGF_MEM_UNINIT),
		                        false, idx);
		if (err || !(a->flags & VRF_ARGF_MEM_ALIGNED))
			return err;
		return helper_stack_aligned(env, &state_regs(&env->cur)[regno], a->size, idx);
	case VRF_ARG_CONST_SIZE:
	case VRF_ARG_CONST_SIZE_OR_ZERO:
		/* check_mem_size_reg(): the memory before it, up to the largest size */
		if (i == 0 || p->args[i - 1].kind != VRF_ARG_PTR_TO_MEM ||
		    r->type != VRF_T_SCALAR || r->maybe_ptr)
			return 0;
		return helper_mem_access(env, regno - 1, (int64_t)r->s.umax,
		                         p->args[i - 1].flags &
		                             (VRF_ARGF_MEM_WRITE | VRF_ARGF_MEM_UNINIT),
		                         a->kind == VRF_ARG_CONST_SIZE_OR_ZERO, idx);
	default:
		return 0;
	}
}

void call_mem_ret(struct vrf_env *env, const struct vrf_helper_proto *p, struct vrf_reg *r0)
{
	const struct vrf_call_meta *m = &env->call_meta;

	if (p->ret.kind != VRF_RET_PTR_TO_MAP_VALUE || r0->type != VRF_T_MAP_VALUE || !m->map_known)
		return;
	r0->map = m->map;
	r0->map_src = m->map_src;
	if (p->id == BPF_FUNC_map_lookup_elem && map_elides_null(m->mi.type) && m->const_key >= 0 &&
	    m->const_key < (int64_t)m->mi.max_entries) {
		r0->maybe_null = 0;
		r0->id = 0;
		/* the kernel still gives a value holding a bpf_spin_lock its own id: the
		 * unlock must name the value that was locked (process_spin_lock) */
		if (env->opts && env->opts->prog_btf && m->mi.value_btf_id &&
		    lock_find_spin_lock(env->opts->prog_btf, m->mi.value_btf_id) >= 0)
			r0->id = ++env->id_gen;
	}
}
