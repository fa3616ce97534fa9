/*
 * call_ref.c - what helper calls do to references and to the pointers refs owns
 * (check_helper_call() of kernel/bpf/verifier.c, Linux 6.18, for ring buffers and
 * sockets).
 *
 * Before the call: a release argument (bpf_ringbuf_submit/discard, bpf_sk_release) must be
 * a referenced pointer ("R%d must be referenced when passed to release function"), at
 * offset 0 ("R%d must have zero offset when passed to release func or trusted arg to
 * kfunc", "variable %s access var_off=%s disallowed"); the reference is then released,
 * every copy of the pointer becoming an unknown scalar.  bpf_ringbuf_reserve's size must be
 * a known constant ("R%d is not a known constant'").  bpf_tail_call with a reference held
 * is refused ("tail_call would lead to reference leak").
 *
 * After the call, r0: bpf_ringbuf_reserve gives ringbuf_mem_or_null of the reserved size,
 * the socket lookups sock_or_null / sock_common_or_null; these acquire a reference whose
 * id is also the pointer's null-check id.  The casts (bpf_sk_fullsock, bpf_tcp_sock,
 * bpf_skc_to_*) and bpf_dynptr_data return a pointer sharing the reference of their
 * argument, released with it.  bpf_get_listener_sock's socket is not referenced.
 * bpf_kptr_xchg gives back the old object of a `struct S __kptr *` map value field:
 * referenced, maybe NULL, a kernel struct S when bpfcc finds it in the kernel's BTF.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>

#include "verifier/helper_proto.h"
#include "verifier/kfunc.h"
#include "verifier/prog.h"
#include "verifier/ref.h"

static bool is_acquire(int32_t id)
{
	return id == BPF_FUNC_sk_lookup_tcp || id == BPF_FUNC_sk_lookup_udp ||
	       id == BPF_FUNC_skc_lookup_tcp || id == BPF_FUNC_ringbuf_reserve;
}

/* is_ptr_cast_function() and is_dynptr_ref_function() */
static bool is_ref_passing(int32_t id)
{
	switch (id) {
	case BPF_FUNC_tcp_sock:
	case BPF_FUNC_sk_fullsock:
	case BPF_FUNC_skc_to_tcp_sock:
	case BPF_FUNC_skc_to_tcp6_sock:
	case BPF_FUNC_skc_to_udp6_sock:
	case BPF_FUNC_skc_to_mptcp_sock:
	case BPF_FUNC_skc_to_tcp_timewait_sock:
	case BPF_FUNC_skc_to_tcp_request_sock:
	case BPF_FUNC_dynptr_data:
		return true;
	default:
		return false;
	}
}

/* Registers whose kind and reference bpfcc tracks (others pass unchecked). */
static bool reg_ref_modelled(const struct vrf_reg *r)
{
	return r->type == VRF_T_MEM || r->type == VRF_T_SOCKET ||
	       ((r->type == VRF_T_OTHER || r->type == VRF_T_BTF_ID) && r->ref_obj_id);
}

static int check_release_arg(struct vrf_env *env, const struct vrf_helper_proto *p, int regno,
                             const struct vrf_reg *r, int idx)
{
	char d[200], tn[48];

	if (!reg_ref_modelled(r))
		return 0;
	snprintf(d, sizeof(d),
	         "bpf_%s releases the object it is given: pass the pointer the acquiring call "
	         "returned (after its NULL check), unmodified",
	         p->name);
	if (!r->ref_obj_id)
		return env_fault(env, VRF_R_REF_RELEASE, idx, d,
		                 "R%d must be referenced when passed to release function", regno);
	if (r->off)
		return env_fault(env, VRF_R_REF_RELEASE, idx, d,
		                 "R%d must have zero offset when passed to release func or trusted "
		                 "arg to kfunc",
		                 regno);
	if (!tnum_is_const(r->s.var_off) || r->s.var_off.value) {
		tnum_strn(tn, sizeof(tn), r->s.var_off);
		return env_fault(env, VRF_R_REF_RELEASE, idx, d,
		                 "variable %s access var_off=%s disallowed", reg_type_name(r), tn);
	}
	return 0;
}

static uint32_t kptr_field_struct(struct vrf_env *env, const struct vrf_reg *r);

