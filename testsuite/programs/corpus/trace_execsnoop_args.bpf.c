/*
 * trace_execsnoop_args.bpf.c - exec() tracer that captures the whole argument list,
 * as libbpf-tools' execsnoop does: argv[i] strings are appended one after the other
 * into a fixed buffer in a per-CPU map value, at a running offset that is bounds-
 * checked before every copy.  Models a helper destination at a variable offset into a
 * map value, with the remaining size computed from that offset.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define ARGSIZE 128
#define MAX_ARGS 20
#define FULL_MAX (ARGSIZE * MAX_ARGS)

struct args_event {
	u32 pid;
	u32 args_count;
	u32 args_size;
	char comm[16];
	char args[FULL_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct args_event);
} args_heap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} args_events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
__success
int execve_args(struct trace_event_raw_sys_enter *ctx)
{
	const char **argv = (const char **)ctx->args[1];
	struct args_event *e;
	const char *argp;
	u32 zero = 0;
	long n;
	int i;

	e = bpf_map_lookup_elem(&args_heap, &zero);
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->args_count = 0;
	e->args_size = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	n = bpf_probe_read_user_str(e->args, ARGSIZE, (const char *)ctx->args[0]);
	if (n < 0)
		return 0;
	if (n <= ARGSIZE)
		e->args_size += n;
#pragma unroll
	for (i = 1; i < MAX_ARGS; i++) {
		if (bpf_probe_read_user(&argp, sizeof(argp), &argv[i]) || !argp)
			break;
		if (e->args_size > FULL_MAX - ARGSIZE)
			break;
		n = bpf_probe_read_user_str(&e->args[e->args_size], ARGSIZE, argp);
		if (n < 0 || n > ARGSIZE)
			break;
		e->args_count++;
		e->args_size += n;
	}
	bpf_perf_event_output(ctx, &args_events, BPF_F_CURRENT_CPU, e,
			      offsetof(struct args_event, args) + (e->args_size & (FULL_MAX - 1)));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
