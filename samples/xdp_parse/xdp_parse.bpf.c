// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_parse.bpf.c - parse Ethernet / IPv4 / TCP in XDP, with the bounds checks the verifier
 * demands, count packets per IP protocol and drop TCP packets to one blocked port.
 *
 * An XDP program sees the raw frame between ctx->data and ctx->data_end.  Before every
 * read the program must prove to the verifier that the bytes lie below data_end: a
 * comparison "ptr + size > data_end" on the packet pointer is what turns it into a range
 * the verifier knows is safe.  Without it the kernel refuses the program with
 * "invalid access to packet".  The IPv4 header has a variable length (ihl * 4 bytes), so
 * the TCP header's position is only known at run time and needs its own check.
 *
 * The blocked port is a `const volatile` global: it lives in .rodata, the loader can set
 * it before load (bpf_object__open + skeleton ->rodata), and the verifier then treats it as
 * a known constant.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Destination TCP port to drop (host byte order); 0 drops nothing. */
const volatile __u16 blocked_port = 23;

/* Packets seen per IPv4 protocol number (index 0..255). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} proto_count SEC(".maps");

static __always_inline void count_proto(__u8 proto)
{
	__u32 key = proto;
	__u64 *count = bpf_map_lookup_elem(&proto_count, &key);

	/* An array lookup can only fail for an index >= max_entries, but the verifier
	 * does not know that: the NULL check is mandatory. */
	if (count)
		__sync_fetch_and_add(count, 1);
}

SEC("xdp")
int xdp_parse_tcp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct tcphdr *tcp;
	__u32 ip_len;

	/* Ethernet header: 14 bytes. */
	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS; /* not IPv4 (VLAN tags and IPv6 are left alone) */

	/* Fixed part of the IPv4 header. */
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	ip_len = ip->ihl * 4;
	if (ip_len < sizeof(*ip))
		return XDP_DROP; /* malformed: ihl below 5 */

	count_proto(ip->protocol);
	if (ip->protocol != IPPROTO_TCP)
		return XDP_PASS;
	/* Fragments after the first carry no TCP header. */
	if (ip->frag_off & bpf_htons(0x1fff))
		return XDP_PASS;

	/* Variable-length IPv4 header: the TCP header starts ip_len bytes after ip, an offset
	 * the verifier bounds by ihl's 4 bits (at most 60), so one check covers it. */
	tcp = (void *)ip + ip_len;
	if ((void *)(tcp + 1) > data_end)
		return XDP_PASS;

	if (blocked_port && tcp->dest == bpf_htons(blocked_port))
		return XDP_DROP;
	return XDP_PASS;
}
