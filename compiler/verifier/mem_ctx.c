/*
 * mem_ctx.c - loads and stores through the context pointer (r1 at entry).
 *
 * Models check_mem_access() for PTR_TO_CTX in kernel/bpf/verifier.c: the pointer must be
 * unmodified (__check_ptr_off_reg(): "negative offset ctx ptr ...", "dereference of
 * modified ctx ptr ...", "variable ctx access var_off=... disallowed"), then the program
 * type's is_valid_access() decides the offset and size (check_ctx_access(), answered here
 * by the table the live kernel produced, ctx_access.h), and a read yields the register
 * type that callback names: packet pointers for data / data_end / data_meta, a scalar
 * zero-extended by the access size for plain fields.  check_atomic_rmw() refuses every
 * read-modify-write atomic on a context or packet pointer ("BPF_ATOMIC stores into R%d
 * ctx is not allowed").
 *
 * Permissive where we cannot know: program types or attach types the table has no answer
 * for, tracing programs (the table holds for the one BTF target it was probed on), offsets outside
 * the probed range, sign-extending loads, unprivileged loads (the table was probed with CAP_BPF),
 * and fields that yield pointers we do not model (sockets, BTF objects): those reads give a value
 * memory accesses through which are not refused.
 */
#include <errno.h>
#include <stdio.h>

#include "check/check.h"
#include "verifier/ctx_access.h"
#include "verifier/prog.h"
#include "verifier/state.h"

static int32_t ctx_attach_type(const struct vrf_env *env)
{
	if (env->opts && (env->opts->flags & VRF_F_ATTACH_TYPE))
		return env->opts->expected_attach_type;
	return CHECK_ATTACH_NONE;
}

/* __check_ptr_off_reg(reg, regno, fixed_off_ok = false) for a context pointer. */
int mem_ctx_ptr_unmodified(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int idx)
{
	const char *d = "the context pointer is dereferenced after it was moved; the kernel "
	                "rewrites context accesses and needs the unmodified r1 (hint: keep the "
	                "offset in the load, `*(u32 *)(ctx + 4)`, not in the pointer)";
	char tn[48];

	if (ptr->off < 0)
		return env_fault(env, VRF_R_CTX_PTR_OFFSET, idx, d,
		                 "negative offset ctx ptr R%d off=%d disallowed", regno, ptr->off);
	if (ptr->off)
		return env_fault(env, VRF_R_CTX_PTR_OFFSET, idx, d,
		                 "dereference of modified ctx ptr R%d off=%d disallowed", regno,
		                 ptr->off);
	if (!tnum_is_const(ptr->s.var_off) || ptr->s.var_off.value) {
		tnum_strn(tn, sizeof(tn), ptr->s.var_off);
		return env_fault(env, VRF_R_CTX_PTR_OFFSET, idx, d,
		                 "variable ctx access var_off=%s disallowed", tn);
	}
	return 0;
}

/* The register a read of field f leaves (mark_reg_unknown / mark_reg_known_zero + type). */
static void ctx_read_result(struct vrf_env *env, const struct vrf_ctx_field *f, int size,
                            struct vrf_reg *dst)
{
	reg_mark_unknown(dst);
	switch (f->kind) {
	case VRF_CTXK_SCALAR:
		if (size < 8)
			scalar_coerce(&dst->s, size);
		return;
	case VRF_CTXK_PKT:
	case VRF_CTXK_PKT_END:
	case VRF_CTXK_PKT_META:
		if (f->flags & VRF_CTXF_OR_NULL)
			break;
		reg_mark_const(dst, 0);
		dst->type = f->kind == VRF_CTXK_PKT       ? VRF_T_PACKET
		            : f->kind == VRF_CTXK_PKT_END ? VRF_T_PACKET_END
		                                          : VRF_T_PACKET_META;
		return;
	case VRF_CTXK_SOCK:
	case VRF_CTXK_SOCK_COMMON:
	case VRF_CTXK_TCP_SOCK:
		/* skb->sk is sock_common_or_null, sk_msg's sk a sock, ...: a socket whose
		 * NULL check covers every copy (a fresh id) */
		reg_mark_const(dst, 0);
		dst->type = VRF_T_SOCKET;
		dst->sock_kind = f->kind == VRF_CTXK_SOCK          ? VRF_SK_SOCKET
		                 : f->kind == VRF_CTXK_SOCK_COMMON ? VRF_SK_COMMON
		                                                   : VRF_SK_TCP;
		dst->maybe_null = (f->flags & VRF_CTXF_OR_NULL) != 0;
		dst->id = dst->maybe_null ? ++env->id_gen : 0;
		return;
	default:
		break;
	}
	/* a pointer kind not modelled: a value memory accesses through are not refused */
	dst->maybe_ptr = 1;
}

int mem_ctx_access(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int off, int size,
                   int mode, bool sx, struct vrf_reg *dst, int idx)
{
	struct vrf_ctx_config cfg;
	struct vrf_ctx_field f;
	char msg[128];
	int err, r;

	if (dst) {
		reg_mark_unknown(dst);
		if (size < 8) {
			if (sx)
				scalar_coerce_sx(&dst->s, size);
			else
				scalar_coerce(&dst->s, size);
		}
		/* unknown: what the kernel types this field as */
		dst->maybe_ptr = !sx && env->ienv.prog_type != BPF_PROG_TYPE_SOCKET_FILTER;
	}
	err = mem_ctx_ptr_unmodified(env, ptr, regno, idx);
	if (err)
		return err;
	/* every program type's is_valid_access() refuses a negative offset */
	if (off < 0)
		return env_fault(env, VRF_R_CTX_ACCESS, idx,
		                 "a context field is read or written before the start of the "
		                 "context (hint: use the fields of the uapi context struct)",
		                 "invalid bpf_context access off=%d size=%d", off, size);
	if ((env->ienv.flags & VRF_F_UNPRIV) || sx)
		return 0;
	/* tracing: the table holds for one BTF target, not necessarily this program's; the
	 * arguments are typed from the program's own target (mem_btf.c) */
	if (vrf_ctx_config((uint32_t)env->ienv.prog_type, ctx_attach_type(env), &cfg) < 0 ||
	    cfg.btf_target) {
		if (mode == VRF_CTX_READ)
			mem_btf_ctx_arg(env, off, size, dst);
		return 0;
	}
	r = vrf_ctx_access((uint32_t)env->ienv.prog_type, ctx_attach_type(env), off, size,
	                   (enum vrf_ctx_mode)mode, &f);
	if (r < 0)
		return 0; /* the table does not know: permissive */
	if (r == 0) {
		if (vrf_ctx_deny_format(&f, off, size, msg, sizeof(msg)) < 0)
			return 0;
		return env_fault(env, VRF_R_CTX_ACCESS, idx,
		                 "the program type does not allow this access to its context at "
		                 "this offset and size (hint: use the fields of the uapi context "
		                 "struct at their declared size)",
		                 "%s", msg);
	}
	if (dst)
		ctx_read_result(env, &f, size, dst);
	return 0;
}

int mem_atomic_ptr_check(struct vrf_env *env, int regno, int idx)
{
	const struct vrf_reg *r = &state_regs(&env->cur)[regno];

	if (r->type != VRF_T_CTX && r->type != VRF_T_PACKET && r->type != VRF_T_PACKET_META)
		return 0;
	return env_fault(env, VRF_R_ATOMIC_PTR, idx,
	                 "atomic read-modify-write instructions are not allowed on context or "
	                 "packet memory (hint: load, modify and store the field instead)",
	                 "BPF_ATOMIC stores into R%d %s is not allowed", regno, reg_type_name(r));
}
