/*
 * trace_args_loop.bpf.c - trace_execsnoop_args.bpf.c written with a real loop instead
 * of an unrolled one: the offset into the argument buffer is re-clamped with a mask
 * at each round, which keeps every round's state inside the previous one so the
 * kernel's loop states converge.  Models a loop-carried helper destination offset.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define ARGSIZE 128
#define MAX_ARGS 16
#define BUF_SIZE 4096

struct raw_sys_enter {
	unsigned long long common;
	long id;
	unsigned long args[6];
};

struct argbuf {
	__u32 count;
	__u32 size;
	char buf[BUF_SIZE];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct argbuf);
} argbufs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} arg_events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
__success
int execve_args_loop(struct raw_sys_enter *ctx)
{
	const char *const *argv = (const char *const *)ctx->args[1];
	struct argbuf *ab;
	__u32 zero = 0, off = 0;
	const char *arg;
	long n;

	ab = bpf_map_lookup_elem(&argbufs, &zero);
	if (!ab)
		return 0;
	ab->count = 0;
	for (int i = 0; i < MAX_ARGS; i++) {
		if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) || !arg)
			break;
		off &= BUF_SIZE - 1;
		if (off > BUF_SIZE - ARGSIZE)
			break;
		n = bpf_probe_read_user_str(&ab->buf[off], ARGSIZE, arg);
		if (n <= 0)
			break;
		off += n;
		ab->count++;
	}
	ab->size = off;
	bpf_ringbuf_output(&arg_events, ab, sizeof(*ab), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
