/*
 * socket_fields.bpf.c - sockets are read only where their *_is_valid_access() allows:
 * skb->sk may be NULL ("invalid mem access 'sock_common_or_null'"), a sock_common has no
 * type .. priority fields ("invalid sock_common access"), the padding after dst_port is
 * no field ("invalid sock access"), bpf_tcp_sock's 8-byte counters are read whole
 * ("invalid tcp_sock access"); a sockmap lookup takes a reference that must be released.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} socks SEC(".maps");

SEC("cgroup_skb/ingress")
__failure __msg("invalid mem access 'sock_common_or_null'") __at_line(25)
int sk_unchecked(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;

	return sk->family == 2;
}

SEC("cgroup_skb/ingress")
__failure __msg("invalid sock_common access off=8 size=4") __at_line(36)
int sk_common_type(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;

	if (!sk)
		return 1;
	return sk->type == 1;
}

SEC("cgroup_skb/ingress")
__failure __msg("invalid sock access off=50 size=2") __at_line(50)
int dst_port_padding(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;

	if (!sk)
		return 1;
	sk = bpf_sk_fullsock(sk);
	if (!sk)
		return 1;
	return *(volatile __u16 *)((char *)&sk->dst_port + 2) == 0;
}

SEC("cgroup_skb/ingress")
__failure __msg("invalid tcp_sock access off=88 size=4") __at_line(65)
int tcp_counter_half(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	struct bpf_tcp_sock *tp;

	if (!sk)
		return 1;
	tp = bpf_tcp_sock(sk);
	if (!tp)
		return 1;
	return *(volatile __u32 *)&tp->bytes_acked != 0;
}

SEC("sk_skb")
__failure __msg("Unreleased reference") __at_line(78)
int sockhash_leak(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct bpf_sock *sk = bpf_map_lookup_elem(&socks, &key);

	if (sk)
		return sk->type == 1 ? SK_PASS : SK_DROP;
	return SK_PASS;
}

char LICENSE[] SEC("license") = "GPL";
