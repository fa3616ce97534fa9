/* Runner self-test: the kernel rejects it as expected, bpfcc does not detect the rule yet
 * and the program says so -> PENDING, a skip (exit 77), never a pass. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bpfcc/expect.h"

SEC("socket")
__failure __msg("Invalid format string")
__bpfcc_xfail("format strings of bpf_snprintf (check_bpf_snprintf_call)")
int bad_format(struct __sk_buff *skb)
{
	static const char fmt[] = "len %Q";
	char out[16];
	__u64 args[1] = {skb->len};

	bpf_snprintf(out, sizeof(out), fmt, args, sizeof(args));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
