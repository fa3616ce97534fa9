/*
 * tpbtf_exec_reader.bpf.c - exec and exit tracing on tp_btf: the task pointers the
 * tracepoints hand over are read by plain dereference (pid, tgid, flags, comm bytes at
 * constant offsets, the parent through real_parent), bpf_get_current_task_btf() gives the
 * current task, and the comm is copied out with bpf_probe_read_kernel_str().  Reads
 * through trusted BTF pointers, as the kernel allows them.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

struct exec_event {
	u32 pid, tgid, ppid;
	u32 flags;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, u32);
	__type(value, u64);
} exit_codes SEC(".maps");

SEC("tp_btf/sched_process_exec")
__success
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct exec_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	struct task_struct *parent;

	if (!e)
		return 0;
	e->pid = p->pid;
	e->tgid = p->tgid;
	e->flags = p->flags;
	parent = p->real_parent;
	e->ppid = BPF_CORE_READ(parent, tgid);
	bpf_probe_read_kernel_str(e->comm, sizeof(e->comm), p->comm);
	if (e->comm[0] == 0)
		e->comm[0] = p->comm[1];
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp_btf/sched_process_exit")
__success
int BPF_PROG(on_exit, struct task_struct *p)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	u32 tgid = cur->tgid;
	u64 code = (u64)cur->exit_code;

	if (cur->pid != tgid)
		return 0;
	bpf_map_update_elem(&exit_codes, &tgid, &code, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
