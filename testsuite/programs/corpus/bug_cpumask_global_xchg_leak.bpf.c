/*
 * bug_cpumask_global_xchg_leak.bpf.c - resets a global cpumask of busy CPUs (a
 * `struct bpf_cpumask __kptr *` in a private .bss section) on every exec by swapping a
 * fresh mask in with bpf_kptr_xchg.  The draft forgets that the exchange hands back the
 * old mask with its reference: it is dropped on the floor, a leak the kernel refuses.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

extern struct bpf_cpumask *bpf_cpumask_create(void) __ksym;
extern void bpf_cpumask_release(struct bpf_cpumask *cpumask) __ksym;

#define private(name) SEC(".bss." #name) __attribute__((aligned(8)))
private(BUSY) static struct bpf_cpumask __kptr *busy_cpus;

SEC("tp_btf/sched_process_exec")
__failure __msg("Unreleased reference")
int BPF_PROG(reset_busy, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct bpf_cpumask *fresh, *old;

	fresh = bpf_cpumask_create();
	if (!fresh)
		return 0;
	old = bpf_kptr_xchg(&busy_cpus, fresh);
	return old != 0;
}

char LICENSE[] SEC("license") = "GPL";
