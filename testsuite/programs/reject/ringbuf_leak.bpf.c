/*
 * ringbuf_leak.bpf.c - a ring buffer reservation is a reference the program must
 * release (submit or discard) on every path; exiting with it held is refused.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("socket")
__failure __msg("Unreleased reference id={{[0-9]+}} alloc_insn={{[0-9]+}}")
int reserve_no_submit(struct __sk_buff *skb)
{
	__u32 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return 0;
	*e = skb->len;
	if (skb->len > 100)
		return 1;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
