/*
 * bug_lookup_no_null.bpf.c - a syscall counter that increments the value returned by
 * bpf_map_lookup_elem without testing it for NULL ("the entry was created by
 * userspace, it is always there").  The kernel types the result map_value_or_null and
 * refuses the load through it.
 */
// bpfcc-flags: -O2 -g
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct raw_sys_enter {
	unsigned long long common;
	long id;
	unsigned long args[6];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 512);
	__type(key, __u32);
	__type(value, __u64);
} syscall_counts SEC(".maps");

SEC("raw_tracepoint/sys_enter")
__failure __msg("invalid mem access 'map_value_or_null'") __at_line(33)
int count_syscalls(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 nr = (__u32)ctx->args[1];
	__u64 *cnt;

	cnt = bpf_map_lookup_elem(&syscall_counts, &nr);
	__sync_fetch_and_add(cnt, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
