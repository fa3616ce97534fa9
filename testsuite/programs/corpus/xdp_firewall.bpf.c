/*
 * xdp_firewall.bpf.c - XDP firewall: parses Ethernet, up to two VLAN tags, IPv4 or
 * IPv6 and the TCP/UDP ports, then drops sources listed in an LPM trie and counts
 * verdicts per CPU.  Models packet-pointer bounds checks against data_end before each
 * header read, variable IPv4 header length (ihl * 4) re-checked before use.
 */
// bpfcc-flags: -O2 -g -mcpu=v4
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct vlan_hdr {
	__be16 tci;
	__be16 encap_proto;
};

struct lpm_v4_key {
	__u32 prefixlen;
	__u32 addr;
};

enum { STAT_PASS, STAT_DROP, STAT_MALFORMED, STAT_MAX };

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1024);
	__type(key, struct lpm_v4_key);
	__type(value, __u32);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} blocked_v4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u16);
	__type(value, __u8);
} blocked_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} fw_stats SEC(".maps");

static __always_inline int count(__u32 what, int verdict)
{
	__u64 *c = bpf_map_lookup_elem(&fw_stats, &what);

	if (c)
		*c += 1;
	return verdict;
}

static __always_inline int port_blocked(void *l4, void *data_end, __u8 proto)
{
	__u16 dport;

	if (proto == IPPROTO_TCP) {
		struct tcphdr *th = l4;

		if ((void *)(th + 1) > data_end)
			return -1;
		dport = bpf_ntohs(th->dest);
	} else if (proto == IPPROTO_UDP) {
		struct udphdr *uh = l4;

		if ((void *)(uh + 1) > data_end)
			return -1;
		dport = bpf_ntohs(uh->dest);
	} else {
		return 0;
	}
	return bpf_map_lookup_elem(&blocked_ports, &dport) != NULL;
}

SEC("xdp")
__success
int xdp_fw(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	void *cursor = eth + 1;
	__u16 proto;
	int r;

	if (cursor > data_end)
		return count(STAT_MALFORMED, XDP_DROP);
	proto = eth->h_proto;
#pragma unroll
	for (int i = 0; i < 2; i++) {
		struct vlan_hdr *vh = cursor;

		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		if ((void *)(vh + 1) > data_end)
			return count(STAT_MALFORMED, XDP_DROP);
		proto = vh->encap_proto;
		cursor = vh + 1;
	}
	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *iph = cursor;
		struct lpm_v4_key key;

		if ((void *)(iph + 1) > data_end)
			return count(STAT_MALFORMED, XDP_DROP);
		if (iph->ihl < 5)
			return count(STAT_MALFORMED, XDP_DROP);
		key.prefixlen = 32;
		key.addr = iph->saddr;
		if (bpf_map_lookup_elem(&blocked_v4, &key))
			return count(STAT_DROP, XDP_DROP);
		cursor = (void *)iph + iph->ihl * 4;
		if (cursor > data_end)
			return count(STAT_MALFORMED, XDP_DROP);
		r = port_blocked(cursor, data_end, iph->protocol);
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = cursor;

		if ((void *)(ip6 + 1) > data_end)
			return count(STAT_MALFORMED, XDP_DROP);
		r = port_blocked(ip6 + 1, data_end, ip6->nexthdr);
	} else {
		return count(STAT_PASS, XDP_PASS);
	}
	if (r < 0)
		return count(STAT_MALFORMED, XDP_DROP);
	return r ? count(STAT_DROP, XDP_DROP) : count(STAT_PASS, XDP_PASS);
}

char LICENSE[] SEC("license") = "GPL";
