/*
 * trace_exec_scratch.bpf.c - an exec logger with a per-CPU scratch buffer: the file name
 * is copied with the buffer's own size, a prefix of the command line with a length
 * bounded by a mask, and the record leaves through the ring buffer with its size.
 * Accepted.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define FNAME_LEN 256
#define ARG_LEN   128

struct exec_args {
	unsigned long long common;
	int syscall_nr;
	const char *filename;
	const char *const *argv;
	const char *const *envp;
};

struct scratch {
	__u32 pid;
	__u32 len;
	char fname[FNAME_LEN];
	char arg0[ARG_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} heap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
__success
int log_exec(struct exec_args *ctx)
{
	const char *arg0 = NULL;
	__u32 zero = 0;
	struct scratch *s;
	long n;

	s = bpf_map_lookup_elem(&heap, &zero);
	if (!s)
		return 0;
	s->pid = bpf_get_current_pid_tgid() >> 32;
	n = bpf_probe_read_user_str(s->fname, sizeof(s->fname), ctx->filename);
	s->len = n > 0 ? n : 0;
	bpf_probe_read_user(&arg0, sizeof(arg0), &ctx->argv[0]);
	if (arg0) {
		n = bpf_probe_read_user_str(s->arg0, sizeof(s->arg0), arg0);
		if (n > 0)
			s->arg0[(n - 1) & (ARG_LEN - 1)] = 0;
	}
	bpf_ringbuf_output(&events, s, sizeof(*s), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
