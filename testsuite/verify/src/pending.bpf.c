/* The kernel refuses this program (bpf_snprintf's format string has a conversion the kernel
 * does not know: check_bpf_snprintf_call's "Invalid format string") and bpfcc does not
 * check helper format strings yet, so the two disagree.  When bpfcc learns the rule,
 * testsuite/verify needs another disagreement. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int bad_format(struct __sk_buff *skb)
{
	static const char fmt[] = "len %Q";
	char out[16];
	__u64 args[1] = {skb->len};

	bpf_snprintf(out, sizeof(out), fmt, args, sizeof(args));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
