/*
 * bug_stackid_hash.bpf.c - a sampling profiler that keeps stack ids in a map it declared
 * as a plain hash of (id -> 127 frames).  bpf_get_stackid stores the stack in a
 * BPF_MAP_TYPE_STACK_TRACE map and returns its id: the kernel refuses any other map type
 * at the call.
 */
// bpfcc-flags: -O2 -g -mcpu=v2
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define MAX_DEPTH 127

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, MAX_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __s32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("perf_event")
__failure __msg("cannot pass map_type 1 into func bpf_get_stackid#27") __at_line(36)
int profile(struct bpf_perf_event_data *ctx)
{
	__u64 one = 1, *cnt;
	__s32 id;

	id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	if (id < 0)
		return 0;
	cnt = bpf_map_lookup_elem(&counts, &id);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&counts, &id, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
