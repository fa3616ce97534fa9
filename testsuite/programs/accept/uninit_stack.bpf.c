/*
 * uninit_stack.bpf.c - reading stack memory that was never written.  The kernel lets a
 * privileged loader (CAP_PERFMON, as root is) read uninitialised stack
 * (allow_uninit_stack): passing a never-written key to a helper is accepted.  An
 * unprivileged loader would be refused; these tests load as root.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, long);
	__type(value, long);
} counts SEC(".maps");

SEC("socket")
__success
int key_uninit(struct __sk_buff *skb)
{
	long key;
	long *v;

	asm volatile("" : "=m"(key)); /* the compiler may assume it is written */
	v = bpf_map_lookup_elem(&counts, &key);
	return v ? 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
