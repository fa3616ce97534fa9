/*
 * array_key_spilled.bpf.c - the kernel (6.x) drops the NULL check after an array map
 * lookup only when it knows the key's value on the stack.  A zero key is tracked (the
 * slot is STACK_ZERO) and needs no check (see accept/map_lookup.bpf.c); a 4-byte store
 * of another constant below an 8-byte boundary leaves the slot unknown (STACK_MISC), so
 * the result may be NULL and using it unchecked is refused.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, int);
	__type(value, long);
} slots SEC(".maps");

SEC("socket")
__failure __msg("R0 invalid mem access 'map_value_or_null'") __at_line(26)
int array_key_two(struct __sk_buff *skb)
{
	int key = 2;
	long *v = bpf_map_lookup_elem(&slots, &key);

	*v += skb->len;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
