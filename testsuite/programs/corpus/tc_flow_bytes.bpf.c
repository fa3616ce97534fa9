/*
 * tc_flow_bytes.bpf.c - per-flow byte counter in tc: the flow key has a hole after
 * its first field and is filled field by field, never zeroed, before it is passed to
 * bpf_map_lookup_elem.  A privileged loader (CAP_PERFMON) may let helpers read
 * uninitialised stack bytes, so the kernel accepts it as root; it is the pattern a
 * preflight verifier must not refuse on a privileged target.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct flow {
	__u8 proto;
	/* 3 bytes of padding */
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct flow);
	__type(value, __u64);
} flow_bytes SEC(".maps");

SEC("tc")
__success
int tc_flow_bytes(struct __sk_buff *skb)
{
	struct iphdr iph;
	struct flow f;
	__u16 ports[2];
	__u64 *b;

	if (bpf_skb_load_bytes(skb, ETH_HLEN, &iph, sizeof(iph)) < 0)
		return TC_ACT_OK;
	if (bpf_skb_load_bytes(skb, ETH_HLEN + sizeof(iph), ports, sizeof(ports)) < 0)
		return TC_ACT_OK;
	f.proto = iph.protocol;
	f.saddr = iph.saddr;
	f.daddr = iph.daddr;
	f.sport = ports[0];
	f.dport = ports[1];
	b = bpf_map_lookup_elem(&flow_bytes, &f);
	if (b)
		__sync_fetch_and_add(b, skb->len);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
