/* One program the kernel refuses for a rule bpfcc knows (division by the constant 0),
 * next to one it loads. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
__attribute__((naked)) int div_zero(void)
{
	asm volatile("r0 = 1; r0 /= 0; exit");
}

SEC("socket")
int fine(struct __sk_buff *skb)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
