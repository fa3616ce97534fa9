// SPDX-License-Identifier: GPL-2.0
/*
 * execve_log.bpf.c - log every execve() to the kernel trace pipe.
 *
 * A tracepoint program on syscalls:sys_enter_execve.  The kernel hands it the raw syscall
 * arguments (struct trace_event_raw_sys_enter from vmlinux.h): args[0] is the user-space
 * pointer to the file name being executed.  The program copies that string with
 * bpf_probe_read_user_str() - user memory may be paged out, so it cannot be read directly -
 * and prints it with bpf_printk(), which writes to /sys/kernel/tracing/trace_pipe.
 *
 * bpf_printk() wraps bpf_trace_printk(), a GPL-only helper: the kernel refuses the program
 * unless the license below is GPL-compatible.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tracepoint/syscalls/sys_enter_execve")
int log_execve(struct trace_event_raw_sys_enter *ctx)
{
	const char *filename = (const char *)ctx->args[0];
	char path[128];
	char comm[16];
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	long len;

	bpf_get_current_comm(comm, sizeof(comm));

	/* Returns the length including the NUL, or a negative error (bad pointer). */
	len = bpf_probe_read_user_str(path, sizeof(path), filename);
	if (len < 0)
		return 0;

	bpf_printk("execve pid=%u comm=%s file=%s", pid, comm, path);
	return 0;
}
