/*
 * callback_rounds.bpf.c - callback rounds the kernel refuses: the error shows up only in a
 * later round of a bpf_loop callback (the caller's stack changed by earlier rounds), on a
 * branch of a nested callback, or the rounds never converge: a bpf_for_each_map_elem
 * callback (no count bounds its rounds) counting into the caller's stack a value a decided
 * branch compares after the call, so every round differs and the kernel queues a new one
 * until it holds 8192 pending branches.
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

struct idx_ctx {
	__u64 idx;
	__u64 buf[3];
};

/* the index grows each round and a branch compares it with a constant, so it stays exact
 * across rounds: the third round reads past buf[], beyond the caller's frame */
static long read_next(__u64 i, void *data)
{
	struct idx_ctx *c = data;
	__u64 *p;

	if (c->idx > 4)
		return 1;
	p = (__u64 *)((char *)c + 8 + c->idx * 8);
	c->buf[0] += *p;
	c->idx += 2;
	return 0;
}

SEC("tc")
__failure __msg("invalid read from stack R4 off=8 size=8") __at_line(37)
int read_past_in_later_round(struct __sk_buff *skb)
{
	struct idx_ctx c = {};

	bpf_loop(8, read_next, &c, 0);
	return c.buf[0] ? TC_ACT_SHOT : TC_ACT_OK;
}

/* a nested callback that returns 2 on one path */
static long inner_bad(__u64 i, void *data)
{
	struct idx_ctx *c = data;

	if (i == 3)
		return 2;
	c->buf[1]++;
	return 0;
}

static long outer_ok(__u64 i, void *data)
{
	bpf_loop(4, inner_bad, data, 0);
	return 0;
}

SEC("tc")
__failure __msg("At callback return the register R0 has smin=2 smax=2 should have been in [0, 1]") __at_line(57)
int nested_inner_returns_two(struct __sk_buff *skb)
{
	struct idx_ctx c = {};

	bpf_loop(4, outer_ok, &c, 0);
	return TC_ACT_OK;
}

struct count_ctx {
	__u64 rounds;
	__u64 last;
};

static long visit_slot(void *map, __u32 *key, __u64 *val, struct count_ctx *c)
{
	if (*val)
		c->rounds++;
	return 0;
}

SEC("tc")
__failure __msg("The sequence of 8193 jumps is too complex.") __at_line(97)
int for_each_never_converges(struct __sk_buff *skb)
{
	struct count_ctx c = {};

	bpf_for_each_map_elem(&slots, visit_slot, &c, 0);
	return c.rounds > 8 ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
