/* Rejected: thread-local storage. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

_Thread_local int packets;

SEC("xdp")
int count(struct xdp_md *ctx)
{
	packets++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
