/*
 * kptr.c - loads and stores of the kernel object pointers a map value holds in fields
 * declared `struct T __kptr *f` (referenced) or `struct T __kptr_untrusted *f` (check_map_access()
 * for kptr fields, check_map_kptr_access() and btf_ld_kptr_type() of kernel/bpf/verifier.c,
 * Linux 6.18).
 *
 * The kernel finds such fields through the map value's BTF (a pointer whose pointee is
 * type-tagged "kptr", "kptr_untrusted", "percpu_kptr" or "uptr").  An access touching one
 * must hit it whole: at its own offset ("kptr access misaligned expected=%u off=%llu") and
 * 8 bytes wide ("kptr access size must be BPF_DW").  A load gives a pointer to T that may
 * be NULL: MEM_RCU when T is one of the RCU-protected kernel types (task_struct, cgroup,
 * bpf_cpumask, bpf_crypto_ctx) of a referenced field read inside an RCU read section
 * (bpf_task_acquire() takes it then), untrusted otherwise (kfuncs with trusted arguments
 * refuse it).  Only bpf_kptr_xchg() may store into a referenced field ("store to referenced
 * kptr disallowed"); an untrusted field takes plain stores.
 *
 * Permissive where unsure: only members of the value struct itself are looked at (not
 * nested structs, arrays of kptrs or global data sections), pointees that are not kernel
 * structs (objects of bpf_obj_new) and per-CPU kptrs load as before, the type of what is
 * stored into an untrusted field is not checked.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "verifier/prog.h"

enum kptr_kind {
	KPTR_NONE,
	KPTR_REF,    /* "kptr" (BPF_KPTR_REF) */
	KPTR_UNREF,  /* "kptr_untrusted" (BPF_KPTR_UNREF) */
	KPTR_PERCPU, /* "percpu_kptr" */
	KPTR_UPTR,   /* "uptr" */
};

struct kptr_field {
	long long off; /* byte offset in the value */
	enum kptr_kind kind;
	uint32_t kernel_id; /* the pointee in the kernel's BTF, 0 when not a kernel struct */
	const char *kname;  /* and its name */
};

/* btf_field_type_name() */
static const char *kind_name(enum kptr_kind k)
{
	return k == KPTR_PERCPU ? "percpu_kptr" : k == KPTR_UPTR ? "uptr" : "kptr";
}

/* rcu_protected_types of verifier.c (kernel structs only) */
static bool rcu_protected(const char *name)
{
	static const char *const types[] = {"task_struct", "cgroup", "bpf_cpumask",
	                                    "bpf_crypto_ctx", "prog_test_ref_kfunc"};
	size_t i;

	for (i = 0; name && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(name, types[i]) == 0)
			return true;
	return false;
}

/* The kptr kind of member type `tid` (PTR -> TYPE_TAG -> pointee), and the pointee. */
static enum kptr_kind member_kind(const struct btf *btf, uint32_t tid, uint32_t *pointee)
{
	const struct btf_type *t = btf__type_by_id(btf, tid), *tag;
	const char *name;
	int guard = 16;

	while (t && guard-- && (btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(btf, t->type);
	if (!t || !btf_is_ptr(t))
		return KPTR_NONE;
	tag = btf__type_by_id(btf, t->type);
	if (!tag || !btf_is_type_tag(tag))
		return KPTR_NONE;
	name = btf__name_by_offset(btf, tag->name_off);
	*pointee = tag->type;
	if (!name)
		return KPTR_NONE;
	if (strcmp(name, "kptr") == 0)
		return KPTR_REF;
	if (strcmp(name, "kptr_untrusted") == 0)
		return KPTR_UNREF;
	if (strcmp(name, "percpu_kptr") == 0)
		return KPTR_PERCPU;
	if (strcmp(name, "uptr") == 0)
		return KPTR_UPTR;
	return KPTR_NONE;
}

/* The kernel struct of the same name as program BTF type `id` (a ___flavour dropped). */
static uint32_t kernel_struct(const struct btf *btf, const struct btf *kbtf, uint32_t id,
                              const char **kname)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *name;
	char local[128], *flavour;
	int guard = 16, kid;

	while (t && guard-- && (btf_is_mod(t) || btf_is_typedef(t) || btf_is_type_tag(t)))
		t = btf__type_by_id(btf, t->type);
	name = t && btf_is_struct(t) ? btf__name_by_offset(btf, t->name_off) : NULL;
	if (!name || !name[0])
		return 0;
	snprintf(local, sizeof(local), "%s", name);
	flavour = strstr(local, "___");
	if (flavour)
		*flavour = '\0';
	kid = btf__find_by_name_kind(kbtf, local, BTF_KIND_STRUCT);
	if (kid <= 0)
		return 0;
	*kname = btf__name_by_offset(kbtf, btf__type_by_id(kbtf, (uint32_t)kid)->name_off);
	return (uint32_t)kid;
}

/* Is the member of type tid at byte off a kptr field that bytes [lo, hi) touch?  *kf then. */
static bool kptr_check_member(const struct vrf_options *o, uint32_t tid, long long off,
                              long long lo, long long hi, struct kptr_field *kf)
{
	uint32_t pointee = 0;
	enum kptr_kind k;

	if (off + 8 <= lo || off >= hi)
		return false;
	k = member_kind(o->prog_btf, tid, &pointee);
	if (k == KPTR_NONE)
		return false;
	kf->off = off;
	kf->kind = k;
	kf->kname = NULL;
	kf->kernel_id = kernel_struct(o->prog_btf, o->kernel_btf, pointee, &kf->kname);
	return true;
}

/* The kptr field of the value r points into that bytes [lo, hi) of the value touch: members
 * of a struct value, variables of a global data section. */
static bool kptr_find(struct vrf_env *env, const struct vrf_reg *r, long long lo, long long hi,
                      struct kptr_field *kf)
{
	const struct vrf_options *o = env->opts;
	const struct btf_type *t;
	const struct btf_member *m;
	struct vrf_map_info mi;
	int i, id;

