/*
 * kprobe_filetop.bpf.c - per-file read/write accounting in the style of filetop: kprobes
 * on vfs_read/vfs_write walk file->f_path.dentry->d_name with CO-RE reads, copy the
 * name with bpf_probe_read_kernel_str and add the byte count to a hash entry keyed by
 * inode and pid.  Models BPF_CORE_READ chains through several pointers and a string
 * copy into a map value fetched by lookup-or-insert.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpfcc/expect.h>

#define S_IFMT 00170000
#define S_IFREG 0100000

struct file_key {
	u64 ino;
	u32 pid;
	u32 dev;
};

struct file_stat {
	u64 reads;
	u64 writes;
	u64 rbytes;
	u64 wbytes;
	char name[32];
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct file_key);
	__type(value, struct file_stat);
} files SEC(".maps");

const volatile bool regular_only = true;
static struct file_stat zero_stat;

static __always_inline int account(struct file *file, size_t count, bool is_read)
{
	struct file_key key = {};
	struct file_stat *st;
	struct dentry *dentry;
	umode_t mode;

	mode = BPF_CORE_READ(file, f_inode, i_mode);
	if (regular_only && (mode & S_IFMT) != S_IFREG)
		return 0;
	key.ino = BPF_CORE_READ(file, f_inode, i_ino);
	key.dev = BPF_CORE_READ(file, f_inode, i_sb, s_dev);
	key.pid = bpf_get_current_pid_tgid() >> 32;
	st = bpf_map_lookup_elem(&files, &key);
	if (!st) {
		bpf_map_update_elem(&files, &key, &zero_stat, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&files, &key);
		if (!st)
			return 0;
		dentry = BPF_CORE_READ(file, f_path.dentry);
		bpf_probe_read_kernel_str(st->name, sizeof(st->name), BPF_CORE_READ(dentry, d_name.name));
		bpf_get_current_comm(st->comm, sizeof(st->comm));
	}
	if (is_read) {
		__sync_fetch_and_add(&st->reads, 1);
		__sync_fetch_and_add(&st->rbytes, count);
	} else {
		__sync_fetch_and_add(&st->writes, 1);
		__sync_fetch_and_add(&st->wbytes, count);
	}
	return 0;
}

SEC("kprobe/vfs_read")
__success
int BPF_KPROBE(vfs_read_entry, struct file *file, char *buf, size_t count)
{
	return account(file, count, true);
}

SEC("kprobe/vfs_write")
__success
int BPF_KPROBE(vfs_write_entry, struct file *file, const char *buf, size_t count)
{
	return account(file, count, false);
}

char LICENSE[] SEC("license") = "GPL";
