/*
 * xdp_dns_labels.bpf.c - counts DNS queries per first label of the queried name: parses
 * Ethernet/IPv4/UDP, then copies the first label of the QNAME byte by byte in a
 * bounded loop from a cursor into the packet, checking data_end each time.  Models a
 * packet pointer advanced by a loop counter and a length byte read from the packet.
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

#define LABEL_MAX 32

struct dnshdr {
	__u16 id;
	__u16 flags;
	__u16 qdcount;
	__u16 ancount;
	__u16 nscount;
	__u16 arcount;
};

struct label_key {
	char name[LABEL_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 2048);
	__type(key, struct label_key);
	__type(value, __u64);
} queries SEC(".maps");

SEC("xdp")
__success
int xdp_dns_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct label_key key = {};
	struct udphdr *uh;
	struct dnshdr *dns;
	__u8 *q, len;
	__u64 one = 1, *cnt;

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (iph->ihl != 5 || iph->protocol != IPPROTO_UDP)
		return XDP_PASS;
	uh = (void *)(iph + 1);
	if ((void *)(uh + 1) > data_end || uh->dest != bpf_htons(53))
		return XDP_PASS;
	dns = (void *)(uh + 1);
	if ((void *)(dns + 1) > data_end || (dns->flags & bpf_htons(0x8000)))
		return XDP_PASS;
	q = (__u8 *)(dns + 1);
	if (q + 1 > (__u8 *)data_end)
		return XDP_PASS;
	len = q[0];
	if (len == 0 || len >= LABEL_MAX)
		return XDP_PASS;
	for (int i = 0; i < LABEL_MAX - 1; i++) {
		__u8 *c = q + 1 + i;

		if (i >= len || c + 1 > (__u8 *)data_end)
			break;
		key.name[i] = *c | 0x20;
	}
	cnt = bpf_map_lookup_elem(&queries, &key);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&queries, &key, &one, BPF_NOEXIST);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
