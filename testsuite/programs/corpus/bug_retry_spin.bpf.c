/*
 * bug_retry_spin.bpf.c - a counter update that "retries until it succeeds": the loop
 * calls bpf_map_update_elem again whenever it fails.  Nothing in the state changes from
 * one round to the next, and the kernel reports the loop as infinite.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} last_seen SEC(".maps");

SEC("socket")
__failure __msg("infinite loop detected at insn {{[0-9]+}}") __at_line(25)
int note_ifindex(struct __sk_buff *skb)
{
	__u32 ifindex = skb->ifindex;
	__u64 now = bpf_ktime_get_ns();

	while (bpf_map_update_elem(&last_seen, &ifindex, &now, BPF_ANY) != 0)
		;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
