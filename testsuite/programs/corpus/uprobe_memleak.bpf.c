/*
 * uprobe_memleak.bpf.c - outstanding-allocation tracker in the style of memleak: the
 * malloc uprobe stashes the requested size per thread, the uretprobe records
 * address -> (size, user stack id), and the free uprobe deletes the record and updates
 * per-stack totals.  Models uprobe argument/return access, stack ids with
 * BPF_F_USER_STACK, and a lookup-or-init combined counter.
 */
// bpfcc-flags: -O2 -g -mcpu=v3 -D__TARGET_ARCH_x86
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

struct alloc_info {
	__u64 size;
	__u64 ts;
	__s64 stack_id;
};

struct combined {
	__u64 total_size;
	__u64 count;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} sizes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1000000);
	__type(key, __u64);
	__type(value, struct alloc_info);
} allocs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u64);
	__type(value, struct combined);
} by_stack SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 10240);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 127 * sizeof(__u64));
} ustacks SEC(".maps");

const volatile __u64 min_size = 0;

SEC("uprobe")
__success
int BPF_KPROBE(malloc_enter, size_t size)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 sz = size;

	if (sz < min_size)
		return 0;
	bpf_map_update_elem(&sizes, &tid, &sz, BPF_ANY);
	return 0;
}

SEC("uretprobe")
__success
int BPF_KRETPROBE(malloc_exit, void *addr)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct alloc_info info = {};
	struct combined *c, init = {};
	__u64 *sz, a = (__u64)addr, sk;

	sz = bpf_map_lookup_elem(&sizes, &tid);
	if (!sz)
		return 0;
	info.size = *sz;
	bpf_map_delete_elem(&sizes, &tid);
	if (!addr)
		return 0;
	info.ts = bpf_ktime_get_ns();
	info.stack_id = bpf_get_stackid(ctx, &ustacks, BPF_F_USER_STACK);
	bpf_map_update_elem(&allocs, &a, &info, BPF_ANY);
	sk = info.stack_id;
	c = bpf_map_lookup_elem(&by_stack, &sk);
	if (!c) {
		bpf_map_update_elem(&by_stack, &sk, &init, BPF_NOEXIST);
		c = bpf_map_lookup_elem(&by_stack, &sk);
		if (!c)
			return 0;
	}
	__sync_fetch_and_add(&c->total_size, info.size);
	__sync_fetch_and_add(&c->count, 1);
	return 0;
}

SEC("uprobe")
__success
int BPF_KPROBE(free_enter, void *addr)
{
	__u64 a = (__u64)addr, sk;
	struct alloc_info *info;
	struct combined *c;

	info = bpf_map_lookup_elem(&allocs, &a);
	if (!info)
		return 0;
	sk = info->stack_id;
	c = bpf_map_lookup_elem(&by_stack, &sk);
	if (c) {
		__sync_fetch_and_sub(&c->total_size, info->size);
		__sync_fetch_and_sub(&c->count, 1);
	}
	bpf_map_delete_elem(&allocs, &a);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
