/*
 * core_kinds.bpf.c - link test object: CO-RE relocations of every common kind against the
 * running kernel, through local "___flavour" definitions whose layout differs from the
 * kernel's on purpose: field offsets, sizes and existence, bitfield shifts, signedness,
 * type existence, size and kernel id, enumerator values and existence.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct___local {
	unsigned int sched_remote_wakeup : 1;
	unsigned int sched_reset_on_fork : 1;
	int pid;
	int tgid;
	char comm[16];
	long no_such_member;
} __attribute__((preserve_access_index));

struct no_such_struct___local {
	int x;
} __attribute__((preserve_access_index));

enum pid_type___local {
	PIDTYPE_SID = 0,
	PIDTYPE_MAX = 1,
	PIDTYPE_NOT_THERE = 2,
};

long sink[16];

SEC("kprobe/do_unlinkat")
int core_kinds(void *ctx)
{
	struct task_struct___local *t = (void *)bpf_get_current_task();

	sink[0] = BPF_CORE_READ(t, pid);
	sink[1] = BPF_CORE_READ(t, tgid);
	sink[2] = BPF_CORE_READ_BITFIELD_PROBED(t, sched_reset_on_fork);
	sink[3] = BPF_CORE_READ_BITFIELD_PROBED(t, sched_remote_wakeup);
	sink[4] = bpf_core_field_exists(t->no_such_member);
	sink[5] = bpf_core_field_exists(t->comm);
	sink[6] = bpf_core_field_size(t->comm);
	sink[7] = bpf_core_type_exists(struct task_struct___local);
	sink[8] = bpf_core_type_exists(struct no_such_struct___local);
	sink[9] = bpf_core_type_size(struct task_struct___local);
	sink[10] = bpf_core_type_id_kernel(struct task_struct___local);
	sink[11] = bpf_core_enum_value(enum pid_type___local, PIDTYPE_SID);
	sink[12] = bpf_core_enum_value(enum pid_type___local, PIDTYPE_MAX);
	sink[13] = bpf_core_enum_value_exists(enum pid_type___local, PIDTYPE_NOT_THERE);
	sink[14] = bpf_core_field_offset(t->comm);
	sink[15] = bpf_core_type_id_local(struct task_struct___local);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
