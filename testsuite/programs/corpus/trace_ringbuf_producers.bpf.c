/*
 * trace_ringbuf_producers.bpf.c - ring buffer producers written the careful way: an exec
 * tracer that discards its record on every early error return, a tracer that reserves
 * a variable-kind record and either submits or discards it depending on a filter, and a
 * producer that builds its record through a dynptr reservation and discards it when the
 * copy fails.  Every reservation is released exactly once on every path.
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

struct sys_rec {
	__u64 ts;
	__u32 pid;
	__u32 id;
	__u64 arg0;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

const volatile __u32 target_pid = 0;

SEC("tracepoint/syscalls/sys_enter_execve")
__success
int exec_path(struct raw_sys_enter *ctx)
{
	struct exec_rec *r;
	long n;

	r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r)
		return 0;
	n = bpf_probe_read_user_str(r->path, sizeof(r->path), (const void *)ctx->args[0]);
	if (n < 0) {
		bpf_ringbuf_discard(r, 0);
		return 0;
	}
	r->len = n;
	r->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_ringbuf_submit(r, BPF_RB_FORCE_WAKEUP);
	return 0;
}

SEC("raw_tracepoint/sys_enter")
__success
int filtered_syscalls(struct bpf_raw_tracepoint_args *ctx)
{
	struct sys_rec *r;
	__u32 pid = bpf_get_current_pid_tgid() >> 32;

	r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r)
		return 0;
	r->ts = bpf_ktime_get_ns();
	r->pid = pid;
	r->id = ctx->args[1];
	r->arg0 = 0;
	if (target_pid && pid != target_pid)
		bpf_ringbuf_discard(r, BPF_RB_NO_WAKEUP);
	else
		bpf_ringbuf_submit(r, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_mmap")
__success
int mmap_args(struct raw_sys_enter *ctx)
{
	struct bpf_dynptr ptr;
	__u64 args[3] = {ctx->args[0], ctx->args[1], ctx->args[2]};
	__u64 *slot;

	if (bpf_ringbuf_reserve_dynptr(&events, sizeof(args) + 8, 0, &ptr)) {
		bpf_ringbuf_discard_dynptr(&ptr, 0);
		return 0;
	}
	if (bpf_dynptr_write(&ptr, 8, args, sizeof(args), 0)) {
		bpf_ringbuf_discard_dynptr(&ptr, 0);
		return 0;
	}
	slot = bpf_dynptr_data(&ptr, 0, sizeof(*slot));
	if (slot)
		*slot = bpf_ktime_get_ns();
	bpf_ringbuf_submit_dynptr(&ptr, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
