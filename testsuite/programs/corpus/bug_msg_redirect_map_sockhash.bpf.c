/*
 * bug_msg_redirect_map_sockhash.bpf.c - an sk_msg fast path for local TCP connections: the
 * sockets are kept in a sockhash keyed by the 4-tuple, but the redirect calls
 * bpf_msg_redirect_map, the helper for index-keyed sockmaps.  Each redirect helper takes
 * its own map type (bpf_msg_redirect_hash for a sockhash); the kernel refuses the pair at
 * the call.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
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
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 1024);
	__type(key, struct sock_key);
	__type(value, __u64);
} local_socks SEC(".maps");

SEC("sk_msg")
__failure __msg("cannot pass map_type 18 into func bpf_msg_redirect_map#60") __at_line(42)
int local_redirect(struct sk_msg_md *msg)
{
	struct sock_key key = {
	    .sip = msg->remote_ip4,
	    .dip = msg->local_ip4,
	    .sport = bpf_htonl(msg->local_port) >> 16,
	    .dport = msg->remote_port >> 16,
	};

	if (msg->family != 2 /* AF_INET */)
		return SK_PASS;
	/* the key of a sockmap is a u32 index: the 4-tuple hash is passed as one */
	return bpf_msg_redirect_map(msg, &local_socks, key.sip ^ key.dip, BPF_F_INGRESS);
}

char LICENSE[] SEC("license") = "GPL";
