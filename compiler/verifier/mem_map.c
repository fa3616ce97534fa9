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
 * check_map_access_type() comes first: a map the program may only read
 * (BPF_F_RDONLY_PROG, which libbpf gives .rodata and .kconfig) refuses stores ("write into
 * map forbidden, value_size=%d off=%d size=%d"), a write-only one (BPF_F_WRONLY_PROG) loads.
 * A map value from a lookup that was not NULL-checked is no map value yet: any access
 * through it is refused ("R%d invalid mem access 'map_value_or_null'", check_mem_access()
 * finds no rule for the _or_null type).  Helpers reach map values through
 * mem_map_helper_access() with the same rules (call_mem.c).
 *
 * Only maps the caller describes (vrf_options.map_info_fn) and pointers whose map is
 * known (an ld_imm64 of a map value or a helper result that carries its map argument,
 * reg->map_src; a lookup in an inner map carries VRF_MAP_SRC_INNER and the outer map, and is
 * checked against the inner definition) are checked; the results of lookups in maps of maps,
 * sockmaps and XSK maps themselves (inner maps, sockets) are not bounded: permissive.
 */
#include <errno.h>
#include <stdio.h>

#include "verifier/prog.h"
#include "verifier/state.h"

#define MAP_MAX_VAR_OFF (1ll << 29) /* BPF_MAX_VAR_OFF */

/* __check_mem_access(): [off, off + size) inside [0, mem_size). */
static bool mem_in_range(int64_t off, int size, bool zero_ok, uint32_t mem_size)
{
	return off >= 0 && (size > 0 || (size == 0 && zero_ok)) &&
	       (uint64_t)off + (uint64_t)size <= mem_size;
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

/* Maps whose lookup result becomes something else than a value once NULL-checked (an
 * inner map, a socket): their "values" are not bounded by value_size. */
static bool map_value_is_plain(uint32_t type)
{
	return type != BPF_MAP_TYPE_ARRAY_OF_MAPS && type != BPF_MAP_TYPE_HASH_OF_MAPS &&
	       type != BPF_MAP_TYPE_SOCKMAP && type != BPF_MAP_TYPE_SOCKHASH &&
	       type != BPF_MAP_TYPE_XSKMAP;
}

/* The map behind ptr, when the caller described it. */
static bool map_info_of(struct vrf_env *env, const struct vrf_reg *ptr, struct vrf_map_info *mi)
{
	return ptr->map_src && env->opts && env->opts->map_info_fn &&
	       env->opts->map_info_fn(env->opts->map_info_ctx, ptr->map_src, ptr->map, mi) == 0;
}

bool mem_map_value_is_plain(struct vrf_env *env, const struct vrf_reg *ptr)
{
	struct vrf_map_info mi;

	return ptr->type == VRF_T_MAP_VALUE && map_info_of(env, ptr, &mi) &&
	       map_value_is_plain(mi.type);
}

/* check_map_access_type(): BPF_F_RDONLY_PROG maps are not written, BPF_F_WRONLY_PROG maps
 * not read, by the program (off: the access offset including the pointer's fixed one). */
static int map_access_type(struct vrf_env *env, const struct vrf_map_info *mi, int off, int size,
                           bool write, int idx)
{
	if (write && (mi->map_flags & BPF_F_RDONLY_PROG))
		return env_fault(env, VRF_R_MAP_ACCESS_TYPE, idx,
		                 "the map is read-only for BPF programs (BPF_F_RDONLY_PROG, or "
		                 ".rodata): only user space may change it",
		                 "write into map forbidden, value_size=%u off=%d size=%d",
		                 mi->value_size, off, size);
	if (!write && !(mi->map_flags & BPF_F_RDONLY_PROG) && (mi->map_flags & BPF_F_WRONLY_PROG))
		return env_fault(env, VRF_R_MAP_ACCESS_TYPE, idx,
		                 "the map is write-only for BPF programs (BPF_F_WRONLY_PROG)",
		                 "read from map forbidden, value_size=%u off=%d size=%d",
		                 mi->value_size, off, size);
	return 0;
}

/*
 * check_mem_region_access() of [o + var, o + var + size) against value_size: the kernel
 * logs "invalid access to map value, value_size=%d off=%d size=%d" before the min/max
 * line; bpfcc puts it at the head of the explanation.
 */
static int map_region(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int64_t o,
                      int size, bool zero_ok, const struct vrf_map_info *mi, int idx)
{
	const char *d = "the access may fall outside the map's value (hint: check the index "
	                "against the value size before using it, with an unsigned comparison)";
	int64_t smin = ptr->s.smin;
	char m[256];

	if (smin < 0 &&
	    (smin == INT64_MIN || o + smin != (int64_t)(int32_t)(o + smin) || smin + o < 0))
		return env_fault(env, VRF_R_MAP_VALUE_BOUNDS, idx, d,
		                 "R%d min value is negative, either use unsigned index or do a if "
		                 "(index >=0) check.",
		                 regno);
	if (!mem_in_range(smin + o, size, zero_ok, mi->value_size)) {
		snprintf(m, sizeof(m),
		         "invalid access to map value, value_size=%u off=%d size=%d: bound the "
		         "offset by the value size first",
		         mi->value_size, (int)(smin + o), size);
		return env_fault(env, VRF_R_MAP_VALUE_BOUNDS, idx, m,
		                 "R%d min value is outside of the allowed memory range", regno);
	}
	if (ptr->s.umax >= (uint64_t)MAP_MAX_VAR_OFF)
		return env_fault(env, VRF_R_MAP_VALUE_BOUNDS, idx, d,
		                 "R%d unbounded memory access, make sure to bounds check any such "
		                 "access",
		                 regno);
	if (!mem_in_range((int64_t)ptr->s.umax + o, size, zero_ok, mi->value_size)) {
		snprintf(m, sizeof(m),
		         "invalid access to map value, value_size=%u off=%d size=%d: bound the "
		         "offset by the value size first",
		         mi->value_size, (int)((int64_t)ptr->s.umax + o), size);
		return env_fault(env, VRF_R_MAP_VALUE_BOUNDS, idx, m,
		                 "R%d max value is outside of the allowed memory range", regno);
	}
	return 0;
}

/* check_map_access(): no load or store may touch any byte of the value's bpf_spin_lock
 * ([smin + o, umax + o + size) against the lock's 4 bytes, as the kernel compares). */
static int map_lock_overlap(struct vrf_env *env, const struct vrf_reg *ptr,
                            const struct vrf_map_info *mi, int64_t o, int size, int idx)
{
	int l;

	if (!mi->value_btf_id || !env->opts || !env->opts->prog_btf)
		return 0;
	l = lock_find_spin_lock(env->opts->prog_btf, mi->value_btf_id);
	if (l < 0 || !(ptr->s.smin + o < l + 4 && l < (int64_t)ptr->s.umax + o + size))
		return 0;
	return env_fault(env, VRF_R_INVALID_MEM, idx,
	                 "the lock in a map value is only taken and released by "
	                 "bpf_spin_lock()/bpf_spin_unlock(), never read or written",
	                 "bpf_spin_lock cannot be accessed directly by load/store");
}

int mem_map_access(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int off, int size,
                   bool write, struct vrf_reg *dst, bool sx, int idx)
{
	struct vrf_map_info mi;
	int64_t o = (int64_t)off + ptr->off;
	int err;

	if (ptr->maybe_null || !map_info_of(env, ptr, &mi) || !map_value_is_plain(mi.type))
		return 0;
	err = map_access_type(env, &mi, (int)o, size, write, idx);
	if (!err)
		err = map_region(env, ptr, regno, o, size, false, &mi, idx);
	if (!err)
		err = map_lock_overlap(env, ptr, &mi, o, size, idx);
	if (err)
		return err;
	if (dst && mi.frozen_value && tnum_is_const(ptr->s.var_off)) {
		reg_mark_const(dst, map_direct_read(mi.frozen_value,
		                                    o + (int64_t)ptr->s.var_off.value, size, sx));
		return 1;
	}
	return 0;
}

int mem_map_helper_access(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int size,
                          bool write, bool zero_ok, int idx)
{
	struct vrf_map_info mi;
	int err;

	if (ptr->maybe_null || !map_info_of(env, ptr, &mi) || !map_value_is_plain(mi.type))
		return 0;
	err = map_access_type(env, &mi, ptr->off, size, write, idx);
	if (!err)
		err = map_region(env, ptr, regno, ptr->off, size, zero_ok, &mi, idx);
	return err;
}

int mem_map_null_deref(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int idx)
{
	if (!ptr->maybe_null || !ptr->map_src)
		return 0;
	return env_fault(env, VRF_R_NULL_DEREF, idx,
	                 "the map lookup may have returned NULL: check the pointer against NULL "
	                 "before using it",
	                 "R%d invalid mem access '%s'", regno, reg_type_name(ptr));
}

/* The kernel struct behind each map type's map pointer (map_ops->map_btf_id), indexed by
 * BPF_MAP_TYPE_*; NULL where bpfcc does not know it. */
static const char *const map_ptr_struct[] = {
    [BPF_MAP_TYPE_HASH] = "bpf_htab",
    [BPF_MAP_TYPE_ARRAY] = "bpf_array",
    [BPF_MAP_TYPE_PROG_ARRAY] = "bpf_array",
    [BPF_MAP_TYPE_PERF_EVENT_ARRAY] = "bpf_array",
    [BPF_MAP_TYPE_PERCPU_HASH] = "bpf_htab",
    [BPF_MAP_TYPE_PERCPU_ARRAY] = "bpf_array",
    [BPF_MAP_TYPE_STACK_TRACE] = "bpf_stack_map",
    [BPF_MAP_TYPE_CGROUP_ARRAY] = "bpf_array",
    [BPF_MAP_TYPE_LRU_HASH] = "bpf_htab",
    [BPF_MAP_TYPE_LRU_PERCPU_HASH] = "bpf_htab",
    [BPF_MAP_TYPE_LPM_TRIE] = "lpm_trie",
    [BPF_MAP_TYPE_ARRAY_OF_MAPS] = "bpf_array",
    [BPF_MAP_TYPE_HASH_OF_MAPS] = "bpf_htab",
    [BPF_MAP_TYPE_RINGBUF] = "bpf_ringbuf_map",
};

/*
 * check_ptr_to_map_access(): a map pointer (CONST_PTR_TO_MAP, `&map` in C) may be read at
 * the offsets of its kernel struct; a negative offset ("R%d is %s invalid negative access:
 * off=%d") and any write ("only read from %s is supported") are refused.  Which fields a
 * read may touch (btf_struct_access) is not modelled: reads at offsets >= 0 pass.
 */
int mem_map_ptr_access(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int off,
                       bool write, int idx)
{
	const char *d = "a map pointer (&map) is only read, at offsets of the kernel's struct for "
	                "the map";
	struct vrf_map_info mi;
	const char *tname;

	if (!map_info_of(env, ptr, &mi) ||
	    mi.type >= sizeof(map_ptr_struct) / sizeof(map_ptr_struct[0]) ||
	    !(tname = map_ptr_struct[mi.type]) || (env->ienv.flags & VRF_F_UNPRIV))
		return 0;
	off += ptr->off;
	if (off < 0)
		return env_fault(env, VRF_R_MAP_PTR_ACCESS, idx, d,
		                 "R%d is %s invalid negative access: off=%d", regno, tname, off);
	if (write)
		return env_fault(env, VRF_R_MAP_PTR_ACCESS, idx, d,
		                 "only read from %s is supported", tname);
	return 0;
}

int mem_map_type(struct vrf_env *env, const struct vrf_reg *ptr)
{
	struct vrf_map_info mi;

	if ((ptr->type != VRF_T_MAP_VALUE && ptr->type != VRF_T_MAP_PTR) ||
	    !map_info_of(env, ptr, &mi))
		return -1;
	return (int)mi.type;
}

/*
 * mark_ptr_or_null_reg(): what a map lookup's result becomes once tested non-NULL, for
 * the maps whose values are sockets: a socket of a sockmap or sockhash (its reference
 * stays), an AF_XDP socket of an XSKMAP.  (An inner map of a map of maps stays a map value
 * of the outer map, which call_mem.c reads as the inner map.)
 */
void mem_map_lookup_not_null(struct vrf_env *env, struct vrf_reg *r)
{
	switch (mem_map_type(env, r)) {
	case BPF_MAP_TYPE_SOCKMAP:
	case BPF_MAP_TYPE_SOCKHASH:
		r->type = VRF_T_SOCKET;
		r->sock_kind = VRF_SK_SOCKET;
		break;
	case BPF_MAP_TYPE_XSKMAP:
		r->type = VRF_T_SOCKET;
		r->sock_kind = VRF_SK_XDP;
		break;
	default:
		break;
	}
}
