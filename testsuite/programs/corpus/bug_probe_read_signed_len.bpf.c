/*
 * bug_probe_read_signed_len.bpf.c - the first draft of uprobe_ssl_capture.bpf.c: the
 * copy length is the int returned by SSL_read, capped above but never tested for a
 * negative error value.  The kernel refuses a helper size argument whose minimum may
 * be negative.
 */
// bpfcc-flags: -O2 -g -mcpu=v3 -D__TARGET_ARCH_x86
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

#define MAX_BUF 4096

struct data_event {
	__u32 pid;
	int len;
	__u8 buf[MAX_BUF];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} read_bufs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct data_event);
} heap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} data_events SEC(".maps");

SEC("uretprobe")
__failure __msg("R2 unbounded memory access, use 'var &= const' or 'if (var < const)'") __at_line(59)
int BPF_KRETPROBE(ssl_read_ret, int ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), zero = 0;
	struct data_event *e;
	__u64 *bufp;
	int len;

	bufp = bpf_map_lookup_elem(&read_bufs, &tid);
	if (!bufp)
		return 0;
	e = bpf_map_lookup_elem(&heap, &zero);
	if (!e)
		return 0;
	len = ret > MAX_BUF ? MAX_BUF : ret;
	e->pid = tid;
	e->len = len;
	bpf_probe_read_user(e->buf, len, (const void *)*bufp);
	bpf_ringbuf_output(&data_events, e, sizeof(*e), 0);
	bpf_map_delete_elem(&read_bufs, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
