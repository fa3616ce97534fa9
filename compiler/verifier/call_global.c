/*
 * call_global.c - global functions (BTF FUNC linkage global), as kernel/bpf/verifier.c of
 * Linux 6.18 verifies them (check_func_call(), btf_prepare_func_args(),
 * do_check_subprogs()).
 *
 * A static function is verified inline, once per call with the caller's values.  A global
 * one is verified once, on its own, from its BTF prototype: each argument is what its type
 * says, not what a caller passes - an integer is an unknown number, a pointer to the
 * program's context type is the context, and any other pointer to a sized type is memory
 * of that size that may be NULL ("mem_or_null": loads need a NULL test first).  At a call
 * the kernel checks the prototype (an integer result, at most five arguments: else
 * "Caller passes invalid args into func#%d ('%s')") and goes on with r1-r5 cleared and r0
 * an unknown number.  Global functions are verified after the
 * entry function, each the first time a call to it was reached, and the functions those
 * call in turn.
 *
 * bpfcc only types what it is sure of: pointers whose parameter carries a decl tag
 * (__arg_ctx, __arg_nonnull, __arg_trusted ...), pointers to context or tracing types of
 * other program types, to void or to types of unknown size stay opaque (nothing is
 * checked through them).  At the call site, integer and context parameters are checked
 * against what the caller passes ("Caller passes invalid args into func#%d"), memory
 * parameters only against pointers that are never memory (the context, a map).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>

#include "verifier/calls.h"
#include "verifier/pkt.h"
#include "verifier/prog.h"

/* The context type a pointer argument must point to, per program type (the user-side
 * type of bpf_ctx_convert). */
static const struct {
	enum bpf_prog_type type;
	const char *name;
} glob_ctx_types[] = {
    {BPF_PROG_TYPE_SOCKET_FILTER, "__sk_buff"},
    {BPF_PROG_TYPE_SCHED_CLS, "__sk_buff"},
    {BPF_PROG_TYPE_SCHED_ACT, "__sk_buff"},
    {BPF_PROG_TYPE_CGROUP_SKB, "__sk_buff"},
    {BPF_PROG_TYPE_LWT_IN, "__sk_buff"},
    {BPF_PROG_TYPE_LWT_OUT, "__sk_buff"},
    {BPF_PROG_TYPE_LWT_XMIT, "__sk_buff"},
    {BPF_PROG_TYPE_LWT_SEG6LOCAL, "__sk_buff"},
    {BPF_PROG_TYPE_SK_SKB, "__sk_buff"},
    {BPF_PROG_TYPE_FLOW_DISSECTOR, "__sk_buff"},
    {BPF_PROG_TYPE_XDP, "xdp_md"},
    {BPF_PROG_TYPE_KPROBE, "pt_regs"},
    {BPF_PROG_TYPE_PERF_EVENT, "bpf_perf_event_data"},
    {BPF_PROG_TYPE_CGROUP_SOCK, "bpf_sock"},
    {BPF_PROG_TYPE_CGROUP_SOCK_ADDR, "bpf_sock_addr"},
    {BPF_PROG_TYPE_SOCK_OPS, "bpf_sock_ops"},
    {BPF_PROG_TYPE_SK_MSG, "sk_msg_md"},
    {BPF_PROG_TYPE_SK_LOOKUP, "bpf_sk_lookup"},
    {BPF_PROG_TYPE_CGROUP_SYSCTL, "bpf_sysctl"},
    {BPF_PROG_TYPE_CGROUP_SOCKOPT, "bpf_sockopt"},
    {BPF_PROG_TYPE_CGROUP_DEVICE, "bpf_cgroup_dev_ctx"},
    {BPF_PROG_TYPE_RAW_TRACEPOINT, "bpf_raw_tracepoint_args"},
    {BPF_PROG_TYPE_SK_REUSEPORT, "sk_reuseport_md"},
};

/* Struct names that are some program type's context (user or kernel side): never typed
 * as plain memory. */
