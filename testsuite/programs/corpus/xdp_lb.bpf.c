/*
 * xdp_lb.bpf.c - a small L4 load balancer in the spirit of katran: looks up the
 * destination VIP, picks a backend by a flow hash, rewrites the destination address
 * and MACs, fixes the IPv4 checksum incrementally with bpf_csum_diff and bounces the
 * packet with XDP_TX.  Models packet writes after bounds checks and a hash-derived
 * index masked into range before addressing an array map.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define RING_SIZE 64

struct vip_key {
	__u32 addr;
	__u16 port;
	__u8 proto;
	__u8 pad;
};

struct vip_meta {
	__u32 ring_id;
	__u32 flags;
};

struct backend {
	__u32 addr;
	__u8 mac[ETH_ALEN];
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 512);
	__type(key, struct vip_key);
	__type(value, struct vip_meta);
} vips SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16 * RING_SIZE);
	__type(key, __u32);
	__type(value, struct backend);
} rings SEC(".maps");

static __always_inline __u32 flow_hash(__u32 saddr, __u32 ports)
{
	__u32 h = saddr ^ (ports * 0x9e3779b1);

	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	return h;
}

static __always_inline __u16 csum_fold(__u32 csum)
{
	csum = (csum & 0xffff) + (csum >> 16);
	csum = (csum & 0xffff) + (csum >> 16);
	return (__u16)~csum;
}

SEC("xdp")
__success
int xdp_balance(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph;
	struct tcphdr *th;
	struct vip_key vk = {};
	struct vip_meta *vm;
	struct backend *be;
	__u32 idx, old_daddr;
	__s64 csum;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	iph = (void *)(eth + 1);
	if ((void *)(iph + 1) > data_end || iph->ihl != 5 || iph->protocol != IPPROTO_TCP)
		return XDP_PASS;
	th = (void *)(iph + 1);
	if ((void *)(th + 1) > data_end)
		return XDP_PASS;
	vk.addr = iph->daddr;
	vk.port = th->dest;
	vk.proto = iph->protocol;
	vm = bpf_map_lookup_elem(&vips, &vk);
	if (!vm)
		return XDP_PASS;
	idx = (vm->ring_id & 15) * RING_SIZE +
	      (flow_hash(iph->saddr, ((__u32)th->source << 16) | th->dest) % RING_SIZE);
	be = bpf_map_lookup_elem(&rings, &idx);
	if (!be || !be->addr)
		return XDP_DROP;
	old_daddr = iph->daddr;
	iph->daddr = be->addr;
	iph->check = 0;
	csum = bpf_csum_diff(0, 0, (__be32 *)iph, sizeof(*iph), 0);
	if (csum < 0)
		return XDP_ABORTED;
	iph->check = csum_fold((__u32)csum);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, be->mac, ETH_ALEN);
	(void)old_daddr;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
