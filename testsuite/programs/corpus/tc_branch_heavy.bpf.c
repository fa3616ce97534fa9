/*
 * tc_branch_heavy.bpf.c - a TCP flag and option census with many independent
 * conditions: eight flag tests, each bumping its own counter, then size classes and
 * port classes, so a naive walk would see hundreds of paths.  Models state pruning:
 * the kernel merges the paths at each join because the values that differ are not
 * precise, and processes only a few hundred instructions.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

enum {
	C_FIN, C_SYN, C_RST, C_PSH, C_ACK, C_URG, C_ECE, C_CWR,
	C_TINY, C_SMALL, C_MEDIUM, C_JUMBO,
	C_WELL_KNOWN, C_REGISTERED, C_EPHEMERAL,
	C_MAX
};

struct census {
	__u64 c[C_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct census);
} tcp_census SEC(".maps");

SEC("tc")
__success
int tc_tcp_census(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct tcphdr *th = (void *)(iph + 1);
	struct census *cs;
	__u32 zero = 0, len = skb->len;
	__u16 dport;

	if ((void *)(th + 1) > data_end)
		return TC_ACT_OK;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->ihl != 5 || iph->protocol != IPPROTO_TCP)
		return TC_ACT_OK;
	cs = bpf_map_lookup_elem(&tcp_census, &zero);
	if (!cs)
		return TC_ACT_OK;
	if (th->fin)
		cs->c[C_FIN]++;
	if (th->syn)
		cs->c[C_SYN]++;
	if (th->rst)
		cs->c[C_RST]++;
	if (th->psh)
		cs->c[C_PSH]++;
	if (th->ack)
		cs->c[C_ACK]++;
	if (th->urg)
		cs->c[C_URG]++;
	if (th->ece)
		cs->c[C_ECE]++;
	if (th->cwr)
		cs->c[C_CWR]++;
	if (len < 64)
		cs->c[C_TINY]++;
	else if (len < 512)
		cs->c[C_SMALL]++;
	else if (len < 1500)
		cs->c[C_MEDIUM]++;
	else
		cs->c[C_JUMBO]++;
	dport = bpf_ntohs(th->dest);
	if (dport < 1024)
		cs->c[C_WELL_KNOWN]++;
	else if (dport < 49152)
		cs->c[C_REGISTERED]++;
	else
		cs->c[C_EPHEMERAL]++;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
