/*
 * callback_rules.bpf.c - what the kernel checks about callbacks: the value a bpf_loop or
 * bpf_for_each_map_elem callback returns must be 0 or 1, a timer callback must return 0,
 * the callback's context is what the caller passed (NULL here), and a callback's stack
 * counts towards the combined stack of the function that names it.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct port_stat {
	__u32 hits;
	__u32 flags;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct port_stat);
} port_stats SEC(".maps");

struct timer_slot {
	struct bpf_timer t;
	__u64 fired;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct timer_slot);
} timers SEC(".maps");

static long give_two(__u64 i, void *ctx)
{
	return 2;
}

SEC("tc")
__failure __msg("At callback return the register R0 has smin=2 smax=2 should have been in [0, 1]")
int loop_returns_two(struct __sk_buff *skb)
{
	bpf_loop(4, give_two, NULL, 0);
	return TC_ACT_OK;
}

static long return_flags(void *map, __u32 *key, struct port_stat *val, void *ctx)
{
	return val->flags;
}

SEC("tc")
__failure __msg("At callback return the register R0 has smin=0 smax=4294967295 should have been in [0, 1]")
int for_each_returns_field(struct __sk_buff *skb)
{
	bpf_for_each_map_elem(&port_stats, return_flags, NULL, 0);
	return TC_ACT_OK;
}

static int timer_fired(void *map, __u32 *key, struct timer_slot *slot)
{
	slot->fired++;
	return 1;
}

SEC("tc")
__failure __msg("At async callback return the register R0 has smin=1 smax=1 should have been in [0, 0]")
int timer_returns_one(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct timer_slot *s = bpf_map_lookup_elem(&timers, &zero);

	if (!s)
		return TC_ACT_OK;
	bpf_timer_init(&s->t, &timers, 1);
	bpf_timer_set_callback(&s->t, timer_fired);
	return TC_ACT_OK;
}

static long read_ctx(__u64 i, void *ctx)
{
	return *(__u64 *)ctx & 1;
}

SEC("tc")
__failure __msg("R2 invalid mem access 'scalar'")
int loop_null_ctx(struct __sk_buff *skb)
{
	bpf_loop(4, read_ctx, NULL, 0);
	return TC_ACT_OK;
}

static long fill_scratch(__u64 i, void *ctx)
{
	volatile __u8 scratch[300];

	scratch[i & 255] = 1;
	return scratch[(i + 1) & 255] & 1;
}

SEC("tc")
__failure __msg("combined stack size of 2 calls is {{[0-9]+}}. Too large")
int loop_callback_stack(struct __sk_buff *skb)
{
	volatile __u8 buf[300];

	buf[skb->len & 255] = 1;
	bpf_loop(4, fill_scratch, NULL, 0);
	return buf[skb->hash & 255];
}

char LICENSE[] SEC("license") = "GPL";
