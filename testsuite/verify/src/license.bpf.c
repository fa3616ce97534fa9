/* Object checks decide per program: with a license that is not GPL-compatible, only the
 * program that calls a GPL-only helper is refused; the other one loads. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int uses_printk(struct __sk_buff *skb)
{
	bpf_printk("len %u", skb->len);
	return 0;
}

SEC("socket")
int plain(struct __sk_buff *skb)
{
	return skb->len > 64;
}

char LICENSE[] SEC("license") = "MIT";
