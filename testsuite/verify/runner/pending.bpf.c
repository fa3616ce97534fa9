/* Runner self-test: the kernel rejects it as expected, bpfcc does not detect the rule yet
 * and the program says so -> PENDING, a skip (exit 77), never a pass. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bpfcc/expect.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("socket")
__failure __msg("reference leak")
__bpfcc_xfail("reference tracking (ring buffer reservations)")
int leak(struct __sk_buff *skb)
{
	long *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return 0;
	*e = skb->len;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
