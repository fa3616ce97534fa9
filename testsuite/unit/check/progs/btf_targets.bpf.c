/*
 * btf_targets.bpf.c - check test object: BTF-attached programs whose targets the kernel
 * does not have: an LSM hook and a BTF tracepoint, each misspelt by one letter.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("lsm/file_opn")
int lsm_typo(void *ctx)
{
	return 0;
}

SEC("tp_btf/sched_switc")
int tp_btf_typo(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
