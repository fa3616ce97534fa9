/*
 * core.bpf.c - test object for the ELF reader: CO-RE relocations of several kinds on
 * locally declared kernel types, and bpf_loop with a static callback (a function address
 * relocation).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct {
	int pid;
	int tgid;
	struct task_struct *parent;
	unsigned int flags : 3;
} __attribute__((preserve_access_index));

enum answer { ANSWER_ONE = 1 };

static int loop_cb(__u32 i, void *data)
{
	(*(int *)data)++;
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int core_prog(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	int n = 0, pid = BPF_CORE_READ(t, parent, tgid);

	if (bpf_core_field_exists(t->flags))
		n += BPF_CORE_READ_BITFIELD_PROBED(t, flags);
	if (bpf_core_type_exists(struct task_struct))
		n += bpf_core_type_size(struct task_struct);
	if (bpf_core_enum_value_exists(enum answer, ANSWER_ONE))
		n++;
	bpf_loop(4, loop_cb, &n, 0);
	return pid + n;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