static const char *const glob_ctx_like[] = {
    "__sk_buff",
    "sk_buff",
    "xdp_md",
    "xdp_buff",
    "pt_regs",
    "user_pt_regs",
    "bpf_perf_event_data",
    "bpf_perf_event_data_kern",
    "bpf_sock",
    "sock",
    "bpf_sock_addr",
    "bpf_sock_addr_kern",
    "bpf_sock_ops",
    "bpf_sock_ops_kern",
    "sk_msg_md",
    "sk_msg",
    "bpf_sk_lookup",
    "bpf_sk_lookup_kern",
    "bpf_sysctl",
    "bpf_sysctl_kern",
    "bpf_sockopt",
    "bpf_sockopt_kern",
    "bpf_cgroup_dev_ctx",
    "bpf_raw_tracepoint_args",
    "sk_reuseport_md",
    "sk_reuseport_kern",
    "bpf_nf_ctx",
    "bpf_flow_keys",
    "bpf_dynptr",
    "bpf_iter_meta",
};

enum glob_arg {
	GLOB_ARG_NONE, /* no such parameter: register not initialised */
	GLOB_ARG_SCALAR,
	GLOB_ARG_CTX,
	GLOB_ARG_MEM_OR_NULL,
	GLOB_ARG_OPAQUE, /* a pointer bpfcc does not type */
};

static const struct btf_type *glob_skip_mods(const struct btf *btf, uint32_t *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);
	int guard = 0;

	while (t && (btf_is_mod(t) || btf_is_typedef(t)) && guard++ < 32) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

/* The global function's FUNC type starting at insn, NULL when it is static or unknown. */
static const struct btf_type *glob_func(const struct vrf_env *env, int insn, uint32_t *func_id)
{
	const struct vrf_options *o = env->opts;
	const struct btf_type *t;
	uint32_t id;

	if (!o || !o->prog_btf || !o->func_fn || insn <= 0)
		return NULL;
	id = o->func_fn(o->func_ctx, (size_t)insn);
	t = id ? btf__type_by_id(o->prog_btf, id) : NULL;
	if (!t || !btf_is_func(t) || btf_vlen(t) != BTF_FUNC_GLOBAL)
		return NULL;
	*func_id = id;
	return t;
}

/* Does a decl tag (__arg_ctx, __arg_nonnull, ...) name parameter `arg` of func_id? */
static bool glob_arg_tagged(const struct btf *btf, uint32_t func_id, int arg)
{
	uint32_t i, n = btf__type_cnt(btf);

	for (i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i);

		if (t && btf_is_decl_tag(t) && t->type == func_id &&
		    btf_decl_tag(t)->component_idx == arg)
			return true;
	}
	return false;
}

/* Does parameter `arg` of func_id carry the decl tag `tag` ("arg:trusted", ...)? */
static bool glob_arg_has_tag(const struct btf *btf, uint32_t func_id, int arg, const char *tag)
{
	uint32_t i, n = btf__type_cnt(btf);

	for (i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i);
		const char *name;

		if (!t || !btf_is_decl_tag(t) || t->type != func_id ||
		    btf_decl_tag(t)->component_idx != arg)
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		if (name && strcmp(name, tag) == 0)
			return true;
	}
	return false;
}

/*
 * A parameter tagged __arg_trusted (btf_prepare_func_args(): PTR_TO_BTF_ID | PTR_TRUSTED,
 * maybe NULL with __arg_nullable): the id of its struct in the kernel's BTF (the local
 * name without a ___flavour suffix), 0 when not such a parameter or not found.
 */
