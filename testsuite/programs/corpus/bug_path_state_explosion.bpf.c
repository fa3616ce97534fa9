/*
 * bug_path_state_explosion.bpf.c - the first draft of trace_path_parse.bpf.c: the scan
 * for the extension remembers the position of the last '.' in a variable updated inside
 * a 256-round loop whose exit depends on the string.  Every round forks on the
 * character and carries a different exact position, so no two states are equal, the
 * kernel cannot prune and gives up after a million instructions.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define PATH_LEN 256
#define EXT_LEN 8

struct syscall_enter_args {
	unsigned long long common;
	long id;
	unsigned long args[6];
};

struct scratch {
	char path[PATH_LEN];
};

struct ext_key {
	char ext[EXT_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_buf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 512);
	__type(key, struct ext_key);
	__type(value, __u64);
} by_ext SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_openat")
__failure __msg("BPF program is too large. Processed 1000001 insn")
__at_line(64)
int count_extensions(struct syscall_enter_args *ctx)
{
	struct ext_key key = {};
	struct scratch *s;
	__u32 zero = 0;
	int len, dot = -1, i;
	__u64 one = 1, *cnt;

	s = bpf_map_lookup_elem(&scratch_buf, &zero);
	if (!s)
		return 0;
	len = bpf_probe_read_user_str(s->path, sizeof(s->path), (const void *)ctx->args[1]);
	if (len <= 1)
		return 0;
	for (i = 0; i < PATH_LEN; i++) {
		char c = s->path[i];

		if (c == '\0')
			break;
		if (c == '/')
			dot = -1;
		else if (c == '.')
			dot = i;
	}
	if (dot < 0)
		return 0;
	for (i = 0; i < EXT_LEN - 1; i++) {
		int at = (dot + 1 + i) & (PATH_LEN - 1);
		char c = s->path[at];

		if (c == '\0')
			break;
		key.ext[i] = c;
	}
	cnt = bpf_map_lookup_elem(&by_ext, &key);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&by_ext, &key, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
