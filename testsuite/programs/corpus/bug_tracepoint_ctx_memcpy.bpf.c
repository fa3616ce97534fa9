/*
 * bug_tracepoint_ctx_memcpy.bpf.c - the first draft of trace_tcp_retrans.bpf.c: the
 * address arrays of the tracepoint record are copied with __builtin_memcpy straight
 * from the context.  The record type comes from vmlinux.h (preserve_access_index), so
 * clang computes ctx + CO-RE offset into a register and loads through it; the kernel
 * only allows context loads at a constant offset from the unmodified context pointer
 * and refuses the modified one.
 */
// bpfcc-flags: -O2 -g -mcpu=v2
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <bpfcc/expect.h>

struct retrans_key {
	u8 daddr[16];
	u16 dport;
	u16 family;
};

struct retrans_val {
	u64 count;
	u64 last_ns;
	int last_state;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct retrans_key);
	__type(value, struct retrans_val);
} retrans SEC(".maps");

SEC("tracepoint/tcp/tcp_retransmit_skb")
__failure __msg("dereference of modified ctx ptr R{{[0-9]}} off={{[0-9]+}} disallowed") __at_line(45)
/* bpfcc detects this since its context and packet-pointer rules */
int on_retransmit(struct trace_event_raw_tcp_retransmit_skb *ctx)
{
	struct retrans_key key = {};
	struct retrans_val *v, init = {};

	key.family = ctx->family;
	key.dport = ctx->dport;
	if (key.family == 2)
		__builtin_memcpy(key.daddr, ctx->daddr, 4);
	else
		__builtin_memcpy(key.daddr, ctx->daddr_v6, 16);
	v = bpf_map_lookup_elem(&retrans, &key);
	if (!v) {
		bpf_map_update_elem(&retrans, &key, &init, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&retrans, &key);
		if (!v)
			return 0;
	}
	v->count++;
	v->last_ns = bpf_ktime_get_ns();
	v->last_state = ctx->state;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