static uint32_t glob_trusted_arg(const struct vrf_env *env, uint32_t func_id, int arg,
                                 uint32_t type_id, bool *nullable)
{
	const struct btf *btf = env->opts->prog_btf, *kbtf = env->opts->kernel_btf;
	const struct btf_type *t;
	const char *name, *flavour;
	char local[128];
	int id;

	if (!kbtf || !glob_arg_has_tag(btf, func_id, arg, "arg:trusted"))
		return 0;
	t = glob_skip_mods(btf, &type_id);
	if (!t || !btf_is_ptr(t))
		return 0;
	type_id = t->type;
	t = glob_skip_mods(btf, &type_id);
	if (!t || !btf_is_struct(t))
		return 0;
	name = btf__name_by_offset(btf, t->name_off);
	if (!name || !name[0])
		return 0;
	snprintf(local, sizeof(local), "%s", name);
	flavour = strstr(local, "___");
	if (flavour)
		local[flavour - local] = '\0';
	id = btf__find_by_name_kind(kbtf, local, BTF_KIND_STRUCT);
	if (id <= 0)
		return 0;
	*nullable = glob_arg_has_tag(btf, func_id, arg, "arg:nullable");
	return (uint32_t)id;
}

static bool glob_is_prog_ctx(const struct vrf_env *env, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(glob_ctx_types) / sizeof(glob_ctx_types[0]); i++)
		if (glob_ctx_types[i].type == env->ienv.prog_type &&
		    strcmp(glob_ctx_types[i].name, name) == 0)
			return true;
	return false;
}

static bool glob_is_ctx_like(const char *name)
{
	size_t i;

	if (strncmp(name, "trace_event_raw_", 16) == 0 || strncmp(name, "bpf_iter__", 10) == 0)
		return true;
	for (i = 0; i < sizeof(glob_ctx_like) / sizeof(glob_ctx_like[0]); i++)
		if (strcmp(glob_ctx_like[i], name) == 0)
			return true;
	return false;
}

/* btf_prepare_func_args() for one parameter; *size: the memory size of a MEM argument. */
static enum glob_arg glob_classify(const struct vrf_env *env, uint32_t func_id, int arg,
                                   uint32_t type_id, uint32_t *size)
{
	const struct btf *btf = env->opts->prog_btf;
	const struct btf_type *t = glob_skip_mods(btf, &type_id), *p;
	uint32_t pid;
	const char *name;
	long sz;

	if (!t)
		return GLOB_ARG_OPAQUE;
	if (btf_is_int(t) || btf_is_any_enum(t))
		return GLOB_ARG_SCALAR;
	if (!btf_is_ptr(t) || glob_arg_tagged(btf, func_id, arg))
		return GLOB_ARG_OPAQUE;
	pid = t->type;
	/* kprobe's bpf_user_pt_regs_t is a typedef: look before skipping typedefs */
	p = btf__type_by_id(btf, pid);
	if (p && btf_is_typedef(p) && env->ienv.prog_type == BPF_PROG_TYPE_KPROBE &&
	    strcmp(btf__name_by_offset(btf, p->name_off), "bpf_user_pt_regs_t") == 0)
		return GLOB_ARG_CTX;
	p = glob_skip_mods(btf, &pid);
	if (!p || !pid)
		return GLOB_ARG_OPAQUE; /* void * */
	if (btf_is_composite(p)) {
		name = btf__name_by_offset(btf, p->name_off);
		/* an anonymous struct is never a context (btf_get_prog_ctx_type(): "struct
		 * doesn't have a name"): plain memory */
		if (name && !name[0])
			name = NULL;
		if (name && glob_is_prog_ctx(env, name))
			return GLOB_ARG_CTX;
		if (name && glob_is_ctx_like(name))
			return GLOB_ARG_OPAQUE;
	} else if (!btf_is_int(p) && !btf_is_any_enum(p) && !btf_is_array(p)) {
		return GLOB_ARG_OPAQUE;
	}
	sz = btf__resolve_size(btf, pid);
	if (sz <= 0 || sz > (1l << 29))
		return GLOB_ARG_OPAQUE;
	*size = (uint32_t)sz;
	return GLOB_ARG_MEM_OR_NULL;
}

bool calls_is_global(const struct vrf_env *env, int insn)
{
	uint32_t id;
	int sp;

	if (!env->calls || !glob_func(env, insn, &id))
		return false;
	sp = calls_subprog_of(env, insn);
	return sp > 0 && env->calls->cfg->subprogs[sp].start == insn;
}

