/*
 * mem_btf.c - pointers to kernel objects described by the kernel's BTF (PTR_TO_BTF_ID):
 * where tracing programs get them and what they may do with them (btf_ctx_access(),
 * check_ptr_to_btf_access() and btf_struct_access() in kernel/bpf/verifier.c and btf.c,
 * Linux 6.18).
 *
 * A tp_btf or fentry/fexit program's context is an array of u64, one per argument of the
 * attach target's prototype (the "btf_trace_<tp>" typedef for tp_btf, the function itself
 * for fentry); an argument that points to a struct reads as a pointer to that struct,
 * trusted for tp_btf ("trusted_ptr_task_struct()"), plain for fentry ("ptr_task_struct()").
 * bpf_get_current_task_btf() returns one too.  An iterator program's context holds its
 * objects (struct bpf_iter__task: meta, task), most of which may be NULL (iter_args[]). Through
 * such a pointer the program may read (a field is a number; the object's size bounds the offsets:
 * "access beyond struct %s at off %u size %u") but never write: "only read is supported" (tracing
 * program types have no btf_struct_access callback; sockets of struct_ops congestion control do,
 * and allocated objects are another matter). A program whose license is not GPL-compatible may not
 * access them at all ("Cannot access kernel 'struct %s' from non-GPL compatible program"). Negative
 * and variable offsets are refused first ("R%d is ptr_%s invalid negative access: off=%d", "R%d is
 * ptr_%s invalid variable offset: off=%d, var_off=%s").
 *
 * Only pointers marked VRF_RF_KBTF (their btf_id names a type of vrf_options.kernel_btf)
 * are judged here.  A pointer member to a kernel struct reads as a pointer to it, trusted
 * or not as btf_trust.c decides; other pointer fields read back as values bpfcc does not
 * model.  Permissive: arguments that are not pointers to structs, iterator fields not in
 * iter_args[], targets in modules, structs ending in a flexible array.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "verifier/prog.h"

static const struct btf *kbtf(const struct vrf_env *env)
{
	return env->opts ? env->opts->kernel_btf : NULL;
}

/* The struct a BTF pointer type points to (through modifiers and typedefs); 0 if none. */
static uint32_t ptr_to_struct(const struct btf *btf, uint32_t ptr_id)
{
	const struct btf_type *t;
	int id = btf__resolve_type(btf, ptr_id);

	t = id > 0 ? btf__type_by_id(btf, (uint32_t)id) : NULL;
	if (!t || !btf_is_ptr(t))
		return 0;
	id = btf__resolve_type(btf, t->type);
	t = id > 0 ? btf__type_by_id(btf, (uint32_t)id) : NULL;
	return t && btf_is_struct(t) ? (uint32_t)id : 0;
}

void mem_btf_set_ptr(struct vrf_reg *r, uint32_t struct_id, uint8_t flags)
{
	reg_mark_const(r, 0);
	r->type = VRF_T_BTF_ID;
	r->btf_id = struct_id;
	r->flags = (uint8_t)(flags | VRF_RF_KBTF);
	r->maybe_null = 0;
	r->id = 0;
}

/* The attach target's prototype and the index of its first real argument. */
static const struct btf_type *target_proto(const struct vrf_env *env, int *first)
{
	const struct btf *btf = kbtf(env);
	const struct btf_type *t;
	int id;

	if (!btf || !env->opts->attach_btf_id)
		return NULL;
	t = btf__type_by_id(btf, env->opts->attach_btf_id);
	if (!t)
		return NULL;
	*first = 0;
	if (btf_is_typedef(t)) {
		/* tp_btf: typedef void (*btf_trace_<tp>)(void *__data, args...) */
		id = btf__resolve_type(btf, t->type);
		t = id > 0 ? btf__type_by_id(btf, (uint32_t)id) : NULL;
		if (!t || !btf_is_ptr(t))
			return NULL;
		t = btf__type_by_id(btf, t->type);
		*first = 1;
	} else if (btf_is_func(t)) {
		t = btf__type_by_id(btf, t->type);
	}
	return t && btf_is_func_proto(t) ? t : NULL;
}

