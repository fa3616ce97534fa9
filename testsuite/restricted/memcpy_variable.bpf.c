/* Rejected: memcpy of a length known only at run time (BPF has no memcpy to call). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[64]);
} scratch SEC(".maps");

SEC("xdp")
int copy_var(struct xdp_md *ctx)
{
	__u32 key = 0;
	char *dst = bpf_map_lookup_elem(&scratch, &key);
	char src[64] = {1, 2, 3};

	if (!dst)
		return XDP_PASS;
	__builtin_memcpy(dst, src, ctx->rx_queue_index & 63);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
