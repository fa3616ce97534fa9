/*
 * queue_bloom_maps.bpf.c - less common map types in a tc program: a bloom filter of
 * known-bad source addresses checked with bpf_map_peek_elem, a queue that hands
 * samples to userspace with bpf_map_push_elem, and a stack map used as a free list
 * with bpf_map_pop_elem.  Models the keyless map helpers and their value arguments.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct sample {
	__u32 saddr;
	__u32 len;
	__u64 ts;
};

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 10000);
	__uint(value_size, sizeof(__u32));
	__uint(map_extra, 3);
} bad_sources SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 1024);
	__uint(value_size, sizeof(struct sample));
} samples SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 64);
	__uint(value_size, sizeof(__u32));
} free_slots SEC(".maps");

SEC("tc")
__success
int tc_bloom_check(struct __sk_buff *skb)
{
	struct iphdr iph;
	struct sample s;
	__u32 slot;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	if (bpf_skb_load_bytes(skb, ETH_HLEN, &iph, sizeof(iph)))
		return TC_ACT_OK;
	if (bpf_map_peek_elem(&bad_sources, &iph.saddr) == 0)
		return TC_ACT_SHOT;
	if (bpf_map_pop_elem(&free_slots, &slot) == 0) {
		s.saddr = iph.saddr;
		s.len = skb->len;
		s.ts = bpf_ktime_get_ns() + slot;
		bpf_map_push_elem(&samples, &s, BPF_EXIST);
	}
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
