// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe_core.bpf.c - a kprobe on do_unlinkat() that reads kernel structures with CO-RE.
 *
 * do_unlinkat(int dfd, struct filename *name) runs for every unlink()/unlinkat()/rmdir
 * path removal.  BPF_KPROBE() from <bpf/bpf_tracing.h> unpacks the arguments from the
 * saved registers (struct pt_regs; which register holds which argument depends on the
 * architecture, hence the __TARGET_ARCH_x86 that bpfcc predefines).
 *
 * Kernel memory cannot be dereferenced directly from a kprobe: every read goes through
 * bpf_probe_read_kernel().  BPF_CORE_READ(a, b, c) chains such reads and records a CO-RE
 * relocation for each field: the offsets compiled in come from the vmlinux.h this object
 * was built against, and libbpf rewrites them at load time to the offsets in the running
 * kernel's BTF, so the same object works on kernels whose struct layouts differ.
 *
 * bpf_probe_read_kernel() and bpf_printk() are GPL-only helpers.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("kprobe/do_unlinkat")
int BPF_KPROBE(trace_unlink, int dfd, struct filename *name)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	const char *kname;
	char path[64];
	pid_t pid, ppid;

	/* name->name points to the kernel's copy of the path. */
	kname = BPF_CORE_READ(name, name);
	if (bpf_probe_read_kernel_str(path, sizeof(path), kname) < 0)
		return 0;

	/* Two pointer hops, each one a relocated probe read: task->real_parent->tgid. */
	pid = BPF_CORE_READ(task, tgid);
	ppid = BPF_CORE_READ(task, real_parent, tgid);

	/* Fields that only some kernels have can be tested for before reading. */
	if (bpf_core_field_exists(task->loginuid)) {
		unsigned int uid = BPF_CORE_READ(task, loginuid.val);

		bpf_printk("unlink pid=%d ppid=%d loginuid=%u path=%s", pid, ppid, uid, path);
		return 0;
	}
	bpf_printk("unlink pid=%d ppid=%d path=%s", pid, ppid, path);
	return 0;
}