	if (!o || !o->map_info_fn || !o->prog_btf || !o->kernel_btf || !r->map_src ||
	    o->map_info_fn(o->map_info_ctx, r->map_src, r->map, &mi) || !mi.value_btf_id)
		return false;
	id = btf__resolve_type(o->prog_btf, mi.value_btf_id);
	t = id > 0 ? btf__type_by_id(o->prog_btf, (uint32_t)id) : NULL;
	if (t && btf_is_datasec(t)) {
		/* global data: the section's variables */
		const struct btf_var_secinfo *v = btf_var_secinfos(t);

		for (i = 0; i < btf_vlen(t); i++) {
			const struct btf_type *var = btf__type_by_id(o->prog_btf, v[i].type);

			if (var && btf_is_var(var) &&
			    kptr_check_member(o, var->type, v[i].offset, lo, hi, kf))
				return true;
		}
		return false;
	}
	if (!t || !btf_is_struct(t))
		return false;
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++) {
		uint32_t boff = btf_member_bit_offset(t, (uint32_t)i);

		if (boff % 8 == 0 && kptr_check_member(o, m[i].type, boff / 8, lo, hi, kf))
			return true;
	}
	return false;
}

int kptr_map_access(struct vrf_env *env, const struct bpf_insn *in, const struct vrf_reg *ptr,
                    int off, int size, struct vrf_reg *dst, int idx)
{
	struct kptr_field kf;
	long long at;
	char d[200];

	if (ptr->type != VRF_T_MAP_VALUE || ptr->maybe_null || !tnum_is_const(ptr->s.var_off))
		return 0;
	at = (long long)ptr->off + off + (long long)ptr->s.var_off.value;
	if (!kptr_find(env, ptr, at, at + size, &kf))
		return 0;
	if (kf.off != at) {
		snprintf(d, sizeof(d),
		         "the access at byte %lld of the map value overlaps the %s field at byte "
		         "%lld: it must be read or written whole",
		         at, kind_name(kf.kind), kf.off);
		return env_fault(env, VRF_R_KPTR_ACCESS, idx, d,
		                 "%s access misaligned expected=%lld off=%lld", kind_name(kf.kind),
		                 kf.off, at);
	}
	if (size != 8) {
		snprintf(d, sizeof(d),
		         "the %s field at byte %lld of the map value is accessed %d bytes wide; it "
		         "is a pointer, accessed 8 bytes at once",
		         kind_name(kf.kind), kf.off, size);
		return env_fault(env, VRF_R_KPTR_ACCESS, idx, d, "%s access size must be BPF_DW",
		                 kind_name(kf.kind));
	}
	if (BPF_MODE(in->code) != BPF_MEM)
		return 0;
	if (BPF_CLASS(in->code) != BPF_LDX) {
		if (kf.kind == KPTR_REF || kf.kind == KPTR_PERCPU) {
			snprintf(
			    d, sizeof(d),
			    "the referenced kptr field at byte %lld of the map value is written "
			    "directly; only bpf_kptr_xchg() may store into it",
			    kf.off);
			return env_fault(env, VRF_R_KPTR_ACCESS, idx, d,
			                 "store to referenced kptr disallowed");
		}
		return 0;
	}
	/* btf_ld_kptr_type() */
	if (!dst || !kf.kernel_id || (kf.kind != KPTR_REF && kf.kind != KPTR_UNREF))
		return 0;
	mem_btf_set_ptr(dst, kf.kernel_id,
	                kf.kind == KPTR_REF && rcu_protected(kf.kname) && btf_trust_in_rcu_cs(env)
	                    ? VRF_RF_RCU
	                    : VRF_RF_UNTRUSTED);
	dst->maybe_null = 1;
	dst->id = ++env->id_gen;
	return 1;
}

uint32_t kptr_xchg_struct(struct vrf_env *env, const struct vrf_reg *r)
{
	struct kptr_field kf;
	long long at;

	if (r->type != VRF_T_MAP_VALUE || r->maybe_null || !tnum_is_const(r->s.var_off))
		return 0;
	at = (long long)r->off + (long long)r->s.var_off.value;
	if (!kptr_find(env, r, at, at + 8, &kf) || kf.off != at || kf.kind != KPTR_REF)
		return 0;
	return kf.kernel_id;
}
