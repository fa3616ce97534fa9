/*
 * bug_rdonly_map_write.bpf.c - a configuration array declared read-only for programs
 * (BPF_F_RDONLY_PROG: only userspace updates it) into which the program also counts
 * its hits.  The kernel refuses stores into a map value the program may only read.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct config {
	__u32 sample_rate;
	__u32 hits;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__type(key, __u32);
	__type(value, struct config);
} sampler_cfg SEC(".maps");

SEC("xdp")
__failure __msg("write into map forbidden, value_size=8 off=4 size=4") __at_line(34)
int xdp_sampler(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct config *c = bpf_map_lookup_elem(&sampler_cfg, &zero);

	if (!c)
		return XDP_PASS;
	if (bpf_get_prandom_u32() % 1000 < c->sample_rate)
		c->hits++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
