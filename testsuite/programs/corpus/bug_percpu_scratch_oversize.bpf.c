/*
 * bug_percpu_scratch_oversize.bpf.c - an exec logger that copies the file name into a
 * per-CPU scratch buffer.  The buffer was shrunk to 256 bytes to save memory, but the
 * copy still asks bpf_probe_read_user_str for PATH_MAX bytes: the kernel checks the
 * helper's size against the map value it writes into and refuses the program.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define FNAME_LEN 256
#define PATH_MAX  4096

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
__failure __msg("invalid access to map value, value_size=264 off=8 size=4096") __at_line(53)
int log_exec(struct exec_args *ctx)
{
	__u32 zero = 0;
	struct scratch *s;
	long n;

	s = bpf_map_lookup_elem(&heap, &zero);
	if (!s)
		return 0;
	s->pid = bpf_get_current_pid_tgid() >> 32;
	n = bpf_probe_read_user_str(s->fname, PATH_MAX, ctx->filename);
	s->len = n > 0 ? n : 0;
	bpf_ringbuf_output(&events, s, sizeof(*s), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
