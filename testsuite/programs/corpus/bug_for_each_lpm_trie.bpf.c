/*
 * bug_for_each_lpm_trie.bpf.c - a tc policy program that keeps allowed IPv4 prefixes in
 * an LPM trie and, for packets carrying a control mark, tries to count the prefixes with
 * bpf_for_each_map_elem.  Only hash and array maps can be walked from a program; the
 * kernel refuses the LPM trie when it sets the callback up (ENOTSUPP).
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct prefix_key {
	__u32 prefixlen;
	__u32 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct prefix_key);
	__type(value, __u32);
} allowed SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} prefix_count SEC(".maps");

static long count_prefix(void *map, struct prefix_key *key, __u32 *verdict, __u64 *n)
{
	(*n)++;
	return 0;
}

SEC("tc")
__failure __msg("callback function not allowed for map") __at_line(53)
int policy(struct __sk_buff *skb)
{
	struct prefix_key k = {.prefixlen = 32};
	__u32 zero = 0, *verdict;
	__u64 n = 0, *slot;

	if (bpf_skb_load_bytes(skb, 14 + 12, &k.addr, sizeof(k.addr)) < 0)
		return TC_ACT_OK;
	verdict = bpf_map_lookup_elem(&allowed, &k);
	if (!verdict)
		return TC_ACT_SHOT;
	if (skb->mark == 9999) {
		bpf_for_each_map_elem(&allowed, count_prefix, &n, 0);
		slot = bpf_map_lookup_elem(&prefix_count, &zero);
		if (slot)
			*slot = n;
	}
	return *verdict ? TC_ACT_OK : TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
