/*
 * bug_recvmsg_return_zero.bpf.c - a cgroup recvmsg4 hook that rewrites the source address
 * of DNS answers coming back from a local resolver, and "drops" the ones from unknown
 * servers by returning 0.  recvmsg hooks cannot refuse a message: the kernel demands that
 * they return exactly 1.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);   /* resolver address, network order */
	__type(value, __u32); /* address the application asked */
} resolver_alias SEC(".maps");

SEC("cgroup/recvmsg4")
__failure __msg("At program exit the register R0 has smin=0 smax=0 should have been in [1, 1]")
__at_line(30)
int dns_unalias(struct bpf_sock_addr *ctx)
{
	__u32 src = ctx->user_ip4, *orig;

	if (ctx->user_port != bpf_htons(53))
		return 1;
	orig = bpf_map_lookup_elem(&resolver_alias, &src);
	if (!orig)
		return 0;
	ctx->user_ip4 = *orig;
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
