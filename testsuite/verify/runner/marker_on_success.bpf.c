/* Runner self-test: a pending marker on a __success program -> FAIL, exit 1. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bpfcc/expect.h"

SEC("socket")
__success
__bpfcc_xfail("markers belong on __failure programs")
int fine(struct __sk_buff *skb)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
