/*
 * trace_execsnoop.bpf.c - exec() tracer in the style of libbpf-tools: the enter
 * tracepoint records argv[0] and the filename from user memory into a per-pid hash
 * entry, the exit tracepoint completes it with the return value and sends it through
 * a ring buffer.  Models the verifier accepting user-string reads into a map value and
 * reserve/submit on both paths.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpfcc/expect.h>

#define ARGSIZE 128
#define TASK_COMM 16

struct exec_start {
	u64 ts;
	char filename[ARGSIZE];
	char arg0[ARGSIZE];
};

struct exec_event {
	u32 pid;
	u32 ppid;
	int retval;
	u64 duration_ns;
	char comm[TASK_COMM];
	char filename[ARGSIZE];
	char arg0[ARGSIZE];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct exec_start);
} starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} exec_events SEC(".maps");

const volatile u32 target_uid = (u32)-1;
static const struct exec_start zero_start;

SEC("tracepoint/syscalls/sys_enter_execve")
__success
int execve_enter(struct trace_event_raw_sys_enter *ctx)
{
	u64 uid_gid = bpf_get_current_uid_gid();
	u32 pid = bpf_get_current_pid_tgid() >> 32;
	const char **argv;
	const char *arg0 = NULL;
	struct exec_start *s;

	if (target_uid != (u32)-1 && (u32)uid_gid != target_uid)
		return 0;
	if (bpf_map_update_elem(&starts, &pid, &zero_start, BPF_NOEXIST))
		return 0;
	s = bpf_map_lookup_elem(&starts, &pid);
	if (!s)
		return 0;
	s->ts = bpf_ktime_get_ns();
	bpf_probe_read_user_str(s->filename, sizeof(s->filename), (const char *)ctx->args[0]);
	argv = (const char **)ctx->args[1];
	bpf_probe_read_user(&arg0, sizeof(arg0), &argv[0]);
	if (arg0)
		bpf_probe_read_user_str(s->arg0, sizeof(s->arg0), arg0);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_execve")
__success
int execve_exit(struct trace_event_raw_sys_exit *ctx)
{
	u32 pid = bpf_get_current_pid_tgid() >> 32;
	struct task_struct *task;
	struct exec_start *s;
	struct exec_event *e;

	s = bpf_map_lookup_elem(&starts, &pid);
	if (!s)
		return 0;
	e = bpf_ringbuf_reserve(&exec_events, sizeof(*e), 0);
	if (!e)
		goto cleanup;
	task = (struct task_struct *)bpf_get_current_task();
	e->pid = pid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->retval = ctx->ret;
	e->duration_ns = bpf_ktime_get_ns() - s->ts;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	__builtin_memcpy(e->filename, s->filename, sizeof(e->filename));
	__builtin_memcpy(e->arg0, s->arg0, sizeof(e->arg0));
	if (ctx->ret < 0 && e->filename[0] == '\0')
		bpf_ringbuf_discard(e, 0);
	else
		bpf_ringbuf_submit(e, 0);
cleanup:
	bpf_map_delete_elem(&starts, &pid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
