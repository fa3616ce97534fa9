/*
 * multi.bpf.c - test object for the ELF reader: two programs in one section (the second
 * starts at a non-zero offset, so its relocations and line records are rebased), a string
 * in .rodata and a global (non-static) subprogram called from both.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} stats SEC(".maps");

__attribute__((noinline)) int bump(__u32 k)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &k);

	if (!v)
		return 0;
	return (int)++*v;
}

SEC("xdp")
int first(struct xdp_md *ctx)
{
	return bump(0) ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int second(struct xdp_md *ctx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &(__u32){0});

	bpf_printk("second %d", v ? 1 : 0);
	return bump(1) > 3 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
