/*
 * bug_sk_lookup_early_return.bpf.c - a tc ingress filter that drops packets for ports
 * without an established local socket.  It looks the socket up, then returns early when
 * the socket is still in SYN_RECV without releasing it.  A socket from bpf_sk_lookup_tcp
 * is a reference the kernel wants back on every path.
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

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} half_open SEC(".maps");

SEC("tc")
__failure __msg("Unreleased reference id={{[0-9]+}} alloc_insn={{[0-9]+}}") __at_line(61)
int drop_unowned(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct bpf_sock_tuple tuple = {};
	struct tcphdr *th;
	struct bpf_sock *sk;
	__u32 zero = 0;
	__u64 *cnt;

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	if (iph->ihl != 5 || iph->protocol != IPPROTO_TCP)
		return TC_ACT_OK;
	th = (void *)(iph + 1);
	if ((void *)(th + 1) > data_end)
		return TC_ACT_OK;
	tuple.ipv4.saddr = iph->saddr;
	tuple.ipv4.daddr = iph->daddr;
	tuple.ipv4.sport = th->source;
	tuple.ipv4.dport = th->dest;
	sk = bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return TC_ACT_SHOT;
	if (sk->state == 12 /* TCP_NEW_SYN_RECV */) {
		cnt = bpf_map_lookup_elem(&half_open, &zero);
		if (cnt)
			*cnt += 1;
		return TC_ACT_OK;
	}
	bpf_sk_release(sk);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
