/*
 * core_matches.bpf.c - link test object: bpf_core_type_matches() (TYPE_MATCHES relocations)
 * on local flavours that libbpf's matching relation accepts or refuses where the weaker
 * TYPE_EXISTS compatibility would say yes to all of them: a member the kernel lacks, an
 * integer of another size or signedness, an array of another length, an enumerator the
 * kernel does not have, a pointer to a struct only named, a function pointer.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct list_head___ok {
	struct list_head___ok *next, *prev;
};

struct list_head___extra {
	struct list_head___extra *next, *prev;
	long generation; /* not in the kernel */
};

struct list_head___short {
	int next; /* a pointer in the kernel */
};

struct qstr___ok {
	union {
		struct {
			unsigned int hash;
			unsigned int len;
		};
		unsigned long long hash_len;
	};
	const unsigned char *name;
};

struct qstr___signed {
	long long hash_len; /* unsigned in the kernel */
};

struct callback_head___ok {
	struct callback_head___ok *next;
	void (*func)(struct callback_head___ok *head);
};

struct callback_head___proto {
	void (*func)(struct callback_head___proto *head, int extra);
};

struct task_struct___ptr {
	struct mm_struct *mm; /* behind a pointer: the name and kind are enough */
	char comm[16];
};

struct task_struct___comm {
	char comm[8]; /* 16 in the kernel */
};

enum pid_type___ok {
	PIDTYPE_PID,
	PIDTYPE_TGID,
};

enum pid_type___extra {
	PIDTYPE_SID___extra,
	PIDTYPE_NOT_THERE,
};

long out[16];

SEC("kprobe/do_unlinkat")
int type_matches(void *ctx)
{
	out[0] = bpf_core_type_matches(struct list_head___ok);
	out[1] = bpf_core_type_matches(struct list_head___extra);
	out[2] = bpf_core_type_matches(struct list_head___short);
	out[3] = bpf_core_type_matches(struct qstr___ok);
	out[4] = bpf_core_type_matches(struct qstr___signed);
	out[5] = bpf_core_type_matches(struct callback_head___ok);
	out[6] = bpf_core_type_matches(struct callback_head___proto);
	out[7] = bpf_core_type_matches(struct task_struct___ptr);
	out[8] = bpf_core_type_matches(struct task_struct___comm);
	out[9] = bpf_core_type_matches(enum pid_type___ok);
	out[10] = bpf_core_type_matches(enum pid_type___extra);
	out[11] = bpf_core_type_exists(struct list_head___extra);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
