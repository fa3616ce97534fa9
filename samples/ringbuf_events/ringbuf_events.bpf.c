// SPDX-License-Identifier: GPL-2.0
/*
 * ringbuf_events.bpf.c - stream process exec and exit events to user space through a BPF
 * ring buffer.
 *
 * Two tracepoint programs, sched:sched_process_exec and sched:sched_process_exit, share
 * one BPF_MAP_TYPE_RINGBUF.  Each reserves room for a struct event in the buffer, fills it
 * and submits it; a user-space consumer (libbpf's ring_buffer__new() + ring_buffer__poll())
 * receives the events in order, from all CPUs.  Reserve/submit writes the event in place,
 * with no copy through the stack, and a full buffer makes bpf_ringbuf_reserve() return
 * NULL rather than overwrite: the program counts such drops in a global.
 *
 * The verifier tracks the reserved record like a lock: every path that got a non-NULL
 * pointer from bpf_ringbuf_reserve() must pass it to bpf_ringbuf_submit() or
 * bpf_ringbuf_discard() exactly once, or the program is refused ("Unreleased reference").
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define FILENAME_LEN 127

enum event_kind {
	EVENT_EXEC = 1,
	EVENT_EXIT = 2,
};

/* The record user space reads; its layout is the contract with the consumer. */
struct event {
	__u32 kind; /* enum event_kind */
	__u32 pid;
	__u32 ppid;
	__u32 exit_code; /* EVENT_EXIT: the wait status (code << 8 | signal) */
	__u64 timestamp_ns;
	char comm[16];
	char filename[FILENAME_LEN + 1]; /* EVENT_EXEC: the executed file */
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024); /* bytes: a power of two, a multiple of the page */
} events SEC(".maps");

/* Events lost because the ring buffer was full; read it with `bpftool map dump`. */
__u64 dropped = 0;

/* Reserves an event and fills the fields common to both kinds; NULL when full. */
static __always_inline struct event *event_start(__u32 kind)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&dropped, 1);
		return NULL;
	}
	e->kind = kind;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->exit_code = 0;
	e->timestamp_ns = bpf_ktime_get_ns();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->filename[0] = '\0';
	return e;
}

SEC("tracepoint/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct event *e = event_start(EVENT_EXEC);
	__u32 off;

	if (!e)
		return 0;
	/*
	 * The file name is a variable-length field stored after the fixed record: its
	 * __data_loc word holds (length << 16 | offset from the start of the record).
	 */
	off = ctx->__data_loc_filename & 0xffff;
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), (void *)ctx + off);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int handle_exit(struct trace_event_raw_sched_process_template *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct event *e;

	/* Report whole processes only, not each of their threads. */
	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != (__u32)bpf_get_current_pid_tgid())
		return 0;

	e = event_start(EVENT_EXIT);
	if (!e)
		return 0;
	e->exit_code = BPF_CORE_READ(task, exit_code);
	bpf_ringbuf_submit(e, 0);
	return 0;
}
