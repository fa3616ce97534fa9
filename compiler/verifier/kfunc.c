/*
 * kfunc.c - kfunc calls and references (see kfunc.h).
 *
 * Models the parts of check_kfunc_call() (kernel/bpf/verifier.c, Linux 6.18) that decide
 * references and r0: a KF_ACQUIRE kfunc returns a pointer carrying a new reference (its
 * null-check id too, with KF_RET_NULL), a KF_RELEASE kfunc releases the reference of the
 * argument that carries one (every copy becomes an unknown scalar), bpf_rcu_read_lock()
 * and bpf_rcu_read_unlock() open and close the RCU read section that must be closed at
 * exit.  The return type comes from the kfunc's BTF prototype in the target kernel's BTF:
 * void leaves r0 uninitialised, a pointer to a struct gives a PTR_TO_BTF_ID of that
 * struct, an integer an unknown scalar.  Iterator kfuncs (KF_ITER_*) are the iterator
 * code's; argument types are not checked (permissive) but for NULL given to a trusted
 * argument and a release kfunc given nothing referenced; module kfuncs and calls made
 * without the kernel's BTF are not looked at.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "verifier/kfunc.h"
#include "verifier/prog.h"
#include "verifier/ref.h"

static const struct {
	const char *name;
	uint32_t flags;
} kfunc_table[] = {
#define X(n, f) {#n, f},
#include "verifier/kfunc_flags.def"
#undef X
};

uint32_t kfunc_flags_by_name(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(kfunc_table) / sizeof(kfunc_table[0]); i++)
		if (strcmp(kfunc_table[i].name, name) == 0)
			return kfunc_table[i].flags;
	return 0;
}

static bool kfunc_known(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(kfunc_table) / sizeof(kfunc_table[0]); i++)
		if (strcmp(kfunc_table[i].name, name) == 0)
			return true;
	return false;
}

/* The FUNC type the call names, NULL when unknown. */
static const struct btf_type *kfunc_type(const struct vrf_env *env, const struct bpf_insn *in)
{
	const struct btf *btf = env->opts ? env->opts->kernel_btf : NULL;
	const struct btf_type *t;

	if (!btf || !insn_is_kfunc_call(in) || in->off != 0 || in->imm <= 0 ||
	    (uint32_t)in->imm >= btf__type_cnt(btf))
		return NULL;
	t = btf__type_by_id(btf, (uint32_t)in->imm);
	return t && btf_is_func(t) ? t : NULL;
}

const char *kfunc_name(const struct vrf_env *env, const struct bpf_insn *in)
{
	const struct btf_type *t = kfunc_type(env, in);

	return t ? btf__name_by_offset(env->opts->kernel_btf, t->name_off) : NULL;
}

/* Skips typedefs and modifiers; the resolved id in *id.  NULL when broken. */
static const struct btf_type *skip_mods(const struct btf *btf, uint32_t *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);
	int guard = 32;

	while (t && guard-- &&
	       (btf_is_typedef(t) || btf_is_mod(t) || btf_kind(t) == BTF_KIND_TYPE_TAG)) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return guard > 0 ? t : NULL;
}

/* Does a kfunc parameter name end with suffix (the kernel's __nullable, __opt, ...)? */
static bool param_has_suffix(const char *name, const char *suffix)
{
	size_t n = name ? strlen(name) : 0, k = strlen(suffix);

	return n > k && strcmp(name + n - k, suffix) == 0;
}

/*
 * get_kfunc_ptr_arg_type(): a pointer argument that is not a kernel object (here: a
 * pointer to the stack) is taken as memory, which the kernel allows only for scalars and
 * structs made of scalars.  True when param i (pointee pt) is sure to refuse it: a named
 * struct that is not one of bpf's own special kinds (dynptr, iterators, list and rbtree
 * nodes... all bpf_*), holding a pointer member, the parameter carrying no __ suffix
 * annotation and no size parameter following it.
 */
