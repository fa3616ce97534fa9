/*
 * cgroup_connect_policy.bpf.c - per-cgroup egress policy on connect4/connect6 and a
 * recvmsg4 hook that maps the resolver's address back: deny lists in a hash map, 1 to
 * allow and 0 to deny on every path, recvmsg returning 1 always, and a bpf_bind() whose
 * error turns into a deny.  The return ranges of cgroup sock_addr hooks used correctly.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <bpfcc/expect.h>

#define AF_INET 2

struct dst_key {
	__u32 addr;
	__u16 port;
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct dst_key);
	__type(value, __u64); /* refusals */
} denied SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} smtp_source SEC(".maps");

SEC("cgroup/connect4")
__success
int egress_policy4(struct bpf_sock_addr *ctx)
{
	struct dst_key k = {.addr = ctx->user_ip4, .port = (__u16)ctx->user_port};
	struct sockaddr_in sa = {.sin_family = AF_INET};
	__u32 zero = 0, *src;
	__u64 *hits;

	hits = bpf_map_lookup_elem(&denied, &k);
	if (hits) {
		__sync_fetch_and_add(hits, 1);
		return 0;
	}
	if (ctx->user_port != bpf_htons(25))
		return 1;
	src = bpf_map_lookup_elem(&smtp_source, &zero);
	if (!src || !*src)
		return 1;
	sa.sin_addr.s_addr = *src;
	return bpf_bind(ctx, (struct sockaddr *)&sa, sizeof(sa)) == 0;
}

SEC("cgroup/connect6")
__success
int egress_policy6(struct bpf_sock_addr *ctx)
{
	/* IPv6 destinations: only the port list applies */
	struct dst_key k = {.addr = 0, .port = (__u16)ctx->user_port};

	return bpf_map_lookup_elem(&denied, &k) ? 0 : 1;
}

SEC("cgroup/recvmsg4")
__success
int resolver_unalias(struct bpf_sock_addr *ctx)
{
	struct dst_key k = {.addr = ctx->user_ip4, .port = (__u16)ctx->user_port};

	if (bpf_map_lookup_elem(&denied, &k))
		ctx->user_ip4 = bpf_htonl(0x7f000035);
	return 1;
}

SEC("cgroup/bind4")
__success
int bind_no_priv_ports(struct bpf_sock_addr *ctx)
{
	/* 3: allow and skip the CAP_NET_BIND_SERVICE check for the exporter's port */
	if (ctx->user_port == bpf_htons(443))
		return 3;
	return ctx->user_port >= bpf_htons(1024) || ctx->user_port == 0;
}

char LICENSE[] SEC("license") = "GPL";
