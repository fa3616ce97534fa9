/*
 * sockmap_proxy.bpf.c - a sockmap-based local proxy: sk_skb stream parser/verdict
 * programs redirect received data to the peer socket by a key kept in the socket's
 * local port, and an sk_msg program redirects sendmsg data through a sockhash.
 * Models sk_skb/sk_msg contexts and bpf_sk_redirect_map / bpf_msg_redirect_hash.
 */
// bpfcc-flags: -O2 -g -mcpu=v2
#include <linux/bpf.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct sock_key {
	__u32 sip;
	__u32 dip;
	__u32 sport;
	__u32 dport;
};

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} peers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 1024);
	__type(key, struct sock_key);
	__type(value, __u64);
} conns SEC(".maps");

SEC("sk_skb/stream_parser")
__success
int proxy_parser(struct __sk_buff *skb)
{
	return skb->len;
}

SEC("sk_skb/stream_verdict")
__success
int proxy_verdict(struct __sk_buff *skb)
{
	__u32 key = skb->local_port & 63;

	return bpf_sk_redirect_map(skb, &peers, key ^ 1, 0);
}

SEC("sk_msg")
__success
int proxy_msg(struct sk_msg_md *msg)
{
	struct sock_key key = {
		.sip = msg->remote_ip4,
		.dip = msg->local_ip4,
		.sport = bpf_htonl(msg->local_port) >> 16,
		.dport = msg->remote_port >> 16,
	};

	if (msg->family != 2 /* AF_INET */)
		return SK_PASS;
	return bpf_msg_redirect_hash(msg, &conns, &key, BPF_F_INGRESS);
}

char LICENSE[] SEC("license") = "GPL";
