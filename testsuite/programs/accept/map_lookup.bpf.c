/*
 * map_lookup.bpf.c - map lookups the verifier accepts: a hash map value used after a
 * NULL check, and an array map looked up with a constant in-range key, which the kernel
 * (6.x) knows cannot return NULL, so no check is needed.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, int);
	__type(value, long);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, int);
	__type(value, long);
} slots SEC(".maps");

SEC("socket")
__success
int hash_checked(struct __sk_buff *skb)
{
	int key = skb->protocol & 15;
	long *v = bpf_map_lookup_elem(&counts, &key);

	if (!v)
		return 0;
	__sync_fetch_and_add(v, 1);
	return 0;
}

SEC("socket")
__success
int array_const_key(struct __sk_buff *skb)
{
	int key = 0;
	long *v = bpf_map_lookup_elem(&slots, &key);

	*v += skb->len;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
