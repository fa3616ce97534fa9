/*
 * mem_map.c - loads and stores through a pointer into a map value.
 *
 * Models check_map_access() -> check_mem_region_access() of kernel/bpf/verifier.c for a
 * privileged loader: with the pointer's fixed offset folded into the access offset, the
 * smallest possible address must not be negative ("R%d min value is negative, either use
 * unsigned index or do a if (index >=0) check."), the access at the smallest and at the
 * largest address must lie inside value_size ("R%d min value is outside of the allowed
 * memory range" / "... max value ..."; the kernel logs "invalid access to map value,
 * value_size=%d off=%d size=%d" just before), and a variable part that may reach 2^29 is
 * refused ("R%d unbounded memory access, make sure to bounds check any such access").
 *
 * A load at a constant offset from a frozen read-only map (.rodata as libbpf loads it)
 * reads the constant there, as check_mem_access() does with bpf_map_direct_read().
 *
 * Only maps the caller describes (vrf_options.map_info_fn) and pointers whose map is
 * known (an ld_imm64 of a map value, reg->map_src) are checked; special fields inside the
 * value (spin locks, timers, kptrs) and read-only maps are not modelled: permissive.
 */
#include <errno.h>
#include <stdio.h>

#include "verifier/state.h"

#define MAP_MAX_VAR_OFF (1ll << 29) /* BPF_MAX_VAR_OFF */

/* __check_mem_access(): [off, off + size) inside [0, mem_size). */
static bool mem_in_range(int64_t off, int size, uint32_t mem_size)
{
	return off >= 0 && size > 0 && (uint64_t)off + (uint64_t)size <= mem_size;
}

/* bpf_map_direct_read(): `size` bytes at off of the value, little-endian, extended. */
static uint64_t map_direct_read(const uint8_t *v, int64_t off, int size, bool sx)
{
	uint64_t val = 0;

	for (int i = size - 1; i >= 0; i--)
		val = val << 8 | v[off + i];
	if (sx && size < 8 && (val >> (8 * size - 1)) & 1)
		val |= ~0ull << (8 * size);
	return val;
}

int mem_map_access(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int off, int size,
                   struct vrf_reg *dst, bool sx, int idx)
{
	const char *d = "the access may fall outside the map's value (hint: check the index "
	                "against the value size before using it, with an unsigned comparison)";
	struct vrf_map_info mi;
	int64_t smin = ptr->s.smin, o = (int64_t)off + ptr->off;

	if (ptr->maybe_null || !ptr->map_src || !env->opts || !env->opts->map_info_fn ||
	    env->opts->map_info_fn(env->opts->map_info_ctx, ptr->map_src, ptr->map, &mi) < 0)
		return 0;
	if (smin < 0 &&
	    (smin == INT64_MIN || o + smin != (int64_t)(int32_t)(o + smin) || smin + o < 0))
		return env_fault(env, VRF_R_MAP_VALUE_BOUNDS, idx, d,
		                 "R%d min value is negative, either use unsigned index or do a if "
		                 "(index >=0) check.",
		                 regno);
	if (!mem_in_range(smin + o, size, mi.value_size))
		return env_fault(env, VRF_R_MAP_VALUE_BOUNDS, idx, d,
		                 "R%d min value is outside of the allowed memory range", regno);
	if (ptr->s.umax >= (uint64_t)MAP_MAX_VAR_OFF)
		return env_fault(env, VRF_R_MAP_VALUE_BOUNDS, idx, d,
		                 "R%d unbounded memory access, make sure to bounds check any such "
		                 "access",
		                 regno);
	if (!mem_in_range((int64_t)ptr->s.umax + o, size, mi.value_size))
		return env_fault(env, VRF_R_MAP_VALUE_BOUNDS, idx, d,
		                 "R%d max value is outside of the allowed memory range", regno);
	if (dst && mi.frozen_value && tnum_is_const(ptr->s.var_off)) {
		reg_mark_const(dst, map_direct_read(mi.frozen_value,
		                                    o + (int64_t)ptr->s.var_off.value, size, sx));
		return 1;
	}
	return 0;
}
