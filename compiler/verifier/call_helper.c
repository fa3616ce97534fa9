/*
 * call_helper.c - checks on helper calls (check_helper_call()): the helper id must be one
 * the kernel knows.  libbpf poisons an instruction whose CO-RE relocation failed by
 * turning it into "call 0xbad2310"; the kernel refuses it only if a path reaches it (dead
 * code is removed), and libbpf then rewrites the log into "failed to resolve CO-RE
 * relocation".  The kernel's own line is "invalid func unknown#195896080".
 *
 * Arguments (check_func_arg()): each argument register must be initialised ("R%d
 * !read_ok") and of a type the argument accepts ("R%d type=%s expected=%s", the list as
 * the running kernel printed it when probed).  Registers whose kind is not modelled (other
 * pointers, numbers that may hide a pointer, map values that may be inner maps or sockets)
 * are let through.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "verifier/call.h"
#include "verifier/helper_proto.h"
#include "verifier/insn.h"

int call_check_helper_id(struct vrf_env *env, const struct bpf_insn *in, int idx)
{
	if (!insn_is_helper_call(in) || (in->imm >= 0 && in->imm < VRF_HELPER_ID_END))
		return 0;
	if (in->imm == VRF_CORE_POISON_IMM)
		return env_fault(
		    env, VRF_R_HELPER_ID, idx,
		    "libbpf poisoned this instruction (call 0xbad2310): a CO-RE relocation "
		    "failed against the running kernel's BTF, and a path reaches it",
		    "invalid func unknown#%d", in->imm);
	return env_fault(env, VRF_R_HELPER_ID, idx,
	                 "the call names a helper id the running kernel does not have",
	                 "invalid func unknown#%d", in->imm);
}

/* Whether name is one of the ", "-separated names of list. */
static bool list_has(const char *list, const char *name)
{
	size_t n = strlen(name);

	while (*list) {
		const char *end = strchr(list, ',');
		size_t len = end ? (size_t)(end - list) : strlen(list);

		if (len == n && strncmp(list, name, n) == 0)
			return true;
		if (!end)
			break;
		list = end + 1;
		while (*list == ' ')
			list++;
	}
	return false;
}

/* The register's type as check_reg_type() compares it; NULL when not modelled. */
static const char *arg_type_name(struct vrf_env *env, const struct vrf_reg *r,
                                 const struct vrf_helper_arg *a)
{
	if (r->type == VRF_T_OTHER || (r->type == VRF_T_SCALAR && r->maybe_ptr))
		return NULL;
	/* what a lookup returned may be an inner map (map-in-map) or a socket (sockmap):
	 * only its NULL-ness is sure, and a maybe-NULL pointer fits no argument that is not
	 * itself maybe-NULL; a value of a known plain map (hash, array, ...) is a map value
	 * (e.g. a map value given to bpf_ringbuf_submit: "R1 type=map_value
	 * expected=ringbuf_mem") */
	if (r->type == VRF_T_MAP_VALUE) {
		if (r->maybe_null && !(a->flags & VRF_ARGF_MAYBE_NULL))
			return reg_type_name(r);
		return !r->maybe_null && mem_map_value_is_plain(env, r) ? reg_type_name(r) : NULL;
	}
	/* kernel objects are not modelled; a socket may be a sockmap value */
	if (r->type == VRF_T_BTF_ID ||
	    (r->type == VRF_T_SOCKET && a->kind == VRF_ARG_PTR_TO_MAP_VALUE))
		return NULL;
	if (r->type == VRF_T_MEM || r->type == VRF_T_SOCKET) {
		/* check_reg_type() drops the flags the argument allows before comparing */
		struct vrf_reg t = *r;

		if (a->flags & VRF_ARGF_MAYBE_NULL)
			t.maybe_null = 0;
		if (a->flags & VRF_ARGF_MEM_RDONLY)
			t.flags &= (uint8_t)~VRF_RF_RDONLY;
		return reg_type_name(&t);
	}
	return reg_type_name(r);
}

/* BPF_MAX_VAR_SIZ: the largest size a helper may be given */
#define VRF_MAX_VAR_SIZE (1ull << 29)

/*
 * check_mem_size_reg(): a size argument (ARG_CONST_SIZE[_OR_ZERO]) held in a scalar must
 * not be negative, may be zero only for _OR_ZERO, and must be bounded.
 */
static int check_size_arg(struct vrf_env *env, const struct vrf_helper_proto *p, int i,
                          const struct vrf_reg *r, int idx)
{
	const struct vrf_helper_arg *a = &p->args[i];
	char d[160];

	if ((a->kind != VRF_ARG_CONST_SIZE && a->kind != VRF_ARG_CONST_SIZE_OR_ZERO) ||
	    r->type != VRF_T_SCALAR || r->maybe_ptr)
		return 0;
	snprintf(d, sizeof(d),
	         "the size given to bpf_%s (argument %d) must be known to lie in "
	         "[%d, 2^29)",
	         p->name, i + 1, a->kind == VRF_ARG_CONST_SIZE);
	if (r->s.smin < 0)
		return env_fault(env, VRF_R_HELPER_ARG_SIZE, idx, d,
		                 "R%d min value is negative, either use unsigned or 'var &= const'",
		                 i + 1);
	if (r->s.umin == 0 && a->kind == VRF_ARG_CONST_SIZE)
		return env_fault(env, VRF_R_HELPER_ARG_SIZE, idx, d,
		                 "R%d invalid zero-sized read: u64=[%llu,%llu]", i + 1,
		                 (unsigned long long)r->s.umin, (unsigned long long)r->s.umax);
	if (r->s.umax >= VRF_MAX_VAR_SIZE)
		return env_fault(env, VRF_R_HELPER_ARG_SIZE, idx, d,
		                 "R%d unbounded memory access, use 'var &= const' or 'if (var < "
		                 "const)'",
		                 i + 1);
	return 0;
}

