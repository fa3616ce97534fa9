/*
 * usdt_sleepable.bpf.c - user-space tracing as applications instrument themselves: a
 * USDT probe (libbpf's usdt.bpf.h, BPF_USDT) records query latencies of a database
 * probe, and a sleepable uprobe ("uprobe.s") copies a request string with
 * bpf_copy_from_user, which may fault in pages.  Models the USDT spec maps and the
 * argument-fetching code libbpf's header brings along, and sleepable program loads.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>
#include <bpfcc/expect.h>

#define QUERY_LEN 64

struct query_start {
	u64 ts;
	char query[QUERY_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u32);
	__type(value, struct query_start);
} queries SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 32);
	__type(key, u32);
	__type(value, u64);
} latency_log2 SEC(".maps");

SEC("usdt")
__success
int BPF_USDT(query_start, const char *query, long len)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct query_start s = {.ts = bpf_ktime_get_ns()};

	if (len > 0)
		bpf_probe_read_user_str(s.query, sizeof(s.query), query);
	bpf_map_update_elem(&queries, &tid, &s, BPF_ANY);
	return 0;
}

SEC("usdt")
__success
int BPF_USDT(query_done, long status)
{
	u32 tid = (u32)bpf_get_current_pid_tgid(), slot = 0;
	struct query_start *s;
	u64 delta, *cnt;

	s = bpf_map_lookup_elem(&queries, &tid);
	if (!s)
		return 0;
	delta = (bpf_ktime_get_ns() - s->ts) / 1000;
	while (delta > 1 && slot < 31) {
		delta >>= 1;
		slot++;
	}
	cnt = bpf_map_lookup_elem(&latency_log2, &slot);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	bpf_map_delete_elem(&queries, &tid);
	return 0;
}

SEC("uprobe.s")
__success
int BPF_KPROBE(handle_request, const char *req, int len)
{
	char buf[QUERY_LEN] = {};
	u32 n;

	if (len <= 0)
		return 0;
	n = len < QUERY_LEN ? len : QUERY_LEN;
	if (bpf_copy_from_user(buf, n & (QUERY_LEN - 1), req))
		return 0;
	if (buf[0] == 'D' && buf[1] == 'E' && buf[2] == 'L')
		bpf_printk("DELETE request from %d", bpf_get_current_pid_tgid() >> 32);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
