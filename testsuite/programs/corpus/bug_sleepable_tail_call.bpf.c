/*
 * bug_sleepable_tail_call.bpf.c - a sleepable uprobe on a TLS library's write function that
 * copies the plaintext with bpf_copy_from_user() and dispatches on the record kind through
 * a prog array, as the non-sleepable parser it grew from did.  A sleepable program may not
 * name a prog array (check_map_prog_compatibility(): only arrays, hashes, ring buffers,
 * queues, stacks, maps of maps and local storage): the kernel refuses it before its walk.
 * fixed_sleepable_tail_call.bpf.c calls a static function instead.
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
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} parsers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct record);
} scratch SEC(".maps");

SEC("uprobe.s")
__failure __msg("Sleepable programs can only use array, hash, ringbuf and local storage maps")
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
	bpf_tail_call(ctx, &parsers, r->data[0] & 3);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
