/*
 * bug_spin_lock_tracing.bpf.c - the locked counter of cgroup_skb_accounting.bpf.c
 * moved into a tracepoint program.  Tracing programs may run in any context, including
 * under other locks, and the kernel refuses bpf_spin_lock in them.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct counter {
	struct bpf_spin_lock lock;
	__u64 calls;
	__u64 bytes;
};

struct raw_sys_enter {
	unsigned long long common;
	long id;
	unsigned long args[6];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct counter);
} write_counter SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_write")
__failure __msg("tracing progs cannot use bpf_spin_lock yet")
int count_writes(struct raw_sys_enter *ctx)
{
	__u32 zero = 0;
	struct counter *c = bpf_map_lookup_elem(&write_counter, &zero);

	if (!c)
		return 0;
	bpf_spin_lock(&c->lock);
	c->calls++;
	c->bytes += ctx->args[2];
	bpf_spin_unlock(&c->lock);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
