/*
 * bug_ksym_runqueues.bpf.c - run-queue length sampling through the kernel's per-CPU
 * `runqueues` variable, declared as a typed __ksym (the runqlen idiom).  libbpf finds the
 * variable in the kernel's BTF, but the kernel then needs its address from kallsyms, and
 * a kernel built without CONFIG_KALLSYMS_ALL (the target here) lists functions only: the
 * program is refused when it is loaded.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

extern const struct rq runqueues __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, u64);
} rq_len_hist SEC(".maps");

SEC("tp_btf/sched_switch")
__failure __msg("ldimm64 failed to find the address for kernel symbol 'runqueues'.")
/* the kernel refuses it before looking at any instruction: it names no line */
int BPF_PROG(sample_rq_len, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct rq *rq = bpf_this_cpu_ptr(&runqueues);
	u32 len = rq->nr_running;
	u64 *slot;

	if (len >= 64)
		len = 63;
	slot = bpf_map_lookup_elem(&rq_len_hist, &len);
	if (slot)
		__sync_fetch_and_add(slot, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