/* btf_prepare_func_args(): a global function returns an integer ("Global function %s()
 * doesn't return scalar. Only those are supported.") and takes at most 5 arguments. */
static bool glob_signature_ok(const struct vrf_env *env, const struct btf_type *fn)
{
	const struct btf *btf = env->opts->prog_btf;
	const struct btf_type *proto = btf__type_by_id(btf, fn->type), *ret;
	uint32_t rid;

	if (!proto || !btf_is_func_proto(proto))
		return true; /* unknown: nothing assumed */
	if (btf_vlen(proto) > 5)
		return false;
	rid = proto->type;
	ret = rid ? glob_skip_mods(btf, &rid) : NULL;
	return ret && (btf_is_int(ret) || btf_is_any_enum(ret));
}

/*
 * btf_check_func_arg_match(): what the caller passes must fit each parameter's kind: an
 * integer parameter takes a number ("R%d is not a scalar"), a context parameter the
 * context itself ("arg#%d expects pointer to ctx"); check_func_call() then refuses the
 * call ("Caller passes invalid args into func#%d ('%s')"); so does a register the caller
 * never wrote.  Otherwise only registers bpfcc is sure of are judged: pointers it does
 * not model and numbers that may hide a pointer pass.
 */
static int glob_check_args(struct vrf_env *env, const struct btf_type *fn, uint32_t id, int sp,
                           int idx)
{
	const struct btf *btf = env->opts->prog_btf;
	const struct btf_type *proto = btf__type_by_id(btf, fn->type);
	const struct vrf_reg *regs = state_regs(&env->cur);
	const char *name = btf__name_by_offset(btf, fn->name_off);
	const struct btf_param *params;
	int i, n;

	if (!proto || !btf_is_func_proto(proto))
		return 0;
	params = btf_params(proto);
	n = btf_vlen(proto);
	for (i = 0; i < n && i < 5; i++) {
		const struct vrf_reg *r = &regs[BPF_REG_1 + i];
		bool ptr =
		    r->type != VRF_T_NOT_INIT && r->type != VRF_T_SCALAR && r->type != VRF_T_OTHER;
		bool num = r->type == VRF_T_SCALAR && !r->maybe_ptr;
		uint32_t size = 0;
		char d[200];
		enum glob_arg kind = glob_classify(env, id, i, params[i].type, &size);
		bool nullable = false;

		/* __arg_trusted: check_reg_type() against "ptr_, trusted_ptr_, rcu_ptr_" (NULL
		 * only with __arg_nullable) */
		if (glob_trusted_arg(env, id, i, params[i].type, &nullable)) {
			bool null0 = num && tnum_is_const(r->s.var_off) && r->s.var_off.value == 0;

			if ((num && !(null0 && nullable)) || r->type == VRF_T_NOT_INIT ||
			    (ptr && r->type != VRF_T_BTF_ID) ||
			    (r->type == VRF_T_BTF_ID && r->maybe_null && !nullable) ||
			    (r->type == VRF_T_BTF_ID && (r->flags & VRF_RF_UNTRUSTED))) {
				snprintf(
				    d, sizeof(d),
				    "R%d type=%s expected=ptr_, trusted_ptr_, rcu_ptr_: parameter "
				    "%d of %s() is a trusted kernel object%s",
				    i + 1, reg_type_name(r), i + 1, name ? name : "?",
				    nullable ? " or NULL" : " (never NULL)");
				return env_fault(env, VRF_R_GLOBAL_FUNC, idx, d,
				                 "Caller passes invalid args into func#%d ('%s')",
				                 sp, name ? name : "");
			}
			continue;
		}

		/* a parameter the caller never set (clang passes nothing for an argument the
		 * callee does not use) is refused whatever its kind: not a scalar, and its
		 * unknown offset fails check_func_arg_reg_off() ("variable ... access
		 * var_off=... disallowed") */
		if (r->type == VRF_T_NOT_INIT && (kind == GLOB_ARG_SCALAR || kind == GLOB_ARG_CTX ||
		                                  kind == GLOB_ARG_MEM_OR_NULL)) {
			snprintf(d, sizeof(d),
			         "R%d is not initialised, but global function %s() takes parameter "
			         "%d: every parameter must be passed, even one the function does "
			         "not use",
			         i + 1, name ? name : "?", i + 1);
			return env_fault(env, VRF_R_GLOBAL_FUNC, idx, d,
			                 "Caller passes invalid args into func#%d ('%s')", sp,
			                 name ? name : "");
		}
		switch (kind) {
		case GLOB_ARG_SCALAR:
			if (!ptr)
				continue;
			snprintf(d, sizeof(d),
			         "R%d is not a scalar: parameter %d of global function %s() is an "
			         "integer, but the caller passes a pointer",
			         i + 1, i + 1, name ? name : "?");
			break;
		case GLOB_ARG_CTX:
			if (!(ptr || num) || (r->type == VRF_T_CTX && r->off == 0 &&
			                      tnum_equals_const(r->s.var_off, 0)))
				continue;
			/* check_func_arg_reg_off(): the context is passed unmodified */
			if (r->type == VRF_T_CTX) {
				snprintf(d, sizeof(d),
				         "parameter %d of global function %s() is the program's "
				         "context, but the caller passes a pointer moved inside it",
				         i + 1, name ? name : "?");
				break;
			}
			snprintf(
			    d, sizeof(d),
			    "arg#%d expects pointer to ctx: parameter %d of global function %s() "
			    "is the program's context, but the caller passes another value",
			    i, i + 1, name ? name : "?");
			break;
		case GLOB_ARG_MEM_OR_NULL:
			/* check_mem_reg(): size bytes must exist behind the pointer (stack
			 * and map value bounds; a read-only map passes, as on 6.18) */
			if ((r->type == VRF_T_STACK || r->type == VRF_T_MAP_VALUE ||
			     r->type == VRF_T_MEM) &&
			    !r->maybe_null) {
				int err =
				    call_mem_check_region(env, BPF_REG_1 + i, size, false, idx);

				if (err == -EINVAL) {
					snprintf(env->fault->kmsg, sizeof(env->fault->kmsg),
					         "Caller passes invalid args into func#%d ('%s')",
					         sp, name ? name : "");
					env->fault->rule = VRF_R_GLOBAL_FUNC;
				}
				if (err)
					return err;
				continue;
			}
			/* check_mem_reg() -> check_helper_mem_access(): the context is memory
			 * only for syscall programs; map and callback pointers and data_end
			 * never are */
			if (!(r->type == VRF_T_CTX &&
			      env->ienv.prog_type != BPF_PROG_TYPE_SYSCALL) &&
			    r->type != VRF_T_MAP_PTR && r->type != VRF_T_PACKET_END &&
			    r->type != VRF_T_FUNC)
				continue;
			snprintf(d, sizeof(d),
			         "parameter %d of global function %s() points to %u bytes of "
			         "memory, but the caller passes %s",
			         i + 1, name ? name : "?", size, reg_type_name(r));
			break;
		default:
			continue;
		}
		return env_fault(env, VRF_R_GLOBAL_FUNC, idx, d,
		                 "Caller passes invalid args into func#%d ('%s')", sp,
		                 name ? name : "");
	}
	return 0;
}

