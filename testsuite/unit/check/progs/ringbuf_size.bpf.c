/*
 * ringbuf_size.bpf.c - check test object: a ring buffer whose size is not a power-of-two
 * multiple of the page size.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 3 * 4096);
} events SEC(".maps");

SEC("xdp")
int produce(struct xdp_md *ctx)
{
	__u32 *v = bpf_ringbuf_reserve(&events, sizeof(*v), 0);

	if (v)
		bpf_ringbuf_discard(v, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
