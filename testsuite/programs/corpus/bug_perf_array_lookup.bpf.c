/*
 * bug_perf_array_lookup.bpf.c - a kprobe that wants the cycle counter of the current CPU
 * and looks it up in the perf event array userspace filled with perf_event_open fds, as
 * if it were an array of values.  A perf event array holds events, not values: it is read
 * with bpf_perf_event_read_value (or written with bpf_perf_event_output), and the kernel
 * refuses bpf_map_lookup_elem on it.
 */
// bpfcc-flags: -O2 -g
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
	__uint(max_entries, 128);
} cycles SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} last_cycles SEC(".maps");

SEC("kprobe/finish_task_switch")
__failure __msg("cannot pass map_type 4 into func bpf_map_lookup_elem#1") __at_line(34)
int sample_cycles(void *ctx)
{
	__u32 cpu = bpf_get_smp_processor_id(), zero = 0;
	__u64 *count, *last;

	count = bpf_map_lookup_elem(&cycles, &cpu);
	if (!count)
		return 0;
	last = bpf_map_lookup_elem(&last_cycles, &zero);
	if (last)
		*last = *count;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
