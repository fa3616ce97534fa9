/*
 * bug_probe_read_stack_len.bpf.c - a kprobe on a write path that samples the start of
 * each user buffer into a 64-byte stack array.  The length is clamped to 128 (the old
 * size of the array), so the copy may write 128 bytes into 64: the kernel checks the
 * largest possible size against the stack buffer and refuses the program.
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

SEC("kprobe/ksys_write")
__failure __msg("invalid write to stack R1 off=-{{[0-9]+}} size=128") __at_line(38)
int BPF_KPROBE(sample_write, unsigned int fd, const char *buf, size_t count)
{
	struct write_sample s = {};
	u32 len = count;

	if (len > 128)
		len = 128;
	s.pid = bpf_get_current_pid_tgid() >> 32;
	s.len = len;
	bpf_probe_read_user(s.data, len, buf);
	bpf_perf_event_output(ctx, &samples, BPF_F_CURRENT_CPU, &s, sizeof(s));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
