/*
 * tc_tail_jump_table.bpf.c - a tc dispatcher that tail-calls a per-protocol program from a
 * program array (BPF_MAP_TYPE_PROG_ARRAY) and falls through when the slot is empty; the
 * per-protocol hits are counted in a per-CPU array.  The corrected bug_tail_call_array.
 */
// bpfcc-flags: -O2 -g
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <bpfcc/expect.h>

enum { PROTO_IPV4, PROTO_IPV6, PROTO_MAX };

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, PROTO_MAX);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} jump_table SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PROTO_MAX);
	__type(key, __u32);
	__type(value, __u64);
} misses SEC(".maps");

SEC("tc")
__success
int dispatch(struct __sk_buff *skb)
{
	__u32 slot;
	__u64 *miss;

	if (skb->protocol == bpf_htons(ETH_P_IP))
		slot = PROTO_IPV4;
	else if (skb->protocol == bpf_htons(ETH_P_IPV6))
		slot = PROTO_IPV6;
	else
		return TC_ACT_OK;
	bpf_tail_call(skb, &jump_table, slot);
	/* only reached when the slot is empty */
	miss = bpf_map_lookup_elem(&misses, &slot);
	if (miss)
		*miss += 1;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
