/*
 * map_in_map_tenants.bpf.c - per-tenant allow lists through a map of maps: the outer
 * array holds one inner hash per tenant (tenant id from the skb mark), and the cgroup
 * egress program looks the destination up in that tenant's inner map.  Models
 * ARRAY_OF_MAPS lookups returning a map pointer (or NULL) used as the next map.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct inner_allow {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u8);
};

struct inner_allow tenant0_allow SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 16);
	__type(key, __u32);
	__array(values, struct inner_allow);
} tenants SEC(".maps") = {
	.values = {[0] = &tenant0_allow},
};

SEC("cgroup_skb/egress")
__success
int tenant_egress(struct __sk_buff *skb)
{
	__u32 tenant = skb->mark & 15;
	__u32 daddr = skb->remote_ip4;
	void *allow;

	if (skb->family != 2)
		return 1;
	allow = bpf_map_lookup_elem(&tenants, &tenant);
	if (!allow)
		return 1;
	return bpf_map_lookup_elem(allow, &daddr) ? 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
