/*
 * bug_tail_call_array.bpf.c - a tc dispatcher that jumps to a per-protocol program
 * through a table declared BPF_MAP_TYPE_ARRAY ("an array of program fds").  Tail calls go
 * through a program array (BPF_MAP_TYPE_PROG_ARRAY) only; the kernel refuses the map while
 * it checks bpf_tail_call's arguments.
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
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PROTO_MAX);
	__type(key, __u32);
	__type(value, __u32);
} jump_table SEC(".maps");

SEC("tc")
__failure __msg("expected prog array map for tail call") __at_line(36)
int dispatch(struct __sk_buff *skb)
{
	__u32 slot;

	if (skb->protocol == bpf_htons(ETH_P_IP))
		slot = PROTO_IPV4;
	else if (skb->protocol == bpf_htons(ETH_P_IPV6))
		slot = PROTO_IPV6;
	else
		return TC_ACT_OK;
	bpf_tail_call(skb, &jump_table, slot);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
