/*
 * xdp_udp_ihl.bpf.c - drops UDP to the discard port, honouring IPv4 options: the L4
 * header starts ihl * 4 bytes into the IP header (a variable offset, 20 to 60 bytes),
 * and the whole UDP header is checked against data_end before the ports are read.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

const volatile __u16 drop_port = 9;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} dropped SEC(".maps");

SEC("xdp")
__success
int xdp_drop_discard(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct udphdr *uh;
	__u32 hlen, zero = 0;
	__u64 *cnt;

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (iph->protocol != IPPROTO_UDP)
		return XDP_PASS;
	hlen = iph->ihl * 4;
	if (hlen < sizeof(*iph))
		return XDP_PASS;
	uh = (void *)iph + hlen;
	if ((void *)(uh + 1) > data_end)
		return XDP_PASS;
	if (uh->dest != bpf_htons(drop_port))
		return XDP_PASS;
	cnt = bpf_map_lookup_elem(&dropped, &zero);
	if (cnt)
		*cnt += 1;
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
