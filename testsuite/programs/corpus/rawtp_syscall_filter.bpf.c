/*
 * rawtp_syscall_filter.bpf.c - a raw_tracepoint/sys_enter program in the style of
 * security tracers: checks a per-syscall bitmap (u64 words in an array map) and, for
 * selected syscalls, reads the first three arguments from the saved pt_regs with CO-RE
 * and emits them with the process's cgroup id.  Models raw tracepoint args[], a word
 * index and bit computed from the syscall number, and PT_REGS reads through CO-RE.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpfcc/expect.h>

#define MAX_SYSCALLS 512

struct sys_event {
	u64 cgroup;
	u32 pid;
	u32 nr;
	u64 args[3];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_SYSCALLS / 64);
	__type(key, u32);
	__type(value, u64);
} syscall_bitmap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 512 * 1024);
} sys_events SEC(".maps");

SEC("raw_tracepoint/sys_enter")
__success
int sys_enter_filter(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	long id = ctx->args[1];
	struct sys_event *e;
	u32 nr, word;
	u64 *bits;

	if (id < 0 || id >= MAX_SYSCALLS)
		return 0;
	nr = id;
	word = nr / 64;
	bits = bpf_map_lookup_elem(&syscall_bitmap, &word);
	if (!bits || !(*bits & (1ULL << (nr % 64))))
		return 0;
	e = bpf_ringbuf_reserve(&sys_events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->cgroup = bpf_get_current_cgroup_id();
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->nr = nr;
	e->args[0] = PT_REGS_PARM1_CORE_SYSCALL(regs);
	e->args[1] = PT_REGS_PARM2_CORE_SYSCALL(regs);
	e->args[2] = PT_REGS_PARM3_CORE_SYSCALL(regs);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
