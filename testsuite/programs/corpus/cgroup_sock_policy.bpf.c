/*
 * cgroup_sock_policy.bpf.c - cgroup socket policy: sock_create refuses raw sockets for
 * unprivileged users, connect4 rewrites connections to a redirected address and
 * post_bind4 logs bound ports.  Models the cgroup/sock context fields (read and the
 * writable user_ip4/user_port of bpf_sock_addr) and the 0/1 verdicts.
 */
// bpfcc-flags: -O1 -g
#include <linux/bpf.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define SOCK_STREAM 1
#define SOCK_RAW 3

struct redirect {
	__u32 ip;
	__u16 port;
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u64);
	__type(value, struct redirect);
} redirects SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} binds SEC(".maps");

SEC("cgroup/sock_create")
__success
int deny_raw(struct bpf_sock *sk)
{
	__u32 uid = (__u32)bpf_get_current_uid_gid();

	if (sk->type == SOCK_RAW && uid != 0)
		return 0;
	return 1;
}

SEC("cgroup/connect4")
__success
int redirect_connect(struct bpf_sock_addr *ctx)
{
	__u64 key = ((__u64)ctx->user_ip4 << 16) | ctx->user_port;
	struct redirect *r;

	if (ctx->type != SOCK_STREAM)
		return 1;
	r = bpf_map_lookup_elem(&redirects, &key);
	if (!r)
		return 1;
	ctx->user_ip4 = r->ip;
	ctx->user_port = r->port;
	return 1;
}

SEC("cgroup/post_bind4")
__success
int log_bind(struct bpf_sock *sk)
{
	__u32 port = sk->src_port;

	if (port < 1024)
		bpf_ringbuf_output(&binds, &port, sizeof(port), 0);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
