/*
 * cgroup_sockopt_guard.bpf.c - cgroup setsockopt/getsockopt hooks: setsockopt caps
 * SO_SNDBUF requests from the cgroup by rewriting the option in place, getsockopt
 * hides a value; both check optval against optval_end before touching it.  Models the
 * sockopt context's optval/optval_end packet-like pointers and the writable retval.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define SOL_SOCKET 1
#define SO_SNDBUF 7
#define SO_MARK 36
#define SNDBUF_CAP (4 << 20)

SEC("cgroup/setsockopt")
__success
int cap_sndbuf(struct bpf_sockopt *ctx)
{
	int *optval = ctx->optval;
	void *optval_end = ctx->optval_end;

	if (ctx->level != SOL_SOCKET || ctx->optname != SO_SNDBUF)
		return 1;
	if ((void *)(optval + 1) > optval_end)
		return 1;
	if (*optval > SNDBUF_CAP)
		*optval = SNDBUF_CAP;
	return 1;
}

SEC("cgroup/getsockopt")
__success
int hide_mark(struct bpf_sockopt *ctx)
{
	__u32 *optval = ctx->optval;
	void *optval_end = ctx->optval_end;

	if (ctx->level != SOL_SOCKET || ctx->optname != SO_MARK)
		return 1;
	if ((void *)(optval + 1) > optval_end)
		return 1;
	*optval = 0;
	ctx->retval = 0;
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
