/*
 * bug_kprobe_direct_deref.bpf.c - a kprobe that reads a field of its struct sock
 * argument by plain dereference.  In a kprobe the argument is only a number taken from
 * the saved registers, not a pointer the verifier knows (that needs tp_btf/fentry or
 * bpf_probe_read_kernel/BPF_CORE_READ); the kernel refuses the load through a scalar.
 */
// bpfcc-flags: -O2 -g -D__TARGET_ARCH_x86
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

struct sock_common_min {
	__u32 skc_daddr;
	__u32 skc_rcv_saddr;
	__u32 skc_hash;
	__u16 skc_dport;
	__u16 skc_num;
	unsigned short skc_family;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} closes_by_daddr SEC(".maps");

SEC("kprobe/tcp_close")
__failure __msg("invalid mem access 'scalar'") __at_line(38)
/* bpfcc detects this since its context and packet-pointer rules */
int BPF_KPROBE(tcp_close_probe, struct sock_common_min *sk)
{
	__u32 daddr;
	__u64 one = 1, *cnt;

	if (sk->skc_family != 2)
		return 0;
	daddr = sk->skc_daddr;
	cnt = bpf_map_lookup_elem(&closes_by_daddr, &daddr);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&closes_by_daddr, &daddr, &one, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
