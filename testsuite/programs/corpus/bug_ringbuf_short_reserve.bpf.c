/*
 * bug_ringbuf_short_reserve.bpf.c - a file-open tracer that reserves its ring buffer
 * record with the size of the small header struct but fills the larger record type the
 * consumer expects (the cast hides the mismatch).  The kernel knows the reserved size
 * and refuses the store past its end.
 */
// bpfcc-flags: -O2 -g -mcpu=v2
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct open_hdr {
	__u32 pid;
	__u32 flags;
};

struct open_rec {
	struct open_hdr hdr;
	__s64 ret;
	char comm[16];
};

struct sys_exit_openat {
	unsigned long long common;
	long id;
	long ret;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 128 * 1024);
} opens SEC(".maps");

SEC("tracepoint/syscalls/sys_exit_openat")
__failure __msg("min value is outside of the allowed memory range") __at_line(45)
int openat_exit(struct sys_exit_openat *ctx)
{
	struct open_rec *r;

	r = bpf_ringbuf_reserve(&opens, sizeof(struct open_hdr), 0);
	if (!r)
		return 0;
	r->hdr.pid = bpf_get_current_pid_tgid() >> 32;
	r->hdr.flags = 0;
	r->ret = ctx->ret;
	bpf_get_current_comm(r->comm, sizeof(r->comm));
	bpf_ringbuf_submit(r, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
