/*
 * xdp_redirect_devmap.bpf.c - L2 forwarding with XDP redirect maps: a MAC-to-port
 * table picks the egress interface from a DEVMAP (bpf_redirect_map with a fallback
 * action in the flags), and a CPUMAP program spreads flows over CPUs by hashing the
 * source MAC.  Models bpf_redirect_map on devmap/cpumap and byte loads from the
 * Ethernet header.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define NCPUS 4

struct mac_key {
	__u8 addr[ETH_ALEN];
	__u16 vlan;
};

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u32);
} tx_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct mac_key);
	__type(value, __u32);
} fdb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, NCPUS);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} cpus SEC(".maps");

SEC("xdp")
__success
int xdp_l2_fwd(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct mac_key k = {};
	__u32 *port;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	if (eth->h_dest[0] & 1)
		return XDP_PASS;
	__builtin_memcpy(k.addr, eth->h_dest, ETH_ALEN);
	port = bpf_map_lookup_elem(&fdb, &k);
	if (!port)
		return XDP_PASS;
	return bpf_redirect_map(&tx_ports, *port, XDP_PASS);
}

SEC("xdp")
__success
int xdp_cpu_spread(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 h = 0, cpu;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
#pragma unroll
	for (int i = 0; i < ETH_ALEN; i++)
		h = h * 31 + eth->h_source[i];
	cpu = h % NCPUS;
	return bpf_redirect_map(&cpus, cpu, 0);
}

char LICENSE[] SEC("license") = "GPL";
