/*
 * prog_exit.c - what r0 may hold when the main program exits (check_return_code() in
 * kernel/bpf/verifier.c, Linux 6.18).
 *
 * Program types whose return value the kernel acts on (cgroup hooks, sock_ops, sk_lookup,
 * netfilter, iterators, kprobe/uprobe sessions, fentry/fexit) demand that r0 lies in a range
 * at the exit of the main program; the range depends on the expected attach type too
 * (cgroup_skb egress may return 0..3 for congestion notification, the recvmsg and
 * getpeername sock_addr hooks must return 1).  The ranges are prog_return.def, probed from
 * the running kernel (ctx_access.h).  The kernel judges the signed 64-bit bounds of r0:
 * "return -EPERM" from an int function is the 32-bit -1, zero-extended to 4294967295, and
 * refused as
 *     At program exit the register R0 has smin=4294967295 smax=4294967295 should have been in [0,
 * 1] A pointer in r0 is refused before its value is looked at ("... R0 is not a known value
 * (ctx)").  Types without a range (socket filters, XDP, tc, plain kprobes and tracepoints)
 * take anything.  Global functions verified on their own are not main programs: their exit
 * is the calls rules' business.
 *
 * Permissive: a pair the table does not know or did not probe (LSM hooks, struct_ops,
 * freplace), a value that may hide a pointer bpfcc does not model.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "check/check.h"
#include "verifier/ctx_access.h"
#include "verifier/prog.h"

int32_t prog_attach_type(const struct vrf_env *env)
{
	if (env->opts && (env->opts->flags & VRF_F_ATTACH_TYPE))
		return env->opts->expected_attach_type;
	return CHECK_ATTACH_NONE;
}

/* The range r0 must lie in: 1 with *out filled, 0 when the kernel takes any value or bpfcc
 * does not know the rule. */
static int exit_range(const struct vrf_env *env, struct vrf_ret_range *out)
{
	int32_t attach = prog_attach_type(env);

	if (vrf_prog_return_range((uint32_t)env->ienv.prog_type, attach, out) < 0)
		return 0;
	if (out->kind == VRF_RET_NOT_PROBED && env->ienv.prog_type == BPF_PROG_TYPE_TRACING &&
	    (attach == BPF_TRACE_FENTRY || attach == BPF_TRACE_FEXIT)) {
		/* not loadable under lockdown, so not probed: fentry/fexit must return 0 */
		*out = (struct vrf_ret_range){VRF_RET_RANGE, 0, 0, 64};
		return 1;
	}
	return out->kind == VRF_RET_RANGE && out->bits == 64;
}

int prog_exit_check_return(struct vrf_env *env, int idx)
{
	const struct vrf_state *st = &env->cur;
	const struct vrf_reg *r0 = &st->frame[0]->regs[BPF_REG_0];
	struct vrf_ret_range range;
	char has[96];
	int len = 0;

	if (st->curframe != 0 || st->frame[0]->subprog != 0 || !exit_range(env, &range))
		return 0;
	if (r0->type != VRF_T_SCALAR)
		return env_fault(env, VRF_R_RETURN_CODE, idx,
		                 "this program type returns a verdict: r0 must hold a number at "
		                 "exit, not a pointer",
		                 "At program exit the register R0 is not a known value (%s)",
		                 reg_type_name(r0));
	if (r0->maybe_ptr)
		return 0;
	if (r0->s.smin >= range.lo && r0->s.smax <= range.hi)
		return 0;
	has[0] = '\0';
	if (r0->s.smin > INT64_MIN)
		len += snprintf(has + len, sizeof(has) - (size_t)len, " smin=%" PRId64, r0->s.smin);
	if (r0->s.smax < INT64_MAX)
		len += snprintf(has + len, sizeof(has) - (size_t)len, " smax=%" PRId64, r0->s.smax);
	if (!len)
		snprintf(has, sizeof(has), " unknown scalar value");
	return env_fault(env, VRF_R_RETURN_CODE, idx,
	                 "this program type must return a value in the range the kernel "
	                 "expects for its hook (hint: cgroup programs return 1 to allow and 0 to "
	                 "deny, not an errno)",
	                 "At program exit the register R0 has%s should have been in [%d, %d]", has,
	                 (int)range.lo, (int)range.hi);
}
