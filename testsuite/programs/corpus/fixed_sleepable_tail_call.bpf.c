/*
 * fixed_sleepable_tail_call.bpf.c - bug_sleepable_tail_call.bpf.c fixed: the sleepable
 * uprobe keeps its per-cpu scratch record (an array: allowed) and calls the record kind's
 * parser as a static function instead of tail-calling through a prog array.  Accepted.
 */
// bpfcc-flags: -O2 -g -mcpu=v3 -D__TARGET_ARCH_x86
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

struct record {
	__u32 pid;
	__u32 len;
	__u8 data[64];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct record);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} kinds SEC(".maps");

static __attribute__((noinline)) int parse(struct record *r)
{
	__u32 kind = r->data[0] & 3;
	__u64 one = 1, *n = bpf_map_lookup_elem(&kinds, &kind);

	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&kinds, &kind, &one, BPF_NOEXIST);
	return 0;
}

SEC("uprobe.s")
__success
int BPF_KPROBE(tls_write, void *ssl, const void *buf, int num)
{
	__u32 zero = 0;
	struct record *r = bpf_map_lookup_elem(&scratch, &zero);

	if (!r || num <= 0)
		return 0;
	r->pid = bpf_get_current_pid_tgid() >> 32;
	r->len = num < (int)sizeof(r->data) ? num : sizeof(r->data);
	if (bpf_copy_from_user(r->data, sizeof(r->data), buf))
		return 0;
	return parse(r);
}

char LICENSE[] SEC("license") = "GPL";
