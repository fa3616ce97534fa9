/* Runner self-test: the kernel rejects it, bpfcc accepts it and nothing marks the rule as
 * pending -> FAIL, exit 1. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bpfcc/expect.h"

SEC("socket")
__failure __msg("Invalid format string")
int bad_format(struct __sk_buff *skb)
{
	static const char fmt[] = "len %Q";
	char out[16];
	__u64 args[1] = {skb->len};

	bpf_snprintf(out, sizeof(out), fmt, args, sizeof(args));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
