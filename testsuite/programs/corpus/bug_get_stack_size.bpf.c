/*
 * bug_get_stack_size.bpf.c - a stack sampler whose buffer holds 32 frames but asks
 * bpf_get_stack for 64 (the size was written as a frame count times 16 instead of 8).
 * The kernel checks the helper's size argument against the stack buffer it points to
 * and refuses the overrun.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define FRAMES 32

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} samples SEC(".maps");

SEC("perf_event")
__failure __msg("invalid write to stack R2 off=-256 size=512") __at_line(27)
int sample_stack(struct bpf_perf_event_data *ctx)
{
	__u64 ips[FRAMES];
	long n;

	n = bpf_get_stack(ctx, ips, FRAMES * 16, BPF_F_USER_STACK);
	if (n > 0)
		bpf_ringbuf_output(&samples, ips, sizeof(ips), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
