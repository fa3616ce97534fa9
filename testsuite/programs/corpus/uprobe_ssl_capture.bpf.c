/*
 * uprobe_ssl_capture.bpf.c - plaintext capture at SSL_write/SSL_read in the style of
 * sslsniff: the entry uprobe saves the buffer pointer, the return probe copies
 * min(len, MAX_BUF) bytes from user memory into a per-CPU event and sends it through
 * a perf event array, with the size clamped so the verifier can bound the copy.
 * Models a variable-length bpf_probe_read_user whose size is checked on both sides.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

#define MAX_BUF 8192

struct ssl_event {
	u64 ts;
	u32 pid;
	u32 len;
	int rw;
	char comm[16];
	u8 buf[MAX_BUF];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);
	__type(value, u64);
} bufs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct ssl_event);
} ssl_heap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} ssl_events SEC(".maps");

static __always_inline int save_buf(const void *buf)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	u64 p = (u64)buf;

	bpf_map_update_elem(&bufs, &tid, &p, BPF_ANY);
	return 0;
}

static __always_inline int emit(struct pt_regs *ctx, int rw, int len)
{
	u32 tid = (u32)bpf_get_current_pid_tgid(), zero = 0;
	struct ssl_event *e;
	u64 *bufp;
	u32 n;

	bufp = bpf_map_lookup_elem(&bufs, &tid);
	if (!bufp)
		return 0;
	if (len <= 0)
		goto out;
	e = bpf_map_lookup_elem(&ssl_heap, &zero);
	if (!e)
		goto out;
	n = len < MAX_BUF ? len : MAX_BUF;
	e->ts = bpf_ktime_get_ns();
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->len = n;
	e->rw = rw;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (n > 0 && n <= MAX_BUF && bpf_probe_read_user(e->buf, n, (const void *)*bufp) == 0)
		bpf_perf_event_output(ctx, &ssl_events, BPF_F_CURRENT_CPU, e,
				      offsetof(struct ssl_event, buf) + (n & (MAX_BUF - 1)));
out:
	bpf_map_delete_elem(&bufs, &tid);
	return 0;
}

SEC("uprobe")
__success
int BPF_KPROBE(ssl_write_enter, void *ssl, const void *buf, int num)
{
	return save_buf(buf);
}

SEC("uretprobe")
__success
int BPF_KRETPROBE(ssl_write_exit, int ret)
{
	return emit(ctx, 1, ret);
}

SEC("uprobe")
__success
int BPF_KPROBE(ssl_read_enter, void *ssl, void *buf, int num)
{
	return save_buf(buf);
}

SEC("uretprobe")
__success
int BPF_KRETPROBE(ssl_read_exit, int ret)
{
	return emit(ctx, 0, ret);
}

char LICENSE[] SEC("license") = "GPL";
