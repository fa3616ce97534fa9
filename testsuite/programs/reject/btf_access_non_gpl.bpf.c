/*
 * btf_access_non_gpl.bpf.c - a program whose license is not GPL-compatible may not read
 * kernel objects through BTF pointers (check_ptr_to_btf_access(), Linux 6.18): the tp_btf
 * argument itself can be read from the context, but a field of the task it points to
 * cannot ("Cannot access kernel 'struct task_struct' from non-GPL compatible program").
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

u64 last_task;

SEC("tp_btf/task_newtask")
__success
int BPF_PROG(remember_pointer, struct task_struct *task, u64 clone_flags)
{
	last_task = (u64)task;
	return 0;
}

SEC("tp_btf/task_newtask")
__failure __msg("Cannot access kernel 'struct task_struct' from non-GPL compatible program")
__at_line(28)
int BPF_PROG(read_pid, struct task_struct *task, u64 clone_flags)
{
	last_task = task->pid;
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/BSD";
