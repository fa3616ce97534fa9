/*
 * callback_rounds.bpf.c - bpf_loop / bpf_for_each_map_elem callbacks whose rounds change
 * the caller's stack, in the shapes the kernel verifies differently.  The kernel explores
 * a sync callback as a loop body: it goes on after the call first (the callback may run 0
 * times), then enters the callback; each round ends back at the call, where a state
 * within an earlier round's ends the loop.  Between rounds it forgets the exact value of
 * scalars no decided branch made precise (widen_imprecise_scalars()), so a counter only
 * stored somewhere converges at once; a counter a decided branch compares stays exact and
 * the rounds go on until bpf_loop's count (its r1, precise) is used up.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} slots SEC(".maps");

struct count_ctx {
	__u64 rounds;
	__u64 last;
};

/* a counter the caller only stores: widened after the first round */
static long count_round(__u64 i, void *data)
{
	struct count_ctx *c = data;

	c->rounds++;
	c->last = i;
	return 0;
}

SEC("tc")
__success
int counter_stored(struct __sk_buff *skb)
{
	struct count_ctx c = {};

	bpf_loop(1000, count_round, &c, 0);
	skb->mark = (__u32)c.rounds;
	return TC_ACT_OK;
}

/* a counter a decided branch compares after the loop: exact in every round, eight rounds */
SEC("tc")
__success
int counter_compared(struct __sk_buff *skb)
{
	struct count_ctx c = {};

	bpf_loop(8, count_round, &c, 0);
	if (c.rounds > 8)
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}

/* the callback itself bounds its counter: a decided branch inside each round */
static long fill_slot(__u64 i, void *data)
{
	struct count_ctx *c = data;
	__u32 key = (__u32)c->rounds;
	__u64 *v;

	if (c->rounds >= 16)
		return 1;
	v = bpf_map_lookup_elem(&slots, &key);
	if (v)
		*v = i;
	c->rounds++;
	return 0;
}

SEC("tc")
__success
int counter_bounds_itself(struct __sk_buff *skb)
{
	struct count_ctx c = {};

	bpf_loop(64, fill_slot, &c, 0);
	return TC_ACT_OK;
}

/* nested loops: the inner callback's rounds inside each outer round */
static long inner_round(__u64 i, void *data)
{
	struct count_ctx *c = data;

	c->last += i;
	return 0;
}

static long outer_round(__u64 i, void *data)
{
	struct count_ctx *c = data;

	bpf_loop(4, inner_round, c, 0);
	c->rounds++;
	return 0;
}

SEC("tc")
__success
int nested_loops(struct __sk_buff *skb)
{
	struct count_ctx c = {};

	bpf_loop(4, outer_round, &c, 0);
	skb->mark = (__u32)(c.rounds + c.last);
	return TC_ACT_OK;
}

/* a callback returning a value in [0, 1] computed from data: accepted */
static long stop_on_odd(__u64 i, void *data)
{
	struct count_ctx *c = data;

	c->last = i;
	return i & 1;
}

SEC("tc")
__success
int returns_zero_or_one(struct __sk_buff *skb)
{
	struct count_ctx c = {};

	bpf_loop(skb->len & 0xff, stop_on_odd, &c, 0);
	skb->mark = (__u32)c.last;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