int calls_global_call(struct vrf_env *env, int idx, int target, int *next)
{
	struct vrf_reg *regs = state_regs(&env->cur);
	const struct btf_type *fn;
	uint32_t id;
	int sp = calls_subprog_of(env, target), r;

	fn = glob_func(env, target, &id);
	if (!fn || sp <= 0)
		return -EINVAL; /* the caller checked calls_is_global() */
	if (!glob_signature_ok(env, fn)) {
		const char *name = btf__name_by_offset(env->opts->prog_btf, fn->name_off);
		char d[160];

		snprintf(d, sizeof(d),
		         "global function %s() must return an integer and take at most 5 "
		         "arguments; make it static, or return int",
		         name ? name : "?");
		return env_fault(env, VRF_R_GLOBAL_FUNC, idx, d,
		                 "Caller passes invalid args into func#%d ('%s')", sp,
		                 name ? name : "");
	}
	r = glob_check_args(env, fn, id, sp, idx);
	if (r)
		return r;
	env->calls->called[sp] = 1;
	/* the arguments' memory is checked at the call: stack bytes count for the depth */
	calls_note_call_args(env);
	for (r = BPF_REG_0; r <= BPF_REG_5; r++)
		reg_mark_not_init(&regs[r]);
	reg_mark_unknown(&regs[BPF_REG_0]);
	/* check_func_call(): a global function that may change packet data (its
	 * changes_pkt_data) invalidates the caller's packet pointers */
	if (pkt_subprog_changes_data(env, target))
		pkt_clear_all(&env->cur);
	*next = idx + 1;
	return 0;
}

