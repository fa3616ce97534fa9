/*
 * bug_ringbuf_error_path.bpf.c - an event tracer that reserves its ring buffer record
 * first and returns early when copying the command line fails, forgetting to discard
 * the record on that path.  The kernel tracks the reservation as a reference and
 * refuses an exit that still holds it.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct raw_sys_enter {
	unsigned long long common;
	long id;
	unsigned long args[6];
};

struct exec_rec {
	__u32 pid;
	__u32 len;
	char path[128];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} recs SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
__failure __msg("Unreleased reference id={{[0-9]+}} alloc_insn={{[0-9]+}}") __at_line(40)
int trace_exec(struct raw_sys_enter *ctx)
{
	struct exec_rec *r;
	long n;

	r = bpf_ringbuf_reserve(&recs, sizeof(*r), 0);
	if (!r)
		return 0;
	n = bpf_probe_read_user_str(r->path, sizeof(r->path), (const void *)ctx->args[0]);
	if (n < 0)
		return 0;
	r->len = n;
	r->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_ringbuf_submit(r, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
