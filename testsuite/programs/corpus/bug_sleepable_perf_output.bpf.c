/*
 * bug_sleepable_perf_output.bpf.c - a sleepable uprobe on readline() that copies the line
 * with bpf_copy_from_user() and ships it through a perf event array, as the older
 * non-sleepable version did.  Sleepable programs may use only array, hash, ring buffer and
 * local storage maps: the kernel refuses the perf event array before it explores the code.
 */
// bpfcc-flags: -O2 -g -mcpu=v3 -D__TARGET_ARCH_x86
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

struct line {
	__u32 pid;
	char text[124];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} lines SEC(".maps");

SEC("uretprobe.s")
__failure __msg("Sleepable programs can only use array, hash, ringbuf and local storage maps")
int BPF_KRETPROBE(readline_ret, const char *ret)
{
	struct line l = {};

	if (!ret)
		return 0;
	l.pid = bpf_get_current_pid_tgid() >> 32;
	if (bpf_copy_from_user(l.text, sizeof(l.text), ret))
		return 0;
	bpf_perf_event_output(ctx, &lines, BPF_F_CURRENT_CPU, &l, sizeof(l));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