int ref_helper_pre(struct vrf_env *env, const struct bpf_insn *in, int idx, struct ref_call *rc)
{
	const struct vrf_helper_proto *p;
	struct vrf_reg *regs = state_regs(&env->cur);
	int i, err;

	memset(rc, 0, sizeof(*rc));
	if (insn_is_kfunc_call(in))
		return kfunc_call_pre(env, in, idx);
	if (!insn_is_helper_call(in) || !(p = vrf_helper_proto((uint32_t)in->imm)))
		return 0;
	if (in->imm == BPF_FUNC_kptr_xchg)
		rc->kptr_btf_id = kptr_field_struct(env, &regs[BPF_REG_1]);
	for (i = 0; i < p->nargs && i < VRF_HELPER_NARGS; i++) {
		const struct vrf_helper_arg *a = &p->args[i];
		const struct vrf_reg *r = &regs[BPF_REG_1 + i];

		if (r->type != VRF_T_SCALAR && r->type != VRF_T_NOT_INIT && r->ref_obj_id &&
		    !rc->ref_obj_id)
			rc->ref_obj_id = r->ref_obj_id;
		if (a->kind == VRF_ARG_CONST_ALLOC_SIZE_OR_ZERO && r->type == VRF_T_SCALAR &&
		    !r->maybe_ptr) {
			if (!tnum_is_const(r->s.var_off))
				return env_fault(env, VRF_R_HELPER_ARG_SIZE, idx,
				                 "the size of a ring buffer reservation must be a "
				                 "constant the verifier knows",
				                 "R%d is not a known constant'", BPF_REG_1 + i);
			rc->alloc_size = r->s.var_off.value;
			rc->alloc_size_known = true;
		}
		if (a->kind == VRF_ARG_PTR_TO_DYNPTR) {
			err = dynptr_helper_arg(env, in, i, rc, idx);
			if (err)
				return err;
			regs = state_regs(&env->cur);
			continue;
		}
		if (a->flags & VRF_ARGF_OBJ_RELEASE) {
			err = check_release_arg(env, p, BPF_REG_1 + i, r, idx);
			if (err)
				return err;
			if (reg_ref_modelled(r))
				rc->release_regno = BPF_REG_1 + i;
		}
	}
	if (rc->release_regno) {
		const struct vrf_reg *r = &regs[rc->release_regno];

		if (ref_release(env, r->ref_obj_id))
			return env_fault(env, VRF_R_REF_RELEASE, idx,
			                 "the object was already released on this path",
			                 "func %s#%d reference has not been acquired before",
			                 p->name, in->imm);
	}
	if (in->imm == BPF_FUNC_tail_call) {
		/* check_resource_leak(..., "tail_call"): references, then the lock sections */
		err = ref_check_leak(env, idx, "tail_call");
		return err ? err : lock_check_exit(env, idx, "tail_call");
	}
	/* check_helper_call(): a local dynptr only wraps map values */
	if (in->imm == BPF_FUNC_dynptr_from_mem && regs[BPF_REG_1].type != VRF_T_MAP_VALUE &&
	    regs[BPF_REG_1].type != VRF_T_OTHER && !regs[BPF_REG_1].maybe_ptr)
		return env_fault(env, VRF_R_HELPER_ARG_TYPE, idx,
		                 "bpf_dynptr_from_mem takes memory of a map value (not the stack)",
		                 "Unsupported reg type %s for bpf_dynptr_from_mem data",
		                 reg_type_name(&regs[BPF_REG_1]));
	return 0;
}

/*
 * bpf_kptr_xchg(): the kernel struct S of the map value field r points at when the value
 * type (program BTF) declares it `struct S __kptr *`, S found by name in the kernel's BTF
 * (kptr.c: members of a struct value, variables of a global data section); 0 when bpfcc
 * cannot tell.
 */
static uint32_t kptr_field_struct(struct vrf_env *env, const struct vrf_reg *r)
{
	return kptr_xchg_struct(env, r);
}

void ref_helper_post(struct vrf_env *env, const struct bpf_insn *in, int idx,
                     const struct ref_call *rc)
{
	const struct vrf_helper_proto *p;
	struct vrf_reg *r0 = &state_regs(&env->cur)[BPF_REG_0];

	if (insn_is_kfunc_call(in)) {
		kfunc_call_post(env, in, idx);
		return;
	}
	if (!insn_is_helper_call(in) || !(p = vrf_helper_proto((uint32_t)in->imm)))
		return;
	switch (p->ret.kind) {
	case VRF_RET_PTR_TO_SOCKET:
		r0->type = VRF_T_SOCKET;
		r0->sock_kind = VRF_SK_SOCKET;
		break;
	case VRF_RET_PTR_TO_SOCK_COMMON:
		r0->type = VRF_T_SOCKET;
		r0->sock_kind = VRF_SK_COMMON;
		break;
	case VRF_RET_PTR_TO_TCP_SOCK:
		r0->type = VRF_T_SOCKET;
		r0->sock_kind = VRF_SK_TCP;
		break;
	case VRF_RET_PTR_TO_MEM:
		if ((in->imm != BPF_FUNC_ringbuf_reserve && in->imm != BPF_FUNC_dynptr_data) ||
		    !rc->alloc_size_known)
			break;
		r0->type = VRF_T_MEM;
		r0->flags = in->imm == BPF_FUNC_ringbuf_reserve ? VRF_RF_RINGBUF : 0;
		r0->mem_size = (uint32_t)rc->alloc_size;
		break;
	default:
		break;
	}
	/* bpf_kptr_xchg(): the old object, referenced, maybe NULL (a kernel struct bpfcc
	 * found; otherwise r0 stays what the prototype made it) */
	if (in->imm == BPF_FUNC_kptr_xchg && rc->kptr_btf_id) {
		uint32_t id = ref_acquire(env, idx, VRF_REF_PTR);

		mem_btf_set_ptr(r0, rc->kptr_btf_id, VRF_RF_TRUSTED);
		r0->maybe_null = 1;
		r0->id = id;
		r0->ref_obj_id = id;
		return;
	}
	if (is_ref_passing(in->imm)) {
		r0->ref_obj_id = rc->ref_obj_id;
	} else if (is_acquire(in->imm) || (in->imm == BPF_FUNC_map_lookup_elem &&
	                                   (mem_map_type(env, r0) == BPF_MAP_TYPE_SOCKMAP ||
	                                    mem_map_type(env, r0) == BPF_MAP_TYPE_SOCKHASH))) {
		/* is_acquire_function(): a sockmap or sockhash lookup takes a reference on
		 * the socket */
		uint32_t id = ref_acquire(env, idx, VRF_REF_PTR);

		r0->id = id;
		r0->ref_obj_id = id;
	}
}
