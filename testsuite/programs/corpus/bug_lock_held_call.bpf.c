/*
 * bug_lock_held_call.bpf.c - a rate limiter that refills its token bucket under the
 * bucket's spin lock and calls bpf_ktime_get_ns() while holding it.  The kernel allows
 * no helper calls (other than the unlock) inside a bpf_spin_lock section.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct bucket {
	struct bpf_spin_lock lock;
	__u64 tokens;
	__u64 last_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct bucket);
} buckets SEC(".maps");

SEC("tc")
__failure __msg("function calls are not allowed while holding a lock") __at_line(37)
int tc_rate_limit(struct __sk_buff *skb)
{
	__u32 key = skb->mark & 255;
	struct bucket *b = bpf_map_lookup_elem(&buckets, &key);
	int verdict = TC_ACT_OK;
	__u64 now;

	if (!b)
		return TC_ACT_OK;
	bpf_spin_lock(&b->lock);
	now = bpf_ktime_get_ns();
	b->tokens += (now - b->last_ns) / 1000;
	b->last_ns = now;
	if (b->tokens < skb->len)
		verdict = TC_ACT_SHOT;
	else
		b->tokens -= skb->len;
	bpf_spin_unlock(&b->lock);
	return verdict;
}

char LICENSE[] SEC("license") = "GPL";
