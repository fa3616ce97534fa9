// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_count.bpf.c - count established TCP connections per remote IPv4 address and port.
 *
 * A tracepoint program on sock:inet_sock_set_state, which the kernel fires on every TCP
 * state change with the old and new state, the addresses and the ports.  A connection
 * this host opened goes SYN_SENT -> ESTABLISHED; one it accepted goes SYN_RECV ->
 * ESTABLISHED.  Each such transition bumps a counter in a hash map keyed by the remote
 * address, remote port and direction, which user space reads with `bpftool map dump`.
 *
 * The tracepoint record's fields are read straight from the context: the verifier lets a
 * tracepoint program read its record at any offset inside the record's size.  Ports in the
 * record are already in host byte order; addresses are in network byte order.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define AF_INET 2 /* a #define in the kernel, so not in vmlinux.h */

char LICENSE[] SEC("license") = "GPL";

enum conn_dir {
	CONN_OUTBOUND = 0, /* connect() from this host */
	CONN_INBOUND = 1,  /* accept()ed by a listener here */
};

struct conn_key {
	__u32 raddr; /* remote IPv4 address, network byte order */
	__u16 rport; /* remote port, host byte order */
	__u16 dir;   /* enum conn_dir */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct conn_key);
	__type(value, __u64);
} conn_count SEC(".maps");

SEC("tracepoint/sock/inet_sock_set_state")
int count_established(struct trace_event_raw_inet_sock_set_state *ctx)
{
	struct conn_key key = {};
	__u64 one = 1, *count;

	if (ctx->protocol != IPPROTO_TCP || ctx->family != AF_INET)
		return 0;
	if (ctx->newstate != TCP_ESTABLISHED)
		return 0;

	if (ctx->oldstate == TCP_SYN_SENT)
		key.dir = CONN_OUTBOUND;
	else if (ctx->oldstate == TCP_SYN_RECV)
		key.dir = CONN_INBOUND;
	else
		return 0;

	/*
	 * The record describes the local socket, so its peer is daddr:dport for both
	 * directions.  daddr is a byte array; load it as one 32-bit read at a constant offset
	 * from ctx: the verifier refuses a ctx access through a pointer the program has moved
	 * ("dereference of modified ctx ptr"), which is what a byte-wise memcpy from a
	 * computed &ctx->daddr can compile to.
	 */
	key.raddr = *(const __u32 *)ctx->daddr;
	key.rport = ctx->dport;

	count = bpf_map_lookup_elem(&conn_count, &key);
	if (count) {
		/* Several CPUs may update the same connection key at once. */
		__sync_fetch_and_add(count, 1);
		return 0;
	}
	/* BPF_NOEXIST: if another CPU inserted the key meanwhile, this fails and that CPU's
	 * count stands; a lost count on such a race is acceptable for a statistic. */
	bpf_map_update_elem(&conn_count, &key, &one, BPF_NOEXIST);
	return 0;
}