/*
 * The objects an iterator program's context holds (struct bpf_iter__<name>, one pointer per
 * parameter of the bpf_iter_<name> target), as the kernel's ctx_arg_info registers them,
 * checked on Linux 6.18 by dereferencing each without a NULL test: "meta" is a trusted
 * object never NULL (every iterator); these may be NULL until tested, trusted or not
 * ("R1 invalid mem access 'trusted_ptr_or_null_'" or "'ptr_or_null_'").  Fields not listed
 * (the map of bpf_map_elem, sockmap and sk_storage iterators, other iterators) are not typed.
 */
static const struct {
	const char *iter;  /* the target without bpf_iter_ */
	const char *field; /* the parameter's name */
	bool trusted;
} iter_args[] = {
    {"task", "task", true},
    {"task_file", "task", false},
    {"task_file", "file", false},
    {"task_vma", "task", false},
    {"task_vma", "vma", false},
    {"bpf_map", "map", true},
    {"bpf_prog", "prog", false},
    {"bpf_link", "link", false},
    {"tcp", "sk_common", true},
    {"udp", "udp_sk", true},
    {"unix", "unix_sk", false},
    {"cgroup", "cgroup", true},
    {"ksym", "ksym", false},
    {"netlink", "sk", false},
    {"ipv6_route", "rt", false},
    {"kmem_cache", "s", true},
    {"bpf_sk_storage_map", "sk", false},
    {"sockmap", "sk", false},
};

/* An iterator program's context field `arg` (parameter p of its target): 1 when typed. */
static int iter_ctx_arg(struct vrf_env *env, const struct btf_param *p, int arg, uint32_t sid,
                        struct vrf_reg *dst)
{
	const struct btf *btf = kbtf(env);
	const struct btf_type *fn = btf__type_by_id(btf, env->opts->attach_btf_id);
	const char *target = fn ? btf__name_by_offset(btf, fn->name_off) : NULL;
	const char *field = btf__name_by_offset(btf, p[arg].name_off);
	size_t i;

	if (!target || strncmp(target, "bpf_iter_", 9) != 0 || !field)
		return 0;
	if (arg == 0 && strcmp(field, "meta") == 0) {
		mem_btf_set_ptr(dst, sid, VRF_RF_TRUSTED);
		return 1;
	}
	for (i = 0; i < sizeof(iter_args) / sizeof(iter_args[0]); i++) {
		if (strcmp(target + 9, iter_args[i].iter) != 0 ||
		    strcmp(field, iter_args[i].field) != 0)
			continue;
		mem_btf_set_ptr(dst, sid, iter_args[i].trusted ? VRF_RF_TRUSTED : 0);
		dst->maybe_null = 1;
		dst->id = ++env->id_gen;
		return 1;
	}
	return 0;
}

int mem_btf_ctx_arg(struct vrf_env *env, int off, int size, struct vrf_reg *dst)
{
	const struct btf_type *proto;
	const struct btf_param *p;
	uint32_t sid;
	int32_t attach = prog_attach_type(env);
	int first, arg;

	if (env->ienv.prog_type != BPF_PROG_TYPE_TRACING || !dst || size != 8 || off < 0 || off % 8)
		return 0;
	if (attach != BPF_TRACE_RAW_TP && attach != BPF_TRACE_FENTRY && attach != BPF_TRACE_FEXIT &&
	    attach != BPF_MODIFY_RETURN && attach != BPF_TRACE_ITER)
		return 0;
	proto = target_proto(env, &first);
	if (!proto)
		return 0;
	arg = off / 8 + first;
	if (arg >= btf_vlen(proto))
		return 0;
	p = btf_params(proto);
	sid = ptr_to_struct(kbtf(env), p[arg].type);
	if (!sid)
		return 0;
	if (attach == BPF_TRACE_ITER)
		return iter_ctx_arg(env, p, arg, sid, dst);
	/* prog_args_trusted(): tp_btf arguments are trusted, fentry/fexit ones are not */
	mem_btf_set_ptr(dst, sid, attach == BPF_TRACE_RAW_TP ? VRF_RF_TRUSTED : 0);
	return 1;
}

