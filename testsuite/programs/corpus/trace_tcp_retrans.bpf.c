/*
 * trace_tcp_retrans.bpf.c - TCP retransmission monitor on the tcp/tcp_retransmit_skb
 * tracepoint: copies the addresses out of the tracepoint record (fixed-size arrays in
 * the context) and counts retransmits per remote address/port in an LRU hash.
 * Models array fields of a tracepoint context copied with bpf_probe_read_kernel (the
 * context itself may only be read at constant offsets from its unmodified pointer).
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
__success
int on_retransmit(struct trace_event_raw_tcp_retransmit_skb *ctx)
{
	struct retrans_key key = {};
	struct retrans_val *v, init = {};

	key.family = ctx->family;
	key.dport = ctx->dport;
	if (key.family == 2)
		bpf_probe_read_kernel(key.daddr, 4, ctx->daddr);
	else
		bpf_probe_read_kernel(key.daddr, sizeof(key.daddr), ctx->daddr_v6);
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
