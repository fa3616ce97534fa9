/*
 * sock_filter_ldabs.bpf.c - a classic-BPF-style socket filter written in C with the
 * LD_ABS/LD_IND loads (llvm.bpf.load.*): accepts IPv4 TCP packets to a port list kept
 * in an array map, with the transport offset computed from the IHL nibble.  Models
 * LD_ABS/LD_IND (implicit skb in R6, R0 result, exits on out-of-range reads).
 */
// bpfcc-flags: -O2 -g -mcpu=v1
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");
unsigned long long load_word(void *skb, unsigned long long off) asm("llvm.bpf.load.word");

#define NPORTS 8

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NPORTS);
	__type(key, __u32);
	__type(value, __u32);
} ports SEC(".maps");

SEC("socket")
__success
int tcp_port_filter(struct __sk_buff *skb)
{
	__u32 nhoff = ETH_HLEN, thoff, dport, flags;

	if (load_half(skb, offsetof(struct ethhdr, h_proto)) != ETH_P_IP)
		return 0;
	if (load_byte(skb, nhoff + offsetof(struct iphdr, protocol)) != IPPROTO_TCP)
		return 0;
	if (load_half(skb, nhoff + offsetof(struct iphdr, frag_off)) & 0x1fff)
		return 0;
	thoff = nhoff + ((load_byte(skb, nhoff) & 0xf) << 2);
	dport = load_half(skb, thoff + 2);
	flags = load_word(skb, thoff + 12) & 0x3f;
#pragma unroll
	for (__u32 i = 0; i < NPORTS; i++) {
		__u32 k = i, *p = bpf_map_lookup_elem(&ports, &k);

		if (p && *p == dport)
			return flags & 0x02 ? 96 : -1;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
