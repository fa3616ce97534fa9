// SPDX-License-Identifier: GPL-2.0
/*
 * tail_call.bpf.c - an XDP dispatcher that hands each packet to a per-protocol program
 * through a BPF_MAP_TYPE_PROG_ARRAY.
 *
 * bpf_tail_call(ctx, &jump_table, index) replaces the running program with the program in
 * slot `index`: the callee starts with the same context, and it does not return to the
 * caller.  If the slot is empty the call falls through and the dispatcher continues, so
 * the code after bpf_tail_call() is the "no handler" path.  The kernel limits a chain to
 * 33 tail calls, and all programs in one prog_array must be of the same type.
 *
 * The table is filled declaratively: libbpf sees the `.values` initialiser below and,
 * after loading every program, stores each one's fd in its slot.  User space could
 * equally update slots at run time with bpf_map_update_elem() to swap handlers in and out
 * without reloading the dispatcher.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

enum handler_slot {
	SLOT_IPV4 = 0,
	SLOT_IPV6 = 1,
	SLOT_MAX,
};

enum stat_index {
	STAT_IPV4,
	STAT_IPV6,
	STAT_OTHER,
	STAT_NO_HANDLER, /* tail call fell through: empty slot */
	STAT_MAX,
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline void stat_inc(__u32 index)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &index);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("xdp")
int handle_ipv4(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);

	/* A tail-called program re-checks bounds: the verifier knows nothing of what the
	 * dispatcher proved, each program is verified on its own. */
	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	stat_inc(STAT_IPV4);
	/* Drop packets whose TTL ran out; the router would discard them anyway. */
	return ip->ttl == 0 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int handle_ipv6(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ipv6hdr *ip6 = data + sizeof(struct ethhdr);

	if ((void *)(ip6 + 1) > data_end)
		return XDP_PASS;
	stat_inc(STAT_IPV6);
	return ip6->hop_limit == 0 ? XDP_DROP : XDP_PASS;
}

/* Declared after the handlers so that the initialiser can name them. */
/* clang-format off */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SLOT_MAX);
	/* key_size, not __type(key, ...): the kernel takes no BTF types for a prog_array. */
	__uint(key_size, sizeof(__u32));
	__array(values, int(struct xdp_md *));
} jump_table SEC(".maps") = {
	.values = {
		[SLOT_IPV4] = (void *)&handle_ipv4,
		[SLOT_IPV6] = (void *)&handle_ipv6,
	},
};
/* clang-format on */

SEC("xdp")
int dispatch(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 slot;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;

	switch (bpf_ntohs(eth->h_proto)) {
	case ETH_P_IP:
		slot = SLOT_IPV4;
		break;
	case ETH_P_IPV6:
		slot = SLOT_IPV6;
		break;
	default:
		stat_inc(STAT_OTHER);
		return XDP_PASS;
	}

	bpf_tail_call(ctx, &jump_table, slot);
	/* Only reached when the slot is empty. */
	stat_inc(STAT_NO_HANDLER);
	return XDP_PASS;
}
