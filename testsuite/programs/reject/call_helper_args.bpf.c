/*
 * call_helper_args.bpf.c - helper arguments of the wrong register type: the kernel checks
 * each argument against its prototype (check_func_arg) and names the types it accepts.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("socket")
__failure __msg("R3 type=ctx expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem")
int ctx_as_buffer(struct __sk_buff *skb)
{
	return bpf_skb_load_bytes(skb, 0, skb, 4);
}

SEC("socket")
__failure __msg("R1 type=ctx expected=map_ptr")
int ctx_as_map(struct __sk_buff *skb)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(skb, &key);

	return v ? (int)*v : 0;
}

SEC("socket")
__success
int right_types(struct __sk_buff *skb)
{
	__u32 key = 0, word = 0;
	__u64 *v = bpf_map_lookup_elem(&counts, &key);

	if (bpf_skb_load_bytes(skb, 0, &word, sizeof(word)) < 0)
		return 0;
	if (v)
		*v += word;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