/* do_check_common() for a global function: frame 0 with the typed arguments. */
static int glob_init_state(struct vrf_env *env, int sp)
{
	const struct btf *btf = env->opts->prog_btf;
	int start = env->calls->cfg->subprogs[sp].start, i, n;
	const struct btf_type *fn, *proto;
	const struct btf_param *params;
	struct vrf_frame *f;
	uint32_t id;

	fn = glob_func(env, start, &id);
	proto = fn ? btf__type_by_id(btf, fn->type) : NULL;
	memset(&env->cur, 0, sizeof(env->cur));
	f = state_frame_new(env, -1, start);
	if (!f)
		return -ENOMEM;
	env->cur.frame[0] = f;
	env->cur.insn = start;
	f->cb_kind = VRF_CB_GLOBAL;
	f->regs[BPF_REG_10].type = VRF_T_STACK;
	f->regs[BPF_REG_10].s = scalar_const(0);
	if (!proto || !btf_is_func_proto(proto))
		return 0;
	params = btf_params(proto);
	n = btf_vlen(proto);
	for (i = 0; i < n && i < 5; i++) {
		struct vrf_reg *r = &f->regs[BPF_REG_1 + i];
		uint32_t size = 0, kid;
		bool nullable = false;

		kid = glob_trusted_arg(env, id, i, params[i].type, &nullable);
		if (kid) {
			/* a trusted kernel object, not referenced by this function */
			mem_btf_set_ptr(r, kid, VRF_RF_TRUSTED);
			if (nullable) {
				r->maybe_null = 1;
				r->id = ++env->id_gen;
			}
			continue;
		}
		switch (glob_classify(env, id, i, params[i].type, &size)) {
		case GLOB_ARG_NONE:
			break;
		case GLOB_ARG_SCALAR:
			reg_mark_unknown(r);
			break;
		case GLOB_ARG_CTX:
			reg_mark_const(r, 0);
			r->type = VRF_T_CTX;
			break;
		case GLOB_ARG_MEM_OR_NULL:
			reg_mark_const(r, 0);
			r->type = VRF_T_MEM;
			r->maybe_null = 1;
			r->mem_size = size;
			r->id = ++env->id_gen;
			break;
		case GLOB_ARG_OPAQUE:
			reg_mark_unknown(r);
			r->maybe_ptr = 1;
			break;
		}
	}
	return 0;
}

int calls_init_state(struct vrf_env *env)
{
	if (!env->calls || env->calls->entry <= 0)
		return state_init(env, &env->cur);
	return glob_init_state(env, env->calls->entry);
}

int calls_run_globals(struct vrf_env *env)
{
	struct calls_info *c = env->calls;
	int i, err;

	if (!c)
		return 0;
	for (;;) {
		for (i = 1; i < c->cfg->nsubprogs; i++)
			if (c->called[i] && !c->verified[i])
				break;
		if (i >= c->cfg->nsubprogs)
			return 0;
		c->verified[i] = 1;
		for (int k = 0; k < env->npending; k++)
			state_release(env, &env->pending[k].st);
		env->npending = 0;
		state_release(env, &env->cur);
		c->entry = i;
		err = explore_run(env);
		c->entry = 0;
		if (err)
			return err;
	}
}