int mem_btf_current_task(struct vrf_env *env, struct vrf_reg *r0)
{
	int id;

	if (!kbtf(env))
		return 0;
	id = btf__find_by_name_kind(kbtf(env), "task_struct", BTF_KIND_STRUCT);
	if (id <= 0)
		return 0;
	mem_btf_set_ptr(r0, (uint32_t)id, VRF_RF_TRUSTED);
	return 1;
}

/* Does the struct end in a flexible (zero-length) array?  The kernel lets reads run past
 * its size into the array's elements. */
static bool ends_in_flex_array(const struct btf *btf, const struct btf_type *t)
{
	const struct btf_member *m;
	const struct btf_type *mt;
	int id;

	if (!btf_vlen(t))
		return false;
	m = &btf_members(t)[btf_vlen(t) - 1];
	id = btf__resolve_type(btf, m->type);
	mt = id > 0 ? btf__type_by_id(btf, (uint32_t)id) : NULL;
	return mt && btf_is_array(mt) && btf_array(mt)->nelems == 0;
}

int mem_btf_access(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int off, int size,
                   bool write, struct vrf_reg *dst, bool sx, int idx)
{
	const struct btf *btf = kbtf(env);
	const struct btf_type *t;
	const char *name;
	char tn[48];
	long long at;

	if (!(ptr->flags & VRF_RF_KBTF) || !btf || !ptr->btf_id)
		return 0;
	t = btf__type_by_id(btf, ptr->btf_id);
	if (!t || !btf_is_struct(t))
		return 0;
	name = btf__name_by_offset(btf, t->name_off);
	name = name ? name : "";
	if (env->opts->flags & VRF_F_NOT_GPL)
		return env_fault(env, VRF_R_BTF_GPL, idx,
		                 "the program's license is not GPL-compatible, and kernel objects "
		                 "are readable from GPL programs only",
		                 "Cannot access kernel 'struct %s' from non-GPL compatible program",
		                 name);
	at = (long long)ptr->off + off;
	if (at < 0)
		return env_fault(env, VRF_R_BTF_ACCESS, idx,
		                 "the access lies before the start of the kernel object",
		                 "R%d is ptr_%s invalid negative access: off=%lld", regno, name,
		                 at);
	if (!tnum_is_const(ptr->s.var_off) || ptr->s.var_off.value) {
		tnum_strn(tn, sizeof(tn), ptr->s.var_off);
		return env_fault(env, VRF_R_BTF_ACCESS, idx,
		                 "kernel objects are accessed at constant offsets only (hint: "
		                 "bpf_probe_read_kernel for computed addresses)",
		                 "R%d is ptr_%s invalid variable offset: off=%lld, var_off=%s",
		                 regno, name, at, tn);
	}
	/* tc and xdp programs may write some fields of a conntrack entry (their
	 * btf_struct_access callback): not judged */
	if (write && strcmp(name, "nf_conn") == 0)
		return 0;
	if (write)
		return env_fault(env, VRF_R_BTF_ACCESS, idx,
		                 "kernel objects reached through BTF pointers are read-only for "
		                 "tracing programs",
		                 "only read is supported");
	if (at + size > (long long)t->size && !ends_in_flex_array(btf, t))
		return env_fault(env, VRF_R_BTF_ACCESS, idx,
		                 "the access runs past the end of the kernel object",
		                 "access beyond struct %s at off %lld size %d", name, at, size);
	if (!dst)
		return 0;
	/* a pointer member: a kernel object pointer of its struct (btf_trust.c) */
	if (!sx && btf_trust_load(env, ptr, at, size, dst))
		return 1;
	reg_mark_unknown(dst);
	if (size < 8) {
		if (sx)
			scalar_coerce_sx(&dst->s, size);
		else
			scalar_coerce(&dst->s, size);
	}
	/* an 8-byte field may be a pointer (to something bpfcc does not type), unless BTF
	 * says it is a number */
	dst->maybe_ptr = size == 8 && !btf_trust_is_scalar(env, ptr, at, size);
	return 1;
}
