/*
 * sock_filter_dns.bpf.c - socket filter for a packet sniffer: keeps only UDP port 53
 * packets, reading headers with bpf_skb_load_bytes (socket filters have no direct
 * packet access) and the legacy LD_ABS byte loads.  Models the socket-filter return
 * value as a snap length and offsets computed from the IPv4 header length.
 */
// bpfcc-flags: -O1 -g -mcpu=v2
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} dns_bytes SEC(".maps");

SEC("socket")
__success
int dns_only(struct __sk_buff *skb)
{
	struct udphdr uh;
	__u32 ihl, dir;
	__u64 *bytes;

	if (load_half(skb, offsetof(struct ethhdr, h_proto)) != ETH_P_IP)
		return 0;
	if (load_byte(skb, ETH_HLEN + offsetof(struct iphdr, protocol)) != IPPROTO_UDP)
		return 0;
	ihl = (load_byte(skb, ETH_HLEN) & 0x0f) * 4;
	if (ihl < sizeof(struct iphdr))
		return 0;
	if (bpf_skb_load_bytes(skb, ETH_HLEN + ihl, &uh, sizeof(uh)) < 0)
		return 0;
	if (uh.dest == bpf_htons(53))
		dir = 0;
	else if (uh.source == bpf_htons(53))
		dir = 1;
	else
		return 0;
	bytes = bpf_map_lookup_elem(&dns_bytes, &dir);
	if (bytes)
		__sync_fetch_and_add(bytes, skb->len);
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
