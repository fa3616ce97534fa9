/*
 * bug_lock_two_accounts.bpf.c - a credit transfer between two per-tenant accounts, each
 * guarded by its own bpf_spin_lock, taking both locks as one would with mutexes.  The
 * kernel lets a program hold one bpf_spin_lock at a time, and no helper may be called
 * while one is held: the second bpf_spin_lock() call is refused as a call.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct account {
	struct bpf_spin_lock lock;
	__s64 credit;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct account);
} accounts SEC(".maps");

SEC("tc")
__failure __msg("function calls are not allowed while holding a lock") __at_line(37)
int tc_transfer(struct __sk_buff *skb)
{
	__u32 from = skb->mark & 1023, to = (skb->mark >> 10) & 1023;
	struct account *a, *b;
	__s64 amount = skb->len;

	a = bpf_map_lookup_elem(&accounts, &from);
	b = bpf_map_lookup_elem(&accounts, &to);
	if (!a || !b || a == b)
		return 0;
	bpf_spin_lock(&a->lock);
	bpf_spin_lock(&b->lock);
	a->credit -= amount;
	b->credit += amount;
	bpf_spin_unlock(&b->lock);
	bpf_spin_unlock(&a->lock);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
