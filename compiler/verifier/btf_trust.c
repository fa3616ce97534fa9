/*
 * btf_trust.c - what a pointer loaded from a kernel object is: the struct it points to and
 * how far the kernel trusts it (btf_struct_walk() in kernel/bpf/btf.c, the trust part of
 * check_ptr_to_btf_access() in kernel/bpf/verifier.c, Linux 6.18).
 *
 * An 8-byte load from a PTR_TO_BTF_ID that lands on a member `struct T *f` (through nested
 * structs, unions - the first member holding the bytes, as the kernel walks them - and
 * arrays) gives a PTR_TO_BTF_ID of T.  Its flags follow the object it was read from:
 *
 *   - read through an untrusted pointer: untrusted ("untrusted_ptr_");
 *   - read through a trusted (or referenced) or RCU pointer: trusted when the kernel lists
 *     the field in "<struct>__safe_trusted" (trusted and maybe NULL with
 *     "__safe_trusted_or_null"); otherwise, inside an RCU read section (which a
 *     non-sleepable program always is, or a spin lock held), MEM_RCU when listed in
 *     "__safe_rcu", MEM_RCU and maybe NULL with "__safe_rcu_or_null" or an `__rcu` type
 *     tag, else the plain old PTR_TO_BTF_ID; outside any RCU section, untrusted;
 *   - read through a plain pointer (fentry arguments, plain walked ones): plain.
 *
 * The kernel emits those lists into its own BTF (BTF_TYPE_EMIT of BTF_TYPE_SAFE_TRUSTED
 * and friends: structs named task_struct__safe_rcu, file__safe_trusted, ...): a field is
 * listed when such a struct has a pointer member of the same name pointing to the same
 * type, so the lists are read from the target kernel's BTF, never written down here.
 *
 * Permissive where unsure: pointers tagged __user or __percpu, pointers to unions or to
 * anything but a struct, bitfields and loads that do not cover exactly one pointer member
 * stay what bpfcc gave before (an unknown value that may be a pointer).
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "verifier/prog.h"

#define WALK_DEPTH 32

/* Skips typedefs, modifiers and type tags (btf_type_skip_modifiers()). */
static const struct btf_type *skip_mods(const struct btf *btf, uint32_t *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);
	int guard = WALK_DEPTH;

	while (t && guard-- &&
	       (btf_is_typedef(t) || btf_is_mod(t) || btf_kind(t) == BTF_KIND_TYPE_TAG)) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return guard > 0 ? t : NULL;
}

/*
 * btf_struct_walk() for a load of `size` bytes at `off` of type `tid`: the id of the
 * pointer member the bytes are exactly (its name in *field); 0 when they are something
 * else or bpfcc cannot tell.
 */
static uint32_t walk_to_ptr(const struct btf *btf, uint32_t tid, long long off, int size,
                            const char **field, uint32_t *leaf)
{
	int depth;

	for (depth = 0; depth < WALK_DEPTH; depth++) {
		const struct btf_type *t = skip_mods(btf, &tid);
		const struct btf_member *m;
		bool found = false;
		int i;

		if (!t)
			return 0;
		if (btf_is_ptr(t))
			return off == 0 && size == 8 ? tid : 0;
		if (btf_is_array(t)) {
			const struct btf_array *a = btf_array(t);
			long long esz = btf__resolve_size(btf, a->type);

			if (esz <= 0 || off < 0 || (a->nelems && off / esz >= a->nelems))
				return 0;
			off %= esz;
			tid = a->type;
			continue;
		}
		if (!btf_is_composite(t)) {
			if (leaf && off >= 0 && off + size <= t->size)
				*leaf = tid;
			return 0;
		}
		m = btf_members(t);
		for (i = 0; i < btf_vlen(t); i++) {
			uint32_t boff = btf_member_bit_offset(t, (uint32_t)i);
			long long moff = boff / 8, msize;

			if (btf_member_bitfield_size(t, (uint32_t)i) || boff % 8)
				continue;
			msize = btf__resolve_size(btf, m[i].type);
			if (msize < 0 || off < moff || off + size > moff + msize)
				continue;
			*field = btf__name_by_offset(btf, m[i].name_off);
			tid = m[i].type;
			off -= moff;
			found = true;
			break;
		}
		if (!found)
			return 0;
	}
	return 0;
}

/*
 * btf_nested_type_is_trusted(): does "<outer name><suffix>" of the kernel BTF have a
 * pointer member named field that points to struct sid?
 */
static bool listed(const struct btf *btf, uint32_t outer, const char *field, uint32_t sid,
                   const char *suffix)
{
	const struct btf_type *t = btf__type_by_id(btf, outer), *safe;
	const struct btf_member *m;
	char name[160];
	int id, i;

	if (!t || !field || !field[0])
		return false;
	snprintf(name, sizeof(name), "%s%s", btf__name_by_offset(btf, t->name_off), suffix);
	id = btf__find_by_name_kind(btf, name, BTF_KIND_STRUCT);
	safe = id > 0 ? btf__type_by_id(btf, (uint32_t)id) : NULL;
	if (!safe)
		return false;
	m = btf_members(safe);
	for (i = 0; i < btf_vlen(safe); i++) {
		const struct btf_type *mt = btf__type_by_id(btf, m[i].type);
		uint32_t pid;

		if (!mt || !btf_is_ptr(mt) ||
		    strcmp(btf__name_by_offset(btf, m[i].name_off), field) != 0)
			continue;
		pid = mt->type;
		if (skip_mods(btf, &pid) && pid == sid)
			return true;
	}
	return false;
}

