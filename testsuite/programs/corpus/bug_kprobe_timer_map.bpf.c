/*
 * bug_kprobe_timer_map.bpf.c - connection tracking whose entries expire through a
 * bpf_timer armed by the tc program that creates them; a kprobe on tcp_close then looks
 * the entry up to mark it closed.  Tracing programs (kprobe, tracepoint, perf_event,
 * raw_tp) may run in any context and the kernel refuses them every map whose value holds
 * a timer, before it looks at a single instruction.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define CLOCK_MONOTONIC 1

struct conn {
	__u64 bytes;
	__u32 closed;
	__u32 pad;
	struct bpf_timer expire;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct conn);
} conns SEC(".maps");

static int expire_conn(void *map, __u64 *key, struct conn *c)
{
	bpf_map_delete_elem(map, key);
	return 0;
}

SEC("tc")
__success
int track(struct __sk_buff *skb)
{
	__u64 key = skb->hash;
	struct conn init = {}, *c;

	c = bpf_map_lookup_elem(&conns, &key);
	if (!c) {
		bpf_map_update_elem(&conns, &key, &init, BPF_NOEXIST);
		c = bpf_map_lookup_elem(&conns, &key);
		if (!c)
			return TC_ACT_OK;
		bpf_timer_init(&c->expire, &conns, CLOCK_MONOTONIC);
		bpf_timer_set_callback(&c->expire, expire_conn);
	}
	__sync_fetch_and_add(&c->bytes, skb->len);
	bpf_timer_start(&c->expire, 30ull * 1000000000, 0);
	return TC_ACT_OK;
}

SEC("kprobe/tcp_close")
__failure __msg("tracing progs cannot use bpf_timer yet")
int mark_closed(struct pt_regs *ctx)
{
	__u64 key = bpf_get_prandom_u32();
	struct conn *c = bpf_map_lookup_elem(&conns, &key);

	if (c)
		c->closed = 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
