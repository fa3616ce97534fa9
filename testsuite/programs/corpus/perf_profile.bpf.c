/*
 * perf_profile.bpf.c - sampling profiler: a perf_event program collects the kernel and
 * user stack ids of the sampled task with bpf_get_stackid and counts samples per
 * (pid, stacks) in a hash map.  Models the perf_event context and stack trace maps.
 */
// bpfcc-flags: -O2 -g -mcpu=v2
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define PERF_MAX_STACK_DEPTH 127

struct sample_key {
	__u32 pid;
	__s32 kern_stack;
	__s32 user_stack;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16384);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, PERF_MAX_STACK_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 40960);
	__type(key, struct sample_key);
	__type(value, __u64);
} samples SEC(".maps");

const volatile int only_user = 0;

SEC("perf_event")
__success
int do_sample(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct sample_key key = {};
	__u64 *val, one = 1;

	if ((__u32)id == 0)
		return 0;
	key.pid = id >> 32;
	bpf_get_current_comm(&key.comm, sizeof(key.comm));
	key.kern_stack = only_user ? -1 : bpf_get_stackid(ctx, &stacks, 0);
	key.user_stack = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	if (ctx->sample_period == 0 && key.user_stack < 0 && key.kern_stack < 0)
		return 0;
	val = bpf_map_lookup_elem(&samples, &key);
	if (val)
		__sync_fetch_and_add(val, 1);
	else
		bpf_map_update_elem(&samples, &key, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
