/*
 * xdp_icmp_echo.bpf.c - answers ICMP echo requests from XDP: swaps the MAC and IPv4
 * addresses in place, turns the request into a reply and patches the ICMP checksum
 * incrementally (RFC 1624), then transmits with XDP_TX.  Models in-place packet writes
 * of several widths after one bounds check covering them all.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define ICMP_ECHOREPLY 0
#define ICMP_ECHO 8

/* <linux/icmp.h> pulls in libc's socket headers, which the BPF target lacks. */
struct icmphdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be16 id;
	__be16 sequence;
};

static __always_inline __u16 csum_replace16(__u16 check, __u16 old, __u16 new)
{
	__u32 sum = (__u16)~check + (__u16)~old + new;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

SEC("xdp")
__success
int xdp_pong(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct icmphdr *icmp = (void *)(iph + 1);
	__u8 mac[ETH_ALEN];
	__u32 addr;
	__u16 old;

	if ((void *)(icmp + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->ihl != 5 ||
	    iph->protocol != IPPROTO_ICMP || icmp->type != ICMP_ECHO)
		return XDP_PASS;
	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	addr = iph->daddr;
	iph->daddr = iph->saddr;
	iph->saddr = addr;
	iph->ttl = 64;
	old = *(__u16 *)icmp;
	icmp->type = ICMP_ECHOREPLY;
	icmp->checksum = csum_replace16(icmp->checksum, old, *(__u16 *)icmp);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