/* check_reg_type(): the register is of a type the argument accepts (as probed). */
static int check_arg_type(struct vrf_env *env, const struct vrf_helper_proto *p, int i,
                          const struct vrf_reg *r, int idx)
{
	const struct vrf_helper_arg *a = &p->args[i];
	const char *name;
	char d[160];

	if (!a->accepts || !a->accepts[0] || a->src != VRF_PROTO_PROBE)
		return 0;
	name = arg_type_name(env, r, a);
	if (!name || list_has(a->accepts, name))
		return 0;
	/* a NULL constant where the argument may be NULL (register_is_null) */
	if (r->type == VRF_T_SCALAR && (a->flags & VRF_ARGF_MAYBE_NULL) &&
	    tnum_is_const(r->s.var_off) && r->s.var_off.value == 0)
		return 0;
	snprintf(d, sizeof(d), "argument %d of bpf_%s must be %s; r%d is %s", i + 1, p->name,
	         a->accepts, i + 1, name);
	return env_fault(env, VRF_R_HELPER_ARG_TYPE, idx, d, "R%d type=%s expected=%s", i + 1, name,
	                 a->accepts);
}

/*
 * Helpers whose bpf_func_proto has no .pkt_access, as the running kernel showed by
 * refusing a checked packet pointer in their buffer argument ("helper access to the packet
 * is not allowed": gen/protos-6.18.txt, 'pkt' lines).  The refusal is applied to these
 * only: a zero pkt_access read from the source alone may be a gap of the source list
 * (bpf_tcp_gen_syncookie takes packet pointers), and a false refusal is worse.
 */
static const uint16_t pkt_refusing_helpers[] = {6,   9,   16,  20,  21,  25,  26,  29,  30,  55,
                                                66,  68,  69,  88,  89,  105, 106, 112, 113, 114,
                                                115, 120, 130, 149, 152, 163, 164, 165, 176, 177,
                                                181, 182, 189, 190, 197, 198, 201, 202, 209};

/* check_func_arg(): a packet pointer for a helper without pkt_access
 * (may_access_direct_pkt_data() with the call's meta), before the argument's type. */
static int check_pkt_arg(struct vrf_env *env, const struct vrf_helper_proto *p, int i,
                         const struct vrf_reg *r, int idx)
{
	size_t k;

	if (p->pkt_access || p->args[i].kind == VRF_ARG_ANYTHING ||
	    (r->type != VRF_T_PACKET && r->type != VRF_T_PACKET_META))
		return 0;
	for (k = 0; k < sizeof(pkt_refusing_helpers) / sizeof(pkt_refusing_helpers[0]); k++)
		if (pkt_refusing_helpers[k] == p->id)
			return env_fault(env, VRF_R_HELPER_ARG_TYPE, idx,
			                 "this helper may not read or write the packet directly; "
			                 "copy the bytes to the stack first (bpf_skb_load_bytes "
			                 "or a bounded loop)",
			                 "helper access to the packet is not allowed");
	return 0;
}

int call_check_helper_args(struct vrf_env *env, const struct bpf_insn *in, int idx)
{
	const struct vrf_helper_proto *p;
	int i, err;

	if (!insn_is_helper_call(in) || !(p = vrf_helper_proto((uint32_t)in->imm)))
		return 0;
	for (i = 0; i < p->nargs && i < VRF_HELPER_NARGS; i++) {
		const struct vrf_helper_arg *a = &p->args[i];
		/* fetched each time: a helper writing the stack may grow (move) the frame */
		const struct vrf_reg *r = &state_regs(&env->cur)[BPF_REG_1 + i];

		if (a->kind == VRF_ARG_DONTCARE || a->kind == VRF_ARG_UNKNOWN)
			continue;
		err = transfer_check_read(env, BPF_REG_1 + i, idx);
		if (!err)
			err = check_pkt_arg(env, p, i, r, idx);
		if (!err)
			err = check_size_arg(env, p, i, r, idx);
		if (!err)
			err = check_arg_type(env, p, i, r, idx);
		/* check_func_arg_reg_off(): a context pointer is passed unmodified where
		 * the argument is the context (ARG_ANYTHING takes any value as it is) */
		if (!err && r->type == VRF_T_CTX && a->kind == VRF_ARG_PTR_TO_CTX)
			err = mem_ctx_ptr_unmodified(env, r, BPF_REG_1 + i, idx);
		/* the memory the argument reaches (call_mem.c) */
		if (!err)
			err = call_mem_check_arg(env, p, i, idx);
		if (err)
			return err;
	}
	/* check_helper_call(): bpf_get_local_storage's flags are a known zero */
	if (in->imm == BPF_FUNC_get_local_storage) {
		const struct vrf_reg *r2 = &state_regs(&env->cur)[BPF_REG_2];

		if (r2->type != VRF_T_SCALAR || r2->maybe_ptr ||
		    !tnum_equals_const(r2->s.var_off, 0))
			return env_fault(env, VRF_R_HELPER_FLAGS, idx,
			                 "bpf_get_local_storage takes no flags: its second "
			                 "argument must be 0",
			                 "get_local_storage() doesn't support non-zero flags");
	}
	return 0;
}
