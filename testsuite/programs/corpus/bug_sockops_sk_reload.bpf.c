/*
 * bug_sockops_sk_reload.bpf.c - a sock_ops program tests skops->sk and then reads the
 * field again for the call: each read of the context field is a new socket that may be
 * NULL, and bpf_sk_storage_get does not take one that may be NULL.  (Keep the socket in
 * a variable and test that, as sock_ctx_storage.bpf.c does.)
 */
// bpfcc-flags: -O2 -g
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} conn_state SEC(".maps");

SEC("sockops")
__failure __msg("R2 type=sock_or_null expected=sock_common") __at_line(28)
int count_ops(struct bpf_sock_ops *skops)
{
	__u64 *n;

	if (!skops->sk)
		return 1;
	asm volatile("" ::: "memory"); /* as if a call came between: the field is read again */
	n = bpf_sk_storage_get(&conn_state, skops->sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (n)
		*n += 1;
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
