/*
 * weak_kfunc_unresolved.bpf.c - __weak kfuncs the running kernel does not have: libbpf
 * loads the object and leaves each call as "call 0".  The kernel steps over such a call
 * (nothing clobbered, r0 not written) and refuses the program after verification when a
 * path reaches it; a call behind a test of the function's address is dead code it removes.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

/* stand-ins for kfuncs of a later kernel: 6.18 has neither */
extern void bpf_sched_hint_later(__u32 hint) __ksym __weak;
extern __u64 bpf_task_cookie_later(void) __ksym __weak;

SEC("tracepoint/syscalls/sys_enter_getpid")
__failure __msg("invalid kernel function call not eliminated in verifier pass")
int hint_unguarded(void *ctx)
{
	bpf_sched_hint_later(3);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
__success
int hint_guarded(void *ctx)
{
	if (bpf_sched_hint_later) /* libbpf 1.1 has no bpf_ksym_exists() */
		bpf_sched_hint_later(3);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_gettid")
__failure __msg("R0 !read_ok")
int cookie_unguarded(void *ctx)
{
	return bpf_task_cookie_later() == 7;
}

char LICENSE[] SEC("license") = "GPL";
