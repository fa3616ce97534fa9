/*
 * socket_fields.bpf.c - sockets the context and map lookups hand out, read as the kernel
 * allows (bpf_sock_is_valid_access() and friends): skb->sk (sock_common_or_null) tested
 * and read at its common fields, narrow reads of bpf_sock fields and address bytes,
 * dst_port as two bytes, bpf_tcp_sock's 8-byte counters, a sockmap lookup's socket (a
 * reference, released), an XSKMAP lookup's AF_XDP socket, and a map-in-map lookup's inner
 * map used for a second lookup.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps");

SEC("cgroup_skb/ingress")
__success
int sock_reads(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	struct bpf_tcp_sock *tp;
	__u64 sum;

	if (!sk)
		return 1;
	sum = sk->family + *(volatile __u8 *)&sk->dst_ip4 + sk->src_port;
	sk = bpf_sk_fullsock(sk);
	if (!sk)
		return 1;
	sum += *(volatile __u16 *)&sk->type + *(volatile __u8 *)((char *)&sk->dst_ip6 + 3);
	sum += *(volatile __u16 *)&sk->dst_port + *(volatile __u8 *)((char *)&sk->dst_port + 1);
	tp = bpf_tcp_sock(sk);
	if (!tp)
		return 1;
	sum += tp->bytes_acked + tp->snd_cwnd;
	return sum != 7;
}

SEC("sk_skb")
__success
int sockmap_socket(struct __sk_buff *skb)
{
	__u32 key = 1;
	struct bpf_sock *sk = bpf_map_lookup_elem(&socks, &key);
	int type;

	if (!sk)
		return SK_PASS;
	type = sk->type;
	bpf_sk_release(sk);
	return type == 1 ? SK_PASS : SK_DROP;
}

SEC("xdp")
__success
int xsk_queue(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct bpf_xdp_sock *xs = bpf_map_lookup_elem(&xsks, &key);

	if (!xs)
		return XDP_PASS;
	return xs->queue_id == ctx->rx_queue_index ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
__success
int inner_map_lookup(struct xdp_md *ctx)
{
	__u32 key = 0;
	void *in = bpf_map_lookup_elem(&outer, &key);
	__u64 *v;

	if (!in)
		return XDP_PASS;
	v = bpf_map_lookup_elem(in, &key);
	if (v)
		__sync_fetch_and_add(v, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
