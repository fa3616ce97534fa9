/*
 * kprobe_write_sample.bpf.c - the corrected write sampler: the copy length is bounded by
 * the stack array's size (a mask that also keeps the verifier's bounds exact), the sample
 * is sent through perf with its full size, and a per-process byte count is kept in a hash
 * map that is created with a value of the map's own type.  Accepted.
 */
// bpfcc-flags: -O2 -g -mcpu=v3 -D__TARGET_ARCH_x86
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

#define SAMPLE 64

struct write_sample {
	u32 pid;
	u32 len;
	u8 data[SAMPLE];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} samples SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, u32);
	__type(value, u64);
} bytes SEC(".maps");

SEC("kprobe/ksys_write")
__success
int BPF_KPROBE(sample_write, unsigned int fd, const char *buf, size_t count)
{
	struct write_sample s = {};
	u32 pid = bpf_get_current_pid_tgid() >> 32;
	u32 len = count < SAMPLE ? count : SAMPLE;
	u64 *total, init;

	s.pid = pid;
	s.len = len;
	bpf_probe_read_user(s.data, len & (SAMPLE - 1), buf);
	bpf_perf_event_output(ctx, &samples, BPF_F_CURRENT_CPU, &s, sizeof(s));
	total = bpf_map_lookup_elem(&bytes, &pid);
	if (total) {
		__sync_fetch_and_add(total, count);
	} else {
		init = count;
		bpf_map_update_elem(&bytes, &pid, &init, BPF_NOEXIST);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
