/*
 * tc_sk_lookup_ref.bpf.c - socket lookups that return references: a tc ingress program
 * asks bpf_skc_lookup_tcp whether a local listener owns the packet's destination and
 * releases the socket on every path, and an sk_lookup program steers connections for a
 * port range to a socket taken from a sockmap with bpf_sk_assign, releasing it after.
 * Models reference tracking of acquired sockets (lookup, NULL test, release).
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
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} steer_to SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} local_hits SEC(".maps");

SEC("tc")
__success
int tc_local_listener(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct bpf_sock_tuple tuple = {};
	struct tcphdr *th;
	struct bpf_sock *sk;
	__u32 slot;
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
	sk = bpf_skc_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk) {
		slot = 0;
	} else {
		slot = sk->state == 10 /* TCP_LISTEN */;
		bpf_sk_release(sk);
	}
	cnt = bpf_map_lookup_elem(&local_hits, &slot);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return TC_ACT_OK;
}

SEC("sk_lookup")
__success
int steer_ports(struct bpf_sk_lookup *ctx)
{
	__u32 zero = 0;
	struct bpf_sock *sk;
	long err;

	if (ctx->protocol != IPPROTO_TCP || ctx->local_port < 7000 || ctx->local_port > 7999)
		return SK_PASS;
	sk = bpf_map_lookup_elem(&steer_to, &zero);
	if (!sk)
		return SK_PASS;
	err = bpf_sk_assign(ctx, sk, 0);
	bpf_sk_release(sk);
	return err ? SK_DROP : SK_PASS;
}

char LICENSE[] SEC("license") = "GPL";
