/*
 * bug_perf_output_size.bpf.c - sends the captured prefix of a packet to userspace with
 * bpf_perf_event_output, sized by the length the capture reported, clamped at zero
 * but not above.  The buffer is 256 bytes on the stack; the kernel refuses a size
 * argument it cannot bound by the buffer.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define SNAP 256

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} captures SEC(".maps");

SEC("tc")
__failure __msg("R5 unbounded memory access, use 'var &= const' or 'if (var < const)'") __at_line(32)
int tc_capture(struct __sk_buff *skb)
{
	__u8 buf[SNAP];
	__u32 len = skb->len;

	if (bpf_skb_load_bytes(skb, 0, buf, sizeof(buf)))
		return TC_ACT_OK;
	if (len == 0)
		return TC_ACT_OK;
	bpf_perf_event_output(skb, &captures, BPF_F_CURRENT_CPU, buf, len);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
