/*
 * bug_cpumask_global_unchecked.bpf.c - keeps a global cpumask of the CPUs new tasks were
 * created on (a `struct bpf_cpumask __kptr *` in a private .bss section, filled once by
 * bpf_kptr_xchg).  The draft marks the CPU in the global mask without testing it: the
 * field is empty until the first program run stores a mask, so a load of it may be NULL,
 * and bpf_cpumask_set_cpu() refuses a pointer that may be NULL.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

extern struct bpf_cpumask *bpf_cpumask_create(void) __ksym;
extern void bpf_cpumask_release(struct bpf_cpumask *cpumask) __ksym;
extern void bpf_cpumask_set_cpu(u32 cpu, struct bpf_cpumask *cpumask) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;

#define private(name) SEC(".bss." #name) __attribute__((aligned(8)))
private(MASK) static struct bpf_cpumask __kptr *fork_cpus;

SEC("tp_btf/task_newtask")
__failure __msg("Possibly NULL pointer passed to trusted arg1") __at_line(38)
int BPF_PROG(mark_cpu, struct task_struct *task, u64 clone_flags)
{
	struct bpf_cpumask *mask, *old;

	if (!fork_cpus) {
		mask = bpf_cpumask_create();
		if (!mask)
			return 0;
		old = bpf_kptr_xchg(&fork_cpus, mask);
		if (old)
			bpf_cpumask_release(old);
	}
	bpf_rcu_read_lock();
	bpf_cpumask_set_cpu(bpf_get_smp_processor_id(), fork_cpus);
	bpf_rcu_read_unlock();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
