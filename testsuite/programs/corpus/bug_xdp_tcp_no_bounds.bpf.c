/*
 * bug_xdp_tcp_no_bounds.bpf.c - an XDP SYN counter that checks the Ethernet and IPv4
 * headers against data_end but reads the TCP flags without checking the TCP header.
 * The kernel refuses a packet read past the range proven by the last comparison.
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

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} syns SEC(".maps");

SEC("xdp")
__failure __msg("invalid access to packet, off={{[0-9]+}} size={{[0-9]}}") __at_line(41)
/* bpfcc detects this since its packet-pointer rules (mem_pkt.c) */
int xdp_count_syn(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct tcphdr *th;
	__u32 zero = 0;
	__u64 *cnt;

	if ((void *)(iph + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->protocol != IPPROTO_TCP)
		return XDP_PASS;
	th = (void *)(iph + 1);
	if (th->syn && !th->ack) {
		cnt = bpf_map_lookup_elem(&syns, &zero);
		if (cnt)
			*cnt += 1;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
