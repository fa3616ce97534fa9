/*
 * iter_ctx_null.bpf.c - the objects an iterator's context holds may be NULL (the last call
 * ends the walk) and must be tested before a field is read: "R1 invalid mem access
 * 'ptr_or_null_'" for a task_file iterator's file, 'trusted_ptr_or_null_' for a tcp
 * iterator's socket (Linux 6.18).  meta is always there; a bpf_map_elem iterator's map
 * too (untyped by bpfcc).
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

SEC("iter/task_file")
__failure __msg("R1 invalid mem access 'ptr_or_null_'")
int file_flags_unchecked(struct bpf_iter__task_file *ctx)
{
	return ctx->file->f_flags & 1;
}

SEC("iter/task_file")
__success
int file_flags_checked(struct bpf_iter__task_file *ctx)
{
	struct file *file = ctx->file;

	if (!file)
		return 0;
	return file->f_flags & 1;
}

SEC("iter/tcp")
__failure __msg("R1 invalid mem access 'trusted_ptr_or_null_'")
int tcp_family_unchecked(struct bpf_iter__tcp *ctx)
{
	return ctx->sk_common->skc_family & 1;
}

SEC("iter/task")
__success
int meta_seq_num(struct bpf_iter__task *ctx)
{
	return ctx->meta->seq->size & 1;
}

SEC("iter/bpf_map_elem")
__success
int map_elem_map(struct bpf_iter__bpf_map_elem *ctx)
{
	return ctx->map->id & 1;
}

char LICENSE[] SEC("license") = "GPL";
