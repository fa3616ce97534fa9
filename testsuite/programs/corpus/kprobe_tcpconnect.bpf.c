/*
 * kprobe_tcpconnect.bpf.c - outbound TCP connection tracer: the kprobe on
 * tcp_v4_connect/tcp_v6_connect keeps the socket pointer per thread, the kretprobe reads
 * addresses and ports with CO-RE and counts flows in an LRU hash.  Models BPF_KPROBE /
 * BPF_KRETPROBE argument access and BPF_CORE_READ chains through struct sock.
 */
// bpfcc-flags: -O2 -g
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpfcc/expect.h>

#define AF_INET 2
#define AF_INET6 10

struct flow_key {
	u32 saddr[4];
	u32 daddr[4];
	u16 dport;
	u16 family;
	u32 uid;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u32);
	__type(value, struct sock *);
} conn_socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct flow_key);
	__type(value, u64);
} flow_counts SEC(".maps");

const volatile u16 only_port = 0;

static __always_inline int enter_connect(struct sock *sk)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();

	bpf_map_update_elem(&conn_socks, &tid, &sk, BPF_ANY);
	return 0;
}

static __always_inline int exit_connect(int ret, int family)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct flow_key key = {};
	struct sock **skpp, *sk;
	u64 one = 1, *cnt;

	skpp = bpf_map_lookup_elem(&conn_socks, &tid);
	if (!skpp)
		return 0;
	if (ret)
		goto end;
	sk = *skpp;
	key.family = family;
	key.dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (only_port && key.dport != only_port)
		goto end;
	key.uid = (u32)bpf_get_current_uid_gid();
	if (family == AF_INET) {
		key.saddr[0] = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		key.daddr[0] = BPF_CORE_READ(sk, __sk_common.skc_daddr);
	} else {
		BPF_CORE_READ_INTO(&key.saddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32);
		BPF_CORE_READ_INTO(&key.daddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr32);
	}
	cnt = bpf_map_lookup_elem(&flow_counts, &key);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&flow_counts, &key, &one, BPF_NOEXIST);
end:
	bpf_map_delete_elem(&conn_socks, &tid);
	return 0;
}

SEC("kprobe/tcp_v4_connect")
__success
int BPF_KPROBE(tcp_v4_connect_enter, struct sock *sk)
{
	return enter_connect(sk);
}

SEC("kretprobe/tcp_v4_connect")
__success
int BPF_KRETPROBE(tcp_v4_connect_exit, int ret)
{
	return exit_connect(ret, AF_INET);
}

SEC("kprobe/tcp_v6_connect")
__success
int BPF_KPROBE(tcp_v6_connect_enter, struct sock *sk)
{
	return enter_connect(sk);
}

SEC("kretprobe/tcp_v6_connect")
__success
int BPF_KRETPROBE(tcp_v6_connect_exit, int ret)
{
	return exit_connect(ret, AF_INET6);
}

char LICENSE[] SEC("license") = "GPL";
