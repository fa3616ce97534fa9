/*
 * bug_global_void_helper.bpf.c - a helper function factored out of an XDP program
 * without `static`, returning void because it only updates counters.  Global functions
 * are verified on their own and the kernel supports only those that return an integer:
 * the call is refused ("Caller passes invalid args") with "Global function ...
 * doesn't return scalar" just before it in the log.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct if_counters {
	__u64 rx_packets;
	__u64 rx_bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct if_counters);
} if_counters SEC(".maps");

__noinline void count_rx(struct if_counters *c, __u32 len)
{
	if (!c)
		return;
	c->rx_packets++;
	c->rx_bytes += len;
}

SEC("xdp")
__failure __msg("Caller passes invalid args into func#{{[0-9]+}} ('count_rx')") __at_line(39)
int xdp_count_rx(struct xdp_md *ctx)
{
	__u32 key = ctx->ingress_ifindex & 255;

	count_rx(bpf_map_lookup_elem(&if_counters, &key), ctx->data_end - ctx->data);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