static bool kfunc_stack_not_mem(const struct btf *btf, const struct btf_type *pt, const char *pname,
                                const struct btf_param *params, int i, int n)
{
	const char *sname, *next;
	const struct btf_member *m;
	int k;

	if (!pt || !btf_is_struct(pt) || (pname && strstr(pname, "__")))
		return false;
	sname = btf__name_by_offset(btf, pt->name_off);
	if (!sname || !sname[0] || strncmp(sname, "bpf_", 4) == 0)
		return false;
	if (i + 1 < n) {
		next = btf__name_by_offset(btf, params[i + 1].name_off);
		if (param_has_suffix(next, "__sz") || param_has_suffix(next, "__szk"))
			return false;
	}
	m = btf_members(pt);
	for (k = 0; k < btf_vlen(pt); k++) {
		uint32_t mid = m[k].type;
		const struct btf_type *mt = skip_mods(btf, &mid);

		if (mt && btf_is_ptr(mt))
			return true;
	}
	return false;
}

/* bpf's own argument kinds (get_kfunc_ptr_arg_type()) that are not plain kernel objects */
static bool kfunc_special_struct(const char *sname)
{
	static const char *const special[] = {
	    "bpf_dynptr",    "bpf_list_head",     "bpf_list_node", "bpf_rb_root",
	    "bpf_rb_node",   "bpf_refcount",      "bpf_wq",        "bpf_timer",
	    "bpf_task_work", "bpf_res_spin_lock", "bpf_prog_aux",
	};
	size_t i;

	if (!sname || !sname[0] || strncmp(sname, "bpf_iter_", 9) == 0)
		return true;
	for (i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (strcmp(sname, special[i]) == 0)
			return true;
	return false;
}

/* btf_struct_ids_match() without strictness: is `want` the struct `have` or a struct
 * nested at offset 0 of it (first members, as the kernel walks them)? */
static bool kfunc_struct_reaches(const struct btf *btf, uint32_t have, uint32_t want)
{
	int depth;

	for (depth = 0; depth < 16; depth++) {
		const struct btf_type *t;
		uint32_t mid;

		if (have == want)
			return true;
		t = skip_mods(btf, &have);
		if (!t || !btf_is_struct(t) || btf_vlen(t) == 0 || btf_members(t)[0].offset != 0)
			return false;
		mid = btf_members(t)[0].type;
		t = skip_mods(btf, &mid);
		if (!t || !btf_is_struct(t))
			return false;
		have = mid;
	}
	return false;
}

/* get_kfunc_ptr_arg_type() gives KF_ARG_PTR_TO_BTF_ID: a kernel object bpfcc typed
 * (VRF_RF_KBTF) for a plain kernel struct parameter carrying no __ annotation. */
static bool kbtf_struct_arg(const struct btf *btf, const struct vrf_reg *r,
                            const struct btf_type *pt, const char *pname)
{
	return r->type == VRF_T_BTF_ID && (r->flags & VRF_RF_KBTF) && r->btf_id && pt &&
	       btf_is_struct(pt) && !(pname && strstr(pname, "__")) &&
	       !kfunc_special_struct(btf__name_by_offset(btf, pt->name_off));
}

/*
 * check_kfunc_args(), the parts bpfcc is sure of.  A kfunc whose pointer arguments are
 * trusted (KF_TRUSTED_ARGS, KF_RCU, and every KF_RELEASE one) refuses NULL for a struct
 * pointer parameter not marked __nullable: the constant 0, or a kernel object pointer not
 * yet NULL-tested ("Possibly NULL pointer passed to trusted arg%d").  A release kfunc
 * given no referenced argument ("release kernel function %s expects refcounted
 * PTR_TO_BTF_ID") is refused only when every pointer argument is a kernel object bpfcc
 * typed from the program's context or a field walk (never referenced).
 */
static int kfunc_check_args(struct vrf_env *env, const struct bpf_insn *in, int idx,
                            const char *name, uint32_t flags)
{
	const struct btf_type *fn = kfunc_type(env, in), *proto;
	const struct btf *btf = env->opts->kernel_btf;
	const struct vrf_reg *regs = state_regs(&env->cur);
	const struct btf_param *params;
	bool referenced = false, unreferenced = true, any = false;
	int i, n;
	char d[400];

	proto = fn ? btf__type_by_id(btf, fn->type) : NULL;
	if (!proto || !btf_is_func_proto(proto))
		return 0;
	params = btf_params(proto);
	n = btf_vlen(proto);
	for (i = 0; i < n && i < 5; i++) {
		const struct vrf_reg *r = &regs[BPF_REG_1 + i];
		const char *pname = btf__name_by_offset(btf, params[i].name_off);
		uint32_t tid = params[i].type;
		const struct btf_type *t = skip_mods(btf, &tid), *pt;

		if (!t || !btf_is_ptr(t))
			continue;
		any = true;
		if (r->ref_obj_id)
			referenced = true;
		if (r->type != VRF_T_BTF_ID || !(r->flags & VRF_RF_KBTF) || r->maybe_null)
			unreferenced = false;
		tid = t->type;
		pt = skip_mods(btf, &tid);
		if (r->type == VRF_T_STACK && kfunc_stack_not_mem(btf, pt, pname, params, i, n)) {
			const char *sname = btf__name_by_offset(btf, pt->name_off);

			snprintf(d, sizeof(d),
			         "%s() takes a kernel object (struct %s) in R%d, not a pointer to "
			         "the stack",
			         name, sname, i + 1);
			return env_fault(env, VRF_R_KFUNC_ARG, idx, d,
			                 "arg#%d pointer type STRUCT %s must point to scalar, or "
			                 "struct with scalar",
			                 i, sname);
		}
		/* check_kfunc_args(): NULL first, then trust, then the struct */
		if ((flags & (VRF_KF_TRUSTED_ARGS | VRF_KF_RCU | VRF_KF_RELEASE)) && pt &&
		    btf_is_struct(pt) && !param_has_suffix(pname, "__nullable") &&
		    !param_has_suffix(pname, "__opt") &&
		    ((r->type == VRF_T_SCALAR && !r->maybe_ptr && tnum_is_const(r->s.var_off) &&
		      r->s.var_off.value == 0) ||
		     (r->type == VRF_T_BTF_ID && r->maybe_null))) {
			snprintf(d, sizeof(d),
			         "%s() is given a pointer in R%d that may be NULL: test it against "
			         "NULL first",
			         name, i + 1);
			return env_fault(env, VRF_R_KFUNC_ARG, idx, d,
			                 "Possibly NULL pointer passed to trusted arg%d", i);
		}
		if (!kbtf_struct_arg(btf, r, pt, pname))
			continue;
		if ((flags & (VRF_KF_TRUSTED_ARGS | VRF_KF_RCU | VRF_KF_RELEASE)) &&
		    !btf_trust_is_trusted(r)) {
			bool rcu_ok = flags & VRF_KF_RCU;

			if (!rcu_ok || !(r->flags & VRF_RF_RCU)) {
				snprintf(d, sizeof(d),
				         "%s() takes %s kernel objects only; R%d holds a %s "
				         "(walked from another object or loaded from a map)",
				         name,
				         rcu_ok ? "trusted or RCU-protected"
				                : "trusted or referenced",
				         i + 1, reg_type_name(r));
				return env_fault(env, VRF_R_KFUNC_TRUST, idx, d,
				                 rcu_ok ? "R%d must be a rcu pointer"
				                        : "R%d must be referenced or trusted",
				                 i + 1);
			}
		}
		/* process_kf_arg_ptr_to_btf_id(): a kernel object of another struct */
		if (!r->off && !kfunc_struct_reaches(btf, r->btf_id, tid)) {
			const struct btf_type *ht = btf__type_by_id(btf, r->btf_id);
			const char *want = btf__name_by_offset(btf, pt->name_off);
			const char *have = ht ? btf__name_by_offset(btf, ht->name_off) : "?";

			snprintf(d, sizeof(d), "%s() takes a struct %s in R%d, not a struct %s",
			         name, want, i + 1, have);
			return env_fault(
			    env, VRF_R_KFUNC_ARG, idx, d,
			    "kernel function %s args#%d expected pointer to STRUCT %s but "
			    "R%d has a pointer to STRUCT %s",
			    name, i, want, i + 1, have);
		}
	}
	if ((flags & VRF_KF_RELEASE) && any && !referenced && unreferenced &&
	    !env->cur.refs_overflow) {
		snprintf(d, sizeof(d),
		         "%s() releases a reference, but its argument was not acquired (a "
		         "context argument or a field of one is not referenced)",
		         name);
		return env_fault(env, VRF_R_REF_RELEASE, idx, d,
		                 "release kernel function %s expects refcounted PTR_TO_BTF_ID",
		                 name);
	}
	return 0;
}

int kfunc_call_pre(struct vrf_env *env, const struct bpf_insn *in, int idx)
{
	const char *name = kfunc_name(env, in);
	struct vrf_state *st = &env->cur;
	struct vrf_reg *regs = state_regs(st);
	uint32_t flags;
	int i;

	if (!name)
		return 0;
	flags = kfunc_flags_by_name(name);
	i = kfunc_check_args(env, in, idx, name, flags);
	if (i)
		return i;
	dynptr_kfunc_args(env, in);
	regs = state_regs(st);
	/* bpf_rcu_read_lock/unlock: the lock state (lock.c, prog_call_check) */
	for (i = BPF_REG_1; i <= BPF_REG_5; i++) {
		const struct vrf_reg *r = &regs[i];

		if (r->type == VRF_T_SCALAR || r->type == VRF_T_NOT_INIT || !r->ref_obj_id)
			continue;
		if (!kfunc_known(name)) {
			/* what it does with the reference is not known */
			st->refs_overflow = true;
			return 0;
		}
		if (flags & VRF_KF_TAKES_NODE) {
			ref_release(env, r->ref_obj_id);
			return 0;
		}
		if (!(flags & VRF_KF_RELEASE))
			continue;
		if (r->off)
			return env_fault(env, VRF_R_REF_RELEASE, idx,
			                 "a release kfunc takes the pointer the acquiring call "
			                 "returned, unmodified",
			                 "R%d must have zero offset when passed to release func or "
			                 "trusted arg to kfunc",
			                 i);
		ref_release(env, r->ref_obj_id);
		break;
	}
	return 0;
}

void kfunc_call_post(struct vrf_env *env, const struct bpf_insn *in, int idx)
{
	const struct btf_type *fn = kfunc_type(env, in), *proto, *ret, *pt;
	const struct btf *btf;
	struct vrf_reg *r0 = &state_regs(&env->cur)[BPF_REG_0];
	uint32_t flags, id, sid;

	if (!fn)
		return;
	btf = env->opts->kernel_btf;
	flags = kfunc_flags_by_name(btf__name_by_offset(btf, fn->name_off));
	proto = btf__type_by_id(btf, fn->type);
	if (!proto || !btf_is_func_proto(proto))
		return;
	if (!proto->type) {
		reg_mark_not_init(r0);
		return;
	}
	id = proto->type;
	ret = skip_mods(btf, &id);
	if (!ret || !btf_is_ptr(ret) || (flags & (VRF_KF_ITER_NEW | VRF_KF_ITER_NEXT)))
		return;
	sid = ret->type;
	pt = skip_mods(btf, &sid);
	reg_mark_const(r0, 0);
	r0->type = pt && btf_is_struct(pt) ? VRF_T_BTF_ID : VRF_T_OTHER;
	r0->btf_id = r0->type == VRF_T_BTF_ID ? sid : 0;
	if (flags & VRF_KF_RET_NULL) {
		r0->maybe_null = 1;
		r0->id = ++env->id_gen;
	}
	if (flags & VRF_KF_ACQUIRE) {
		uint32_t ref = ref_acquire(env, idx, VRF_REF_PTR);

		if (flags & VRF_KF_RET_NULL)
			r0->id = ref;
		r0->ref_obj_id = ref;
		r0->flags |= VRF_RF_TRUSTED;
		/* a referenced kernel object (not one of bpf's own node kinds, which stand for
		 * the program's own types): its fields are read and walked as the kernel's
		 * (mem_btf.c, btf_trust.c) */
		if (r0->type == VRF_T_BTF_ID &&
		    !kfunc_special_struct(btf__name_by_offset(btf, pt->name_off)))
			r0->flags |= VRF_RF_KBTF;
	}
}

bool kfunc_call_unresolved(struct vrf_env *env, const struct bpf_insn *in, int idx)
{
	if (!insn_is_kfunc_call(in) || in->imm != 0 || in->off != 0)
		return false;
	if (!env->unresolved_kfunc)
		env->unresolved_kfunc = idx + 1;
	return true;
}

int kfunc_check_unresolved(struct vrf_env *env)
{
	char d[200];

	if (!env->unresolved_kfunc)
		return 0;
	snprintf(d, sizeof(d),
	         "instruction %d calls a __weak kfunc the target kernel does not have (libbpf "
	         "leaves it as call 0), and a path reaches it",
	         env->unresolved_kfunc - 1);
	return env_fault(env, VRF_R_KFUNC_UNRESOLVED, -1, d,
	                 "invalid kernel function call not eliminated in verifier pass");
}
