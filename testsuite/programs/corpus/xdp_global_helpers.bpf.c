/*
 * xdp_global_helpers.bpf.c - an XDP firewall split into global (non-static) helper
 * functions, as larger projects do to keep verification time down: each helper is
 * verified once from its prototype, so pointer arguments are tested for NULL before
 * use, and the context is passed as the program's own context type.  Models global
 * functions with nullable memory arguments, context arguments and scalar results.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <bpfcc/expect.h>

struct rule {
	__u32 action; /* XDP_PASS or XDP_DROP */
	__u64 hits;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct rule);
} rules SEC(".maps");

struct pkt_info {
	__u32 saddr;
	__u32 len;
	__u8 proto;
};

__noinline int parse_ipv4(struct xdp_md *ctx, struct pkt_info *pi)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);

	if (!pi)
		return -1;
	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return -1;
	pi->saddr = ip->saddr;
	pi->proto = ip->protocol;
	pi->len = end - data;
	return 0;
}

__noinline int rule_verdict(struct rule *r, const struct pkt_info *pi)
{
	if (!r || !pi)
		return XDP_PASS;
	__sync_fetch_and_add(&r->hits, 1);
	return r->action == XDP_DROP ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
__success
int xdp_firewall_global(struct xdp_md *ctx)
{
	struct pkt_info pi = {};
	struct rule *r;

	if (parse_ipv4(ctx, &pi) < 0)
		return XDP_PASS;
	r = bpf_map_lookup_elem(&rules, &pi.saddr);
	return rule_verdict(r, &pi);
}

char LICENSE[] SEC("license") = "GPL";
