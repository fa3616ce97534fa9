/*
 * ref.c - acquired references (see ref.h): acquire, release, the NULL branch of an
 * acquiring pointer, and the leak check at exit and before bpf_tail_call.
 *
 * Models acquire_reference(), release_reference() / release_reference_nomark(),
 * mark_ptr_or_null_regs()'s dropping of a reference on the NULL side, refsafe() and
 * check_resource_leak() / check_reference_leak() of kernel/bpf/verifier.c (Linux 6.18).
 * The kernel prints one "Unreleased reference id=%d alloc_insn=%d" line per leaked
 * reference and then "<where> would lead to reference leak"; the last line is the one
 * bpf() users see at the end of the log, so it is the finding's kernel message and the
 * first leaked reference is named in the explanation.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "verifier/ref.h"

uint32_t ref_acquire(struct vrf_env *env, int insn, enum vrf_ref_kind kind)
{
	struct vrf_state *st = &env->cur;
	uint32_t id = ++env->id_gen;

	if (st->nrefs >= VRF_MAX_REFS) {
		st->refs_overflow = true;
		return id;
	}
	st->refs[st->nrefs].id = id;
	st->refs[st->nrefs].insn = insn;
	st->refs[st->nrefs].kind = (uint8_t)kind;
	st->refs[st->nrefs].aux = 0;
	st->nrefs++;
	return id;
}

const struct vrf_ref *ref_find(const struct vrf_state *st, uint32_t id)
{
	int i;

	for (i = 0; id && i < st->nrefs; i++)
		if (st->refs[i].id == id)
			return &st->refs[i];
	return NULL;
}

int ref_drop(struct vrf_state *st, uint32_t id)
{
	int i;

	for (i = 0; id && i < st->nrefs; i++) {
		if (st->refs[i].id != id)
			continue;
		memmove(&st->refs[i], &st->refs[i + 1],
		        (size_t)(st->nrefs - i - 1) * sizeof(st->refs[0]));
		st->nrefs--;
		return 0;
	}
	return -ENOENT;
}

static void invalidate(struct vrf_reg *r, uint32_t id)
{
	if (r->type != VRF_T_SCALAR && r->type != VRF_T_NOT_INIT && r->ref_obj_id == id)
		reg_mark_unknown(r);
}

void ref_invalidate_regs(struct vrf_env *env, uint32_t id)
{
	struct vrf_state *st = &env->cur;
	int f, i, k;

	if (!id)
		return;
	for (f = 0; f <= st->curframe; f++) {
		struct vrf_frame *fr = st->frame[f];

		for (i = 0; i < INSN_NREGS; i++)
			invalidate(&fr->regs[i], id);
		for (k = 0; k < fr->nslots; k++)
			if (fr->slot[k].type[0] == VRF_S_SPILL)
				invalidate(&fr->slot[k].spill, id);
	}
}

int ref_release(struct vrf_env *env, uint32_t id)
{
	if (ref_drop(&env->cur, id) && !env->cur.refs_overflow)
		return -ENOENT;
	ref_invalidate_regs(env, id);
	return 0;
}

void ref_null_branch(struct vrf_state *st, uint32_t id, uint32_t ref_obj_id, bool is_null)
{
	if (is_null && id && ref_obj_id == id)
		ref_drop(st, id);
}

int ref_check_leak(struct vrf_env *env, int idx, const char *prefix)
{
	const struct vrf_state *st = &env->cur;
	bool tail_call = strcmp(prefix, "tail_call") == 0;
	char d[256];
	int i;

	/* check_reference_leak() looks only at the main program's frame; the lock-like
	 * sections are checked at its exit and at every tail call */
	for (i = 0; !st->curframe && !st->refs_overflow && i < st->nrefs; i++) {
		if (st->refs[i].kind != VRF_REF_PTR)
			continue;
		snprintf(d, sizeof(d),
		         "Unreleased reference id=%u alloc_insn=%d: the object acquired at "
		         "instruction %d is still held %s",
		         st->refs[i].id, st->refs[i].insn, st->refs[i].insn,
		         tail_call ? "at the tail call" : "when the program returns");
		return env_fault(env, VRF_R_REF_LEAK, idx, d, "%s would lead to reference leak",
		                 prefix);
	}
	return 0;
}

bool ref_states_equal(const struct vrf_state *o, const struct vrf_state *c,
                      bool (*ids_fn)(void *m, uint32_t old, uint32_t cur), void *m)
{
	int i;

	if (o->nrefs != c->nrefs || o->refs_overflow != c->refs_overflow)
		return false;
	for (i = 0; i < o->nrefs; i++)
		if (o->refs[i].kind != c->refs[i].kind || o->refs[i].aux != c->refs[i].aux ||
		    !ids_fn(m, o->refs[i].id, c->refs[i].id))
			return false;
	return true;
}

const char *reg_ref_type_name(const struct vrf_reg *r)
{
	static _Thread_local char buf[4][72];
	static _Thread_local unsigned next;
	static const char *const sock[] = {"sock", "sock_common", "tcp_sock", "xdp_sock"};
	char *b = buf[next++ % 4];
	const char *base = "ptr_";

	if (r->type == VRF_T_MEM)
		base = "mem";
	else if (r->type == VRF_T_SOCKET)
		base = r->sock_kind < 4 ? sock[r->sock_kind] : "sock";
	snprintf(b, sizeof(buf[0]), "%s%s%s%s%s%s%s", r->flags & VRF_RF_RDONLY ? "rdonly_" : "",
	         r->flags & VRF_RF_RINGBUF ? "ringbuf_" : "", r->flags & VRF_RF_RCU ? "rcu_" : "",
	         r->flags & VRF_RF_UNTRUSTED ? "untrusted_" : "",
	         r->flags & VRF_RF_TRUSTED ? "trusted_" : "", base,
	         !r->maybe_null            ? ""
	         : r->type == VRF_T_BTF_ID ? "or_null_"
	                                   : "_or_null");
	return b;
}

int trace_ref_reg(const struct vrf_reg *r, char *buf, size_t len)
{
	char f[320] = "", sc[256];
	size_t n = 0;

	if (r->id)
		n += (size_t)snprintf(f + n, sizeof(f) - n, ",id=%u", r->id);
	if (r->ref_obj_id && n < sizeof(f))
		n += (size_t)snprintf(f + n, sizeof(f) - n, ",ref_obj_id=%u", r->ref_obj_id);
	if (r->off && n < sizeof(f))
		n += (size_t)snprintf(f + n, sizeof(f) - n, ",off=%d", r->off);
	if (r->type == VRF_T_MEM && n < sizeof(f))
		n += (size_t)snprintf(f + n, sizeof(f) - n, ",sz=%u", r->mem_size);
	if (!tnum_is_const(r->s.var_off) && n < sizeof(f)) {
		scalar_strn(sc, sizeof(sc), &r->s);
		snprintf(f + n, sizeof(f) - n, ",%s", sc);
	}
	return snprintf(buf, len, "%s(%s)", reg_type_name(r), f[0] ? f + 1 : "");
}

void trace_ref_state(const struct vrf_state *st, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	if (!len)
		return;
	buf[0] = 0;
	for (i = 0; i < st->nrefs && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%u", i ? "," : " refs=", st->refs[i].id);
}
