/*
 * xdp_spill_pkt_ptr.bpf.c - register pressure in a larger XDP program: many parsed
 * header pointers and counters stay live across helper calls, so clang spills packet
 * and map-value pointers to the stack and reloads them; the program also keeps a small
 * ring of recent source addresses in a stack array written at a masked index.  Models
 * pointer spills/fills (the range of a spilled packet pointer survives) and
 * variable-offset stack writes (allowed for privileged loaders).
 */
// bpfcc-flags: -O2 -g -mcpu=v2
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define RING 8

struct udp_stats {
	__u64 packets;
	__u64 bytes;
	__u64 small;
	__u64 large;
	__u32 last_saddr[RING];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u16);
	__type(value, struct udp_stats);
} udp_ports SEC(".maps");

SEC("xdp")
__success
int xdp_udp_stats(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct udphdr *uh = (void *)(iph + 1);
	__u32 recent[RING];
	struct udp_stats *st;
	__u16 port, len;
	__u64 now, seed;

	if ((void *)(uh + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->ihl != 5 || iph->protocol != IPPROTO_UDP)
		return XDP_PASS;
	now = bpf_ktime_get_ns();
	seed = bpf_get_prandom_u32();
	port = bpf_ntohs(uh->dest);
	st = bpf_map_lookup_elem(&udp_ports, &port);
	if (!st)
		return XDP_PASS;
	len = bpf_ntohs(uh->len);
	__builtin_memcpy(recent, st->last_saddr, sizeof(recent));
	recent[(now ^ seed) & (RING - 1)] = iph->saddr;
	__builtin_memcpy(st->last_saddr, recent, sizeof(recent));
	st->packets++;
	st->bytes += len;
	if (len < 64)
		st->small++;
	else if (len > 1024)
		st->large++;
	if (uh->check == 0 && iph->ttl < 2)
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
