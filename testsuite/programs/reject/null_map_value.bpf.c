/*
 * null_map_value.bpf.c - a hash map lookup may return NULL; reading through the result
 * without a check is refused at the load.
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

SEC("socket")
__failure __msg("R0 invalid mem access 'map_value_or_null'") __at_line(23)
int deref_unchecked(struct __sk_buff *skb)
{
	int key = 0;
	long *v = bpf_map_lookup_elem(&counts, &key);

	return *v;
}

char LICENSE[] SEC("license") = "GPL";
