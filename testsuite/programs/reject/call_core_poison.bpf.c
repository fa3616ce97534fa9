/*
 * call_core_poison.bpf.c - a CO-RE read of a field the running kernel does not have:
 * libbpf turns the instruction into "call 0xbad2310" and the kernel refuses it once a
 * path reaches it ("invalid func unknown#195896080", which libbpf rewrites into "failed
 * to resolve CO-RE relocation").  Behind bpf_core_field_exists() it is dead code and loads.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpfcc/expect.h>

struct task_struct___bpfcc_missing {
	long bpfcc_no_such_field;
} __attribute__((preserve_access_index));

SEC("kprobe/do_unlinkat")
__failure __msg("failed to resolve CO-RE relocation")
int BPF_KPROBE(read_missing_field, int dfd)
{
	struct task_struct___bpfcc_missing *t = (void *)bpf_get_current_task();

	return (int)BPF_CORE_READ(t, bpfcc_no_such_field);
}

SEC("kprobe/do_unlinkat")
__success
int BPF_KPROBE(guarded_missing_field, int dfd)
{
	struct task_struct___bpfcc_missing *t = (void *)bpf_get_current_task();

	if (bpf_core_field_exists(t->bpfcc_no_such_field))
		return (int)BPF_CORE_READ(t, bpfcc_no_such_field);
	return 0;
}

/* the existence check guards something else: the poisoned read still runs */
SEC("kprobe/do_unlinkat")
__failure __msg("failed to resolve CO-RE relocation")
int BPF_KPROBE(check_elsewhere, int dfd)
{
	struct task_struct___bpfcc_missing *t = (void *)bpf_get_current_task();
	long seen = 0;

	if (bpf_core_field_exists(t->bpfcc_no_such_field))
		seen = 1;
	return (int)(seen + BPF_CORE_READ(t, bpfcc_no_such_field));
}

char LICENSE[] SEC("license") = "GPL";
