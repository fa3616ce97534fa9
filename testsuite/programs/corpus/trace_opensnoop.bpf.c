/*
 * trace_opensnoop.bpf.c - openat() tracer: the enter tracepoint stashes the user
 * pointer to the path and the flags per thread, the exit tracepoint copies the path
 * with bpf_probe_read_user_str and emits it through a perf event array.  Models a
 * stack-built event passed whole to bpf_perf_event_output (fully initialised first).
 */
// bpfcc-flags: -O2 -g -mcpu=v2
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define NAME_MAX_LEN 255

struct open_args {
	const char *fname;
	int flags;
};

struct open_event {
	u64 ts;
	u32 pid;
	u32 tid;
	int ret;
	int flags;
	char comm[16];
	char fname[NAME_MAX_LEN + 1];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, u32);
	__type(value, struct open_args);
} inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} open_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct open_event);
} heap SEC(".maps");

const volatile pid_t filter_pid = 0;
const volatile bool failed_only = false;

SEC("tracepoint/syscalls/sys_enter_openat")
__success
int openat_enter(struct trace_event_raw_sys_enter *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct open_args args = {};

	if (filter_pid && (id >> 32) != (u32)filter_pid)
		return 0;
	args.fname = (const char *)ctx->args[1];
	args.flags = (int)ctx->args[2];
	bpf_map_update_elem(&inflight, &tid, &args, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
__success
int openat_exit(struct trace_event_raw_sys_exit *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id, zero = 0;
	struct open_args *args;
	struct open_event *e;
	int ret = ctx->ret;

	args = bpf_map_lookup_elem(&inflight, &tid);
	if (!args)
		return 0;
	if (failed_only && ret >= 0)
		goto out;
	e = bpf_map_lookup_elem(&heap, &zero);
	if (!e)
		goto out;
	e->ts = bpf_ktime_get_ns();
	e->pid = id >> 32;
	e->tid = tid;
	e->ret = ret;
	e->flags = args->flags;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_user_str(e->fname, sizeof(e->fname), args->fname);
	bpf_perf_event_output(ctx, &open_events, BPF_F_CURRENT_CPU, e, sizeof(*e));
out:
	bpf_map_delete_elem(&inflight, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
