/*
 * uprobe_sleepable_copy.bpf.c - a sleepable uprobe ("uprobe.s") on a TLS write function
 * that copies the plaintext with bpf_copy_from_user(), which may fault pages in, and a
 * plain uprobe on the same library that reads a length with bpf_probe_read_user().  The
 * sleeping helper where the kernel allows it.
 */
// bpfcc-flags: -O2 -g -mcpu=v3 -D__TARGET_ARCH_x86
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

struct chunk {
	__u32 pid;
	__u32 len;
	char data[240];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 18);
} chunks SEC(".maps");

SEC("uprobe.s")
__success
int BPF_KPROBE(tls_write_enter, void *ssl, const void *buf, int num)
{
	struct chunk *c = bpf_ringbuf_reserve(&chunks, sizeof(*c), 0);
	__u32 len = num;

	if (!c)
		return 0;
	c->pid = bpf_get_current_pid_tgid() >> 32;
	if (len > sizeof(c->data))
		len = sizeof(c->data);
	c->len = len;
	if (bpf_copy_from_user(c->data, sizeof(c->data), buf)) {
		bpf_ringbuf_discard(c, 0);
		return 0;
	}
	bpf_ringbuf_submit(c, 0);
	return 0;
}

SEC("uprobe")
__success
int BPF_KPROBE(tls_read_len, void *ssl, void *buf, int num, const __u64 *readbytes)
{
	__u64 n = 0;

	bpf_probe_read_user(&n, sizeof(n), readbytes);
	bpf_printk("read %llu", n);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
