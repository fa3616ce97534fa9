/*
 * trace_write_count_narrow.bpf.c - a per-process write counter whose map values were
 * widened to __u64 while the first insertion still passes the address of a __u32 local.
 * bpf_map_update_elem reads value_size (8) bytes there: the other four are stack bytes
 * next to it, which a privileged loader (CAP_PERFMON) may let helpers read even when they
 * were never written, and they lie inside the frame.  The kernel accepts it (the counter
 * may start with garbage in its high half): no false rejection.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct sys_enter_write_args {
	unsigned long long common;
	int syscall_nr;
	unsigned long fd;
	const char *buf;
	unsigned long count;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, __u64);
} writes SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_write")
__success
int count_writes(struct sys_enter_write_args *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u64 *cnt = bpf_map_lookup_elem(&writes, &pid);
	__u32 one = 1;

	if (!cnt) {
		bpf_map_update_elem(&writes, &pid, &one, BPF_NOEXIST);
		return 0;
	}
	__sync_fetch_and_add(cnt, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
