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
 * invalid %s access off=%d size=%d"), at the sizes each field allows (sock_field_ok()).
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stddef.h>
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

#define SOCK_OFF(f)   ((int64_t)offsetof(struct bpf_sock, f))
#define SOCK_END(f)   (SOCK_OFF(f) + (int64_t)sizeof(((struct bpf_sock *)0)->f))
#define SOCK_IN(o, f) ((o) >= SOCK_OFF(f) && (o) < SOCK_END(f))
#define TCPS_OFF(f)   ((int64_t)offsetof(struct bpf_tcp_sock, f))

/*
 * The *_is_valid_access() of each socket kind, for an aligned offset o inside the struct
 * (net/core/filter.c; the table was checked byte by byte against the 6.18 kernel):
 * bpf_sock allows narrow (1, 2 or 4 byte) reads of family, type, protocol, src_port,
 * state and rx_queue_mapping at their start, of any byte of the addresses, of dst_port's
 * two bytes (a 4-byte read at dst_port too, the padding after it no other way), and
 * 4-byte reads of the rest; sock_common (skb->sk before bpf_sk_fullsock) has none of
 * type .. priority; bpf_tcp_sock is read in 4-byte fields but bytes_received and
 * bytes_acked (8); bpf_xdp_sock only its 4-byte queue_id.
 */
static bool sock_field_ok(uint8_t kind, int64_t o, int size)
{
	if (kind == VRF_SK_TCP)
		return (o >= TCPS_OFF(bytes_received) && o < TCPS_OFF(bytes_acked) + 8) ? size == 8
		                                                                        : size == 4;
	if (kind == VRF_SK_XDP)
		return size == 4;
	if (kind == VRF_SK_COMMON && o >= SOCK_OFF(type) && o < SOCK_END(priority))
		return false;
	if (o == SOCK_OFF(family) || o == SOCK_OFF(type) || o == SOCK_OFF(protocol) ||
	    o == SOCK_OFF(src_port) || o == SOCK_OFF(state) || o == SOCK_OFF(rx_queue_mapping) ||
	    SOCK_IN(o, src_ip4) || SOCK_IN(o, src_ip6) || SOCK_IN(o, dst_ip4) ||
	    SOCK_IN(o, dst_ip6))
		return size <= 4;
	if (o == SOCK_OFF(dst_port))
		return size <= 4;
	if (o == SOCK_OFF(dst_port) + 1)
		return size == 1;
	if (o > SOCK_OFF(dst_port) && o < SOCK_OFF(dst_ip4))
		return false; /* the padding after dst_port */
	return size == 4;
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
	    !sock_field_ok(ptr->sock_kind, o, size))
		return env_fault(env, VRF_R_INVALID_MEM, idx,
		                 "the access is not a field of the socket structure",
		                 "R%d invalid %s access off=%lld size=%d", regno,
		                 reg_type_name(ptr), (long long)o, size);
	return 0;
}
