/*
 * map_value_bounds.bpf.c - indexing into a map value: with an index the verifier cannot
 * bound, and with a constant index past the end of the value.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct val {
	int slot[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct val);
} table SEC(".maps");

SEC("socket")
__failure __msg("R{{[0-9]}} unbounded memory access") __at_line(30)
int unbounded_index(struct __sk_buff *skb)
{
	int key = 0;
	struct val *v = bpf_map_lookup_elem(&table, &key);
	unsigned idx = skb->len;

	if (!v)
		return 0;
	return v->slot[idx];
}

SEC("socket")
__failure __msg("invalid access to map value, value_size=16 off=16 size=4")
int past_the_end(struct __sk_buff *skb)
{
	int key = 0;
	struct val *v = bpf_map_lookup_elem(&table, &key);
	volatile int idx = 4;

	if (!v)
		return 0;
	return *(int *)((char *)v + idx * 4);
}

char LICENSE[] SEC("license") = "GPL";
