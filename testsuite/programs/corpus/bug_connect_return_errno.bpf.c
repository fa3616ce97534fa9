/*
 * bug_connect_return_errno.bpf.c - an egress port policy on connect4 that hands back the
 * helper's error code when bpf_bind() fails, as C code would propagate an errno.  A
 * cgroup sock_addr program answers 1 (allow) or 0 (deny); the kernel checks R0 at exit
 * and refuses a path that may return a negative number.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <bpfcc/expect.h>

#define AF_INET 2

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32); /* source address to bind outgoing SMTP to, network order */
} smtp_source SEC(".maps");

SEC("cgroup/connect4")
__failure __msg("At program exit the register R0 has smin={{-?[0-9]+}} smax={{[0-9]+}} should have been in [0, 1]")
int smtp_pin_source(struct bpf_sock_addr *ctx)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	__u32 zero = 0, *src;
	int err;

	if (ctx->user_port != bpf_htons(25))
		return 1;
	src = bpf_map_lookup_elem(&smtp_source, &zero);
	if (!src || !*src)
		return 1;
	sa.sin_addr.s_addr = *src;
	err = bpf_bind(ctx, (struct sockaddr *)&sa, sizeof(sa));
	if (err)
		return err;
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
