/*
 * tc_sk_state_count.bpf.c - the fixed version of bug_sk_lookup_early_return.bpf.c: a tc
 * ingress program that looks up the local socket of each TCP packet, counts packets per
 * socket state and keeps established flows, releasing the socket on every path (the
 * half-open branch too), and checks a UDP socket's receive queue the same way.
 */
// bpfcc-flags: -O2 -g -mcpu=v2
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} by_state SEC(".maps");

static __always_inline void count_state(__u32 state)
{
	__u64 *cnt = bpf_map_lookup_elem(&by_state, &state);

	if (cnt)
		*cnt += 1;
}

SEC("tc")
__success
int count_tcp_states(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct bpf_sock_tuple tuple = {};
	struct bpf_tcp_sock *tp;
	struct tcphdr *th;
	struct bpf_sock *sk;
	__u32 state;

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
		return TC_ACT_OK;
	state = sk->state;
	if (state == 12 /* TCP_NEW_SYN_RECV */) {
		count_state(state);
		bpf_sk_release(sk);
		return TC_ACT_OK;
	}
	tp = bpf_tcp_sock(sk);
	if (tp && tp->snd_cwnd < 4)
		state = 15;
	bpf_sk_release(sk);
	count_state(state & 15);
	return TC_ACT_OK;
}

SEC("tc")
__success
int udp_queue_check(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct bpf_sock_tuple tuple = {};
	struct udphdr *uh;
	struct bpf_sock *sk;
	int verdict = TC_ACT_OK;

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	if (iph->ihl != 5 || iph->protocol != IPPROTO_UDP)
		return TC_ACT_OK;
	uh = (void *)(iph + 1);
	if ((void *)(uh + 1) > data_end)
		return TC_ACT_OK;
	tuple.ipv4.saddr = iph->saddr;
	tuple.ipv4.daddr = iph->daddr;
	tuple.ipv4.sport = uh->source;
	tuple.ipv4.dport = uh->dest;
	sk = bpf_sk_lookup_udp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (sk) {
		if (sk->rx_queue_mapping > 64)
			verdict = TC_ACT_SHOT;
		bpf_sk_release(sk);
	}
	return verdict;
}

char LICENSE[] SEC("license") = "GPL";
