/*
 * uprobe_bashreadline.bpf.c - user-space probe on readline()'s return: copies the
 * returned line out of the traced process's memory with bpf_probe_read_user_str into a
 * ring buffer record.  Models uretprobe context access (PT_REGS_RC) and a ring buffer
 * record discarded when the copy fails.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

#define MAX_LINE 80

struct line_event {
	u32 pid;
	u32 len;
	char comm[16];
	char line[MAX_LINE];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} lines SEC(".maps");

SEC("uretprobe//bin/bash:readline")
__success
int BPF_KRETPROBE(readline_ret, const void *ret)
{
	struct line_event *e;
	long n;

	if (!ret)
		return 0;
	e = bpf_ringbuf_reserve(&lines, sizeof(*e), 0);
	if (!e)
		return 0;
	n = bpf_probe_read_user_str(e->line, sizeof(e->line), ret);
	if (n <= 1) {
		bpf_ringbuf_discard(e, 0);
		return 0;
	}
	e->len = n;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
