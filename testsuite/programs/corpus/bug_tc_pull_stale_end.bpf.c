/*
 * bug_tc_pull_stale_end.bpf.c - the first draft of tc_pull_reload.bpf.c: after
 * bpf_skb_pull_data made the headers linear, the program re-reads skb->data but keeps
 * the data_end it loaded before the call.  The helper invalidates every packet pointer,
 * data_end included, so the comparison proves nothing and the header read is refused.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define HDRS (ETH_HLEN + sizeof(struct iphdr) + sizeof(struct udphdr))

const volatile __u16 dns_port = 53;

SEC("tc")
__failure __msg("invalid access to packet") __at_line(42)
int tc_mark_dns(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *iph;
	struct udphdr *uh;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	if (data + HDRS > data_end) {
		if (bpf_skb_pull_data(skb, HDRS))
			return TC_ACT_OK;
		data = (void *)(long)skb->data;
	}
	iph = data + ETH_HLEN;
	uh = (void *)(iph + 1);
	if ((void *)(uh + 1) > data_end)
		return TC_ACT_OK;
	if (iph->protocol == IPPROTO_UDP && uh->dest == bpf_htons(dns_port))
		skb->mark = 53;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