bool btf_trust_in_rcu_cs(const struct vrf_env *env)
{
	return env->cur.lock.rcu || env->cur.lock.spin || !env->opts ||
	       !(env->opts->prog_flags & BPF_F_SLEEPABLE);
}

bool btf_trust_is_trusted(const struct vrf_reg *r)
{
	if (r->ref_obj_id)
		return true;
	return (r->flags & VRF_RF_TRUSTED) && !(r->flags & (VRF_RF_UNTRUSTED | VRF_RF_RCU)) &&
	       !r->maybe_null;
}

int btf_trust_load(struct vrf_env *env, const struct vrf_reg *ptr, long long at, int size,
                   struct vrf_reg *dst)
{
	const struct btf *btf = env->opts ? env->opts->kernel_btf : NULL;
	const struct btf_type *t;
	const char *field = NULL;
	uint32_t pid, sid;
	uint8_t flags = 0;
	bool rcu_tag = false, maybe_null = false;
	int guard = WALK_DEPTH;

	if (!btf || !dst || size != 8 || !(ptr->flags & VRF_RF_KBTF))
		return 0;
	pid = walk_to_ptr(btf, ptr->btf_id, at, size, &field, NULL);
	t = pid ? btf__type_by_id(btf, pid) : NULL;
	if (!t)
		return 0;
	/* the pointee, with the type tags btf_struct_walk() turns into flags */
	sid = t->type;
	t = btf__type_by_id(btf, sid);
	while (t && guard-- &&
	       (btf_is_typedef(t) || btf_is_mod(t) || btf_kind(t) == BTF_KIND_TYPE_TAG)) {
		if (btf_kind(t) == BTF_KIND_TYPE_TAG) {
			const char *tag = btf__name_by_offset(btf, t->name_off);

			if (tag && (strcmp(tag, "user") == 0 || strcmp(tag, "percpu") == 0))
				return 0;
			if (tag && strcmp(tag, "rcu") == 0)
				rcu_tag = true;
		}
		sid = t->type;
		t = btf__type_by_id(btf, sid);
	}
	if (!t || guard <= 0 || !btf_is_struct(t))
		return 0;
	if (ptr->flags & VRF_RF_UNTRUSTED) {
		flags = VRF_RF_UNTRUSTED;
	} else if (btf_trust_is_trusted(ptr) || (ptr->flags & VRF_RF_RCU)) {
		if (listed(btf, ptr->btf_id, field, sid, "__safe_trusted")) {
			flags = VRF_RF_TRUSTED;
		} else if (listed(btf, ptr->btf_id, field, sid, "__safe_trusted_or_null")) {
			flags = VRF_RF_TRUSTED;
			maybe_null = true;
		} else if (btf_trust_in_rcu_cs(env) && !ptr->maybe_null) {
			if (listed(btf, ptr->btf_id, field, sid, "__safe_rcu")) {
				flags = VRF_RF_RCU;
			} else if (rcu_tag ||
			           listed(btf, ptr->btf_id, field, sid, "__safe_rcu_or_null")) {
				flags = VRF_RF_RCU;
				maybe_null = true;
			}
		} else {
			flags = VRF_RF_UNTRUSTED;
		}
	}
	mem_btf_set_ptr(dst, sid, flags);
	if (maybe_null) {
		dst->maybe_null = 1;
		dst->id = ++env->id_gen;
	}
	return 1;
}

bool btf_trust_is_scalar(const struct vrf_env *env, const struct vrf_reg *ptr, long long at,
                         int size)
{
	const struct btf *btf = env->opts ? env->opts->kernel_btf : NULL;
	const struct btf_type *t;
	const char *field = NULL;
	uint32_t leaf = 0;

	if (!btf || !(ptr->flags & VRF_RF_KBTF) ||
	    walk_to_ptr(btf, ptr->btf_id, at, size, &field, &leaf) || !leaf)
		return false;
	t = btf__type_by_id(btf, leaf);
	return t && (btf_is_int(t) || btf_is_any_enum(t));
}

/* bpf_rcu_read_unlock(): every MEM_RCU pointer of the path becomes untrusted. */
static void rcu_to_untrusted(struct vrf_reg *r)
{
	if (r->type == VRF_T_BTF_ID && (r->flags & VRF_RF_RCU))
		r->flags = (uint8_t)((r->flags & ~VRF_RF_RCU) | VRF_RF_UNTRUSTED);
}

void btf_trust_rcu_unlock(struct vrf_env *env)
{
	struct vrf_state *st = &env->cur;
	int f, i, k;

	for (f = 0; f <= st->curframe; f++) {
		struct vrf_frame *fr = st->frame[f];

		for (i = 0; i < INSN_NREGS; i++)
			rcu_to_untrusted(&fr->regs[i]);
		for (k = 0; k < fr->nslots; k++)
			if (fr->slot[k].type[0] == VRF_S_SPILL)
				rcu_to_untrusted(&fr->slot[k].spill);
	}
}
