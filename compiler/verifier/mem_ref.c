/*
 * mem_ref.c - loads and stores through the pointers refs owns: memory handed out by
 * helpers (PTR_TO_MEM: ring buffer records, dynptr slices) and sockets.
 *
 * Models check_mem_access() of kernel/bpf/verifier.c (Linux 6.18) for these kinds:
 * a pointer that may be NULL cannot be dereferenced ("R%d invalid mem access '%s'"); memory
 * is bounded by its size through check_mem_region_access() ("invalid access to memory,
 * mem_size=%d off=%d size=%d" is logged, then "R%d min value is outside of the allowed
 * memory range" / "... max value ..." / "R%d unbounded memory access, ..." / "R%d min
 * value is negative, ..."), read-only memory refuses stores ("R%d cannot write into %s").
 * Sockets are read-only ("R%d cannot write into %s") and their fields lie inside the UAPI
 * structure, aligned to the access size (bpf_sock_is_valid_access() and friends: "R%d
 * invalid %s access off=%d size=%d"); in struct bpf_sock no field is read with 8 bytes,
 * bound_dev_if, mark and priority only whole, and dst_port's padding not at all (other
 * narrow-read rules are not modelled: permissive).
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>

#include "verifier/ref.h"

#define MEM_MAX_VAR_OFF (1ll << 29) /* BPF_MAX_VAR_OFF */

static bool mem_in_range(int64_t off, int size, uint32_t mem_size)
{
	return off >= 0 && size > 0 && (uint64_t)off + (uint64_t)size <= mem_size;
}

/* check_mem_region_access() against mem_size; o is the access offset with reg->off. */
static int mem_region(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int64_t o,
                      int size, int idx)
{
	int64_t smin = ptr->s.smin;
	char d[200];

	snprintf(d, sizeof(d),
	         "the access may fall outside the %u bytes of memory this pointer covers "
	         "(invalid access to memory, mem_size=%u off=%lld size=%d)",
	         ptr->mem_size, ptr->mem_size, (long long)(smin + o), size);
	if (smin < 0 &&
	    (smin == INT64_MIN || o + smin != (int64_t)(int32_t)(o + smin) || smin + o < 0))
		return env_fault(env, VRF_R_MEM_BOUNDS, idx, d,
		                 "R%d min value is negative, either use unsigned index or do a if "
		                 "(index >=0) check.",
		                 regno);
	if (!mem_in_range(smin + o, size, ptr->mem_size))
		return env_fault(env, VRF_R_MEM_BOUNDS, idx, d,
		                 "R%d min value is outside of the allowed memory range", regno);
	if (ptr->s.umax >= (uint64_t)MEM_MAX_VAR_OFF)
		return env_fault(env, VRF_R_MEM_BOUNDS, idx, d,
		                 "R%d unbounded memory access, make sure to bounds check any such "
		                 "access",
		                 regno);
	snprintf(d, sizeof(d),
	         "the access may fall outside the %u bytes of memory this pointer covers "
	         "(invalid access to memory, mem_size=%u off=%lld size=%d)",
	         ptr->mem_size, ptr->mem_size, (long long)((int64_t)ptr->s.umax + o), size);
	if (!mem_in_range((int64_t)ptr->s.umax + o, size, ptr->mem_size))
		return env_fault(env, VRF_R_MEM_BOUNDS, idx, d,
		                 "R%d max value is outside of the allowed memory range", regno);
	return 0;
}

/* bpf_sock_is_valid_access()'s sizes for an aligned offset inside struct bpf_sock: the
 * listed fields allow narrow reads, dst_port's padding nothing, the others u32 only. */
static bool bpf_sock_size_ok(int64_t o, int size)
{
	if (size > 4)
		return false;
	if (o >= 50 && o < 52) /* after the __be16 dst_port */
		return false;
	if (o < 4 || (o >= 16 && o < 24)) /* bound_dev_if, mark, priority */
		return size == 4;
	return true;
}

/* The UAPI structure a socket kind reads (the bound of its *_is_valid_access()). */
static int sock_size(uint8_t kind)
{
	switch (kind) {
	case VRF_SK_TCP:
		return (int)sizeof(struct bpf_tcp_sock);
	case VRF_SK_XDP:
		return (int)sizeof(struct bpf_xdp_sock);
	default:
		return (int)sizeof(struct bpf_sock);
	}
}

int mem_ref_access(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int off, int size,
                   bool write, int idx)
{
	int64_t o = (int64_t)off + ptr->off;

	if (ptr->maybe_null)
		return env_fault(env, VRF_R_INVALID_MEM, idx,
		                 "the pointer may be NULL here: check it against NULL first",
		                 "R%d invalid mem access '%s'", regno, reg_type_name(ptr));
	if (write && (ptr->type == VRF_T_SOCKET || (ptr->flags & VRF_RF_RDONLY)))
		return env_fault(env, VRF_R_INVALID_MEM, idx, "this memory is read-only",
		                 "R%d cannot write into %s", regno, reg_type_name(ptr));
	if (ptr->type == VRF_T_MEM)
		return ptr->mem_size ? mem_region(env, ptr, regno, o, size, idx) : 0;
	if (ptr->s.smin < 0)
		return env_fault(env, VRF_R_INVALID_MEM, idx,
		                 "socket fields are read at fixed offsets",
		                 "R%d min value is negative, either use unsigned index or do a if "
		                 "(index >=0) check.",
		                 regno);
	if (!tnum_is_const(ptr->s.var_off))
		return 0;
	o += (int64_t)ptr->s.var_off.value;
	if (o < 0 || o >= sock_size(ptr->sock_kind) || o % size ||
	    ((ptr->sock_kind == VRF_SK_SOCKET || ptr->sock_kind == VRF_SK_COMMON) &&
	     !bpf_sock_size_ok(o, size)))
		return env_fault(env, VRF_R_INVALID_MEM, idx,
		                 "the access is not a field of the socket structure",
		                 "R%d invalid %s access off=%lld size=%d", regno,
		                 reg_type_name(ptr), (long long)o, size);
	return 0;
}
