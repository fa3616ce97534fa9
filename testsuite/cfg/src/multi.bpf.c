/* Three programs in one object: two the kernel loads and one it refuses when the packet
 * is longer than 10 bytes (r2 is read before anything was written to it). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int first(struct __sk_buff *skb)
{
	if (skb->len > 100)
		return 1;
	return 0;
}

SEC("socket")
__attribute__((naked)) int uninit_reg(void)
{
	asm volatile("r0 = *(u32 *)(r1 + 0);"
	             "if r0 > 10 goto 1f;"
	             "r0 = 0;"
	             "exit;"
	             "1: r0 = r2;"
	             "exit");
}

SEC("xdp")
int third(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
