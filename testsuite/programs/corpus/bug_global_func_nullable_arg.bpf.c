/*
 * bug_global_func_nullable_arg.bpf.c - a global (non-static) function that takes a
 * pointer to a flow record and reads it without a NULL test.  The kernel verifies
 * global functions on their own, from their BTF prototype: a pointer argument may be
 * NULL, and the load through it is refused.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct flow_rec {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct flow_rec);
} flow_recs SEC(".maps");

__noinline int flow_account(struct flow_rec *f, __u32 len)
{
	f->packets++;
	f->bytes += len;
	return 0;
}

SEC("xdp")
__failure __msg("invalid mem access 'mem_or_null'") __at_line(26)
int xdp_account(struct xdp_md *ctx)
{
	__u32 key = ctx->rx_queue_index;
	struct flow_rec *f = bpf_map_lookup_elem(&flow_recs, &key);

	if (f)
		flow_account(f, ctx->data_end - ctx->data);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
