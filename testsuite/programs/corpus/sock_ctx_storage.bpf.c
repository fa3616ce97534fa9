/*
 * sock_ctx_storage.bpf.c - sockets handed out by the context, used the way networking
 * programs do: a sock_ops program keeping per-socket state in socket storage (skops->sk
 * tested once, kept in a variable), a tc program and an sk_msg program doing the same
 * after bpf_sk_fullsock, an sk_lookup program assigning a socket looked up in a sockhash
 * (a reference, released), a cgroup_skb program reading TCP state.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} conn_state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} listeners SEC(".maps");

SEC("sockops")
__success
int count_ops(struct bpf_sock_ops *skops)
{
	struct bpf_sock *sk = skops->sk;
	__u64 *n;

	if (!sk)
		return 1;
	n = bpf_sk_storage_get(&conn_state, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (n)
		*n += 1;
	return 1;
}

SEC("tc")
__success
int tag_known_flows(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	__u64 *n;

	if (!sk)
		return 0;
	sk = bpf_sk_fullsock(sk);
	if (!sk)
		return 0;
	n = bpf_sk_storage_get(&conn_state, sk, 0, 0);
	if (n)
		skb->mark = (__u32)*n;
	return 0;
}

SEC("sk_msg")
__success
int drop_counted(struct sk_msg_md *msg)
{
	struct bpf_sock *sk = msg->sk;
	__u64 *n;

	if (!sk)
		return SK_PASS;
	n = bpf_sk_storage_get(&conn_state, sk, 0, 0);
	return n && *n > 1000 ? SK_DROP : SK_PASS;
}

SEC("sk_lookup")
__success
int steer(struct bpf_sk_lookup *ctx)
{
	__u32 port = ctx->local_port;
	struct bpf_sock *sk = bpf_map_lookup_elem(&listeners, &port);
	long err;

	if (!sk)
		return SK_PASS;
	err = bpf_sk_assign(ctx, sk, 0);
	bpf_sk_release(sk);
	return err ? SK_DROP : SK_PASS;
}

SEC("cgroup_skb/egress")
__success
int small_windows(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	struct bpf_tcp_sock *tp;

	if (!sk)
		return 1;
	sk = bpf_sk_fullsock(sk);
	if (!sk || sk->protocol != 6)
		return 1;
	tp = bpf_tcp_sock(sk);
	if (!tp)
		return 1;
	return tp->snd_cwnd > 10 || sk->dst_port == 0 || sk->src_ip4 == 0;
}

char LICENSE[] SEC("license") = "GPL";
