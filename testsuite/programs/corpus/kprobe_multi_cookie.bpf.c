/*
 * kprobe_multi_cookie.bpf.c - one program attached to many kernel functions at once
 * (kprobe.multi), telling them apart by bpf_get_func_ip() and the attach cookie, and
 * counting calls per function in a hash keyed by address.  Models the kprobe.multi
 * attach type at load time and the helpers only kprobe programs may call.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

struct func_stat {
	u64 calls;
	u64 cookie;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);
	__type(value, struct func_stat);
} func_calls SEC(".maps");

SEC("kprobe.multi/vfs_*")
__success
int count_vfs(struct pt_regs *ctx)
{
	u64 ip = bpf_get_func_ip(ctx);
	struct func_stat *st, init = {.cookie = bpf_get_attach_cookie(ctx)};

	st = bpf_map_lookup_elem(&func_calls, &ip);
	if (!st) {
		init.calls = 1;
		bpf_map_update_elem(&func_calls, &ip, &init, BPF_NOEXIST);
		return 0;
	}
	__sync_fetch_and_add(&st->calls, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
