// SPDX-License-Identifier: GPL-2.0
/*
 * percpu_count.bpf.c - count system calls by number, per CPU, without atomics.
 *
 * A tracepoint program on raw_syscalls:sys_enter, which fires on entry to every system
 * call with its number in ctx->id.  The counters live in a BPF_MAP_TYPE_PERCPU_ARRAY:
 * each CPU has its own copy of every slot, so an increment is a plain load-add-store with
 * no atomic instruction and no cache line bouncing between CPUs.  (A tracepoint program
 * does not migrate between CPUs while it runs, so nothing else writes this CPU's copy.)
 * User space sums the per-CPU values when it reads them: `bpftool map dump` prints one
 * value per CPU.
 *
 * The range check on the syscall number is not there for the verifier's sake: an array
 * lookup with an index past max_entries simply returns NULL.  What the verifier does
 * insist on is the NULL check on the lookup's result before the value is touched.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define MAX_SYSCALLS 512 /* above every x86-64 syscall number */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MAX_SYSCALLS);
	__type(key, __u32);
	__type(value, __u64);
} syscall_count SEC(".maps");

/* Only count this process (0 = every process); set by the loader before load. */
const volatile __u32 target_tgid = 0;

SEC("tracepoint/raw_syscalls/sys_enter")
int count_syscall(struct trace_event_raw_sys_enter *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u32 nr;
	__u64 *count;

	if (target_tgid && tgid != target_tgid)
		return 0;
	if (ctx->id < 0 || ctx->id >= MAX_SYSCALLS)
		return 0; /* -1 for a syscall entered with an invalid number */
	nr = ctx->id;

	count = bpf_map_lookup_elem(&syscall_count, &nr);
	if (count)
		*count += 1; /* this CPU's slot: no atomic needed */
	return 0;
}
