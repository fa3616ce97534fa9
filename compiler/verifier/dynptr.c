/*
 * dynptr.c - dynptrs on the stack (process_dynptr_func(), mark_stack_slots_dynptr(),
 * unmark_stack_slots_dynptr() and friends of kernel/bpf/verifier.c, Linux 6.18).
 *
 * A struct bpf_dynptr is 16 bytes on the stack: two slots whose bytes are all
 * VRF_S_DYNPTR.  The slot at the lower address (the first slot) holds the dynptr's state
 * in its spill register: type VRF_T_OTHER, flags = the dynptr kind (enum dynptr_kind),
 * off = 1 for the first slot and 0 for the second, id = the dynptr's id, ref_obj_id = the
 * reference a ring buffer dynptr holds.
 *
 * A helper argument that initialises a dynptr (MEM_UNINIT: bpf_dynptr_from_mem,
 * bpf_ringbuf_reserve_dynptr) must point at a constant, 8-byte aligned stack offset below
 * fp-8 ("cannot pass in dynptr at an offset=%d", then "Dynptr has to be an uninitialized
 * dynptr") and may not overwrite a ring buffer dynptr ("cannot overwrite referenced
 * dynptr"); a ring buffer dynptr acquires a reference even when the reservation fails.
 * Other dynptr arguments must be initialised ("Expected an initialized dynptr as arg #%d")
 * and of the kind the helper wants ("Expected a dynptr of type ringbuf as arg #%d"); a
 * release (bpf_ringbuf_submit_dynptr / discard_dynptr) needs a referenced one ("arg %d is
 * an unacquired reference"), releases the reference (slices from bpf_dynptr_data become
 * unknown scalars) and leaves the slots invalid.
 *
 * kfuncs that create dynptrs (bpf_dynptr_from_skb, ..., bpf_dynptr_clone) are not
 * modelled: the 16 bytes behind a stack argument of a dynptr kfunc become a dynptr of
 * unknown kind that every later check accepts.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "verifier/helper_proto.h"
#include "verifier/kfunc.h"
#include "verifier/ref.h"

enum dynptr_kind {
	DYNPTR_NONE,
	DYNPTR_LOCAL,
	DYNPTR_RINGBUF,
	DYNPTR_UNKNOWN, /* made by a kfunc bpfcc does not model */
};

#define DYNPTR_SIZE 16

/* dynptr_get_spi(): the first slot's index, -1 after the kernel's offset complaint in
 * *why, -2 when bpfcc cannot tell (variable offset, unmodelled pointer). */
static int dynptr_spi(const struct vrf_reg *r, int *off)
{
	int64_t o;

	if (r->type != VRF_T_STACK || !tnum_is_const(r->s.var_off))
		return -2;
	o = (int64_t)r->off + (int64_t)r->s.var_off.value;
	*off = (int)o;
	if (o % VRF_SLOT_SIZE || o > -DYNPTR_SIZE || o < -VRF_MAX_STACK)
		return -1;
	return (int)((-o - 1) / VRF_SLOT_SIZE);
}

static struct vrf_frame *dynptr_frame(struct vrf_env *env, const struct vrf_reg *r)
{
	return env->cur.frame[r->frameno <= env->cur.curframe ? r->frameno : env->cur.curframe];
}

static bool slot_all(const struct vrf_frame *f, int k, uint8_t type)
{
	int b;

	if (k < 0 || k >= f->nslots)
		return false;
	for (b = 0; b < VRF_SLOT_SIZE; b++)
		if (f->slot[k].type[b] != type)
			return false;
	return true;
}

/* is_dynptr_reg_valid_init(): the first slot's state, NULL when not a dynptr there. */
static const struct vrf_reg *dynptr_at(const struct vrf_frame *f, int spi)
{
	if (!slot_all(f, spi, VRF_S_DYNPTR) || !slot_all(f, spi - 1, VRF_S_DYNPTR) ||
	    f->slot[spi].spill.off != 1)
		return NULL;
	return &f->slot[spi].spill;
}

static void dynptr_clear(struct vrf_frame *f, int spi)
{
	int k, b;

	for (k = spi - 1; k <= spi; k++) {
		for (b = 0; b < VRF_SLOT_SIZE; b++)
			f->slot[k].type[b] = VRF_S_INVALID;
		reg_mark_not_init(&f->slot[k].spill);
	}
}

static int dynptr_mark(struct vrf_env *env, const struct vrf_reg *r, int spi, enum dynptr_kind kind,
                       uint32_t ref, int idx)
{
	int fno = r->frameno <= env->cur.curframe ? r->frameno : env->cur.curframe;
	struct vrf_frame *f;
	int err, k, b;

	(void)idx;
	err = state_grow_stack(env, &env->cur, fno, spi + 1);
	if (err)
		return err;
	f = env->cur.frame[fno];
	for (k = spi - 1; k <= spi; k++) {
		for (b = 0; b < VRF_SLOT_SIZE; b++)
			f->slot[k].type[b] = VRF_S_DYNPTR;
		reg_mark_const(&f->slot[k].spill, 0);
		f->slot[k].spill.type = VRF_T_OTHER;
		f->slot[k].spill.flags = (uint8_t)kind;
		f->slot[k].spill.off = k == spi;
		f->slot[k].spill.ref_obj_id = ref;
	}
	f->slot[spi].spill.id = ++env->id_gen;
	f->slot[spi - 1].spill.id = f->slot[spi].spill.id;
	return 0;
}

/* destroy_if_dynptr_stack_slot() for the two slots an initialisation overwrites. */
static int dynptr_overwrite(struct vrf_env *env, const struct vrf_reg *r, int spi, int idx)
{
	struct vrf_frame *f = dynptr_frame(env, r);
	int k;

	for (k = spi - 1; k <= spi; k++) {
		int first;

		if (k < 0 || k >= f->nslots || f->slot[k].type[0] != VRF_S_DYNPTR)
			continue;
		first = f->slot[k].spill.off == 1 ? k : k + 1;
		if (f->slot[k].spill.flags == DYNPTR_RINGBUF)
			return env_fault(
			    env, VRF_R_DYNPTR, idx,
			    "the dynptr still holds a ring buffer reservation: submit or "
			    "discard it before reusing its stack slots",
			    "cannot overwrite referenced dynptr");
		if (first < f->nslots)
			dynptr_clear(f, first);
	}
	return 0;
}

int dynptr_stack_write(struct vrf_env *env, struct vrf_frame *f, int k, int idx)
{
	int first;

	if (k < 0 || k >= f->nslots || f->slot[k].type[0] != VRF_S_DYNPTR)
		return 0;
	first = f->slot[k].spill.off == 1 ? k : k + 1;
	if (f->slot[k].spill.flags == DYNPTR_RINGBUF)
		return env_fault(
		    env, VRF_R_DYNPTR, idx,
		    "the store lands in a dynptr that holds a ring buffer reservation: "
		    "submit or discard it before reusing its stack slots",
		    "cannot overwrite referenced dynptr");
	if (first < f->nslots)
		dynptr_clear(f, first);
	return 0;
}

int dynptr_helper_arg(struct vrf_env *env, const struct bpf_insn *in, int argi, struct ref_call *rc,
                      int idx)
{
	const struct vrf_helper_proto *p = vrf_helper_proto((uint32_t)in->imm);
	const struct vrf_helper_arg *a = &p->args[argi];
	const struct vrf_reg *r = &state_regs(&env->cur)[BPF_REG_1 + argi], *d;
	int regno = BPF_REG_1 + argi, off = 0, spi = dynptr_spi(r, &off);
	struct vrf_frame *f;
	uint32_t ref = 0;
	char det[160];

	if (spi == -2)
		return 0;
	if (a->flags & VRF_ARGF_MEM_UNINIT) {
		if (spi < 0)
			return env_fault(
			    env, VRF_R_DYNPTR, idx,
			    "a dynptr must sit on the stack at a constant, 8-byte aligned "
			    "offset",
			    "Dynptr has to be an uninitialized dynptr");
		if (dynptr_overwrite(env, r, spi, idx))
			return -EINVAL;
		if (a->flags & VRF_ARGF_DYNPTR_RINGBUF)
			ref = ref_acquire(env, idx, VRF_REF_PTR);
		return dynptr_mark(
		    env, r, spi, a->flags & VRF_ARGF_DYNPTR_RINGBUF ? DYNPTR_RINGBUF : DYNPTR_LOCAL,
		    ref, idx);
	}
	f = dynptr_frame(env, r);
	d = spi >= 1 ? dynptr_at(f, spi) : NULL;
	snprintf(det, sizeof(det),
	         "argument %d of bpf_%s must be a dynptr initialised on every path (and not "
	         "yet released)",
	         argi + 1, p->name);
	if (a->flags & VRF_ARGF_OBJ_RELEASE) {
		if (d && d->flags == DYNPTR_UNKNOWN) {
			dynptr_clear(f, spi);
			return 0;
		}
		if (!d || !d->ref_obj_id)
			return env_fault(env, VRF_R_DYNPTR, idx, det,
			                 "arg %d is an unacquired reference", regno);
	}
	if (!d)
		return env_fault(env, VRF_R_DYNPTR, idx, det,
		                 "Expected an initialized dynptr as arg #%d", regno - 1);
	if (d->flags != DYNPTR_UNKNOWN && (a->flags & VRF_ARGF_DYNPTR_RINGBUF) &&
	    d->flags != DYNPTR_RINGBUF)
		return env_fault(env, VRF_R_DYNPTR, idx, det,
		                 "Expected a dynptr of type ringbuf as arg #%d", regno - 1);
	if (d->ref_obj_id && !rc->ref_obj_id)
		rc->ref_obj_id = d->ref_obj_id;
	if (a->flags & VRF_ARGF_OBJ_RELEASE) {
		ref = d->ref_obj_id;
		ref_release(env, ref);
		dynptr_clear(dynptr_frame(env, r), spi);
	}
	return 0;
}

void dynptr_kfunc_args(struct vrf_env *env, const struct bpf_insn *in)
{
	const char *name = kfunc_name(env, in);
	struct vrf_reg *regs = state_regs(&env->cur);
	int i, off, spi;

	if (!name || !strstr(name, "dynptr"))
		return;
	for (i = BPF_REG_1; i <= BPF_REG_5; i++) {
		const struct vrf_reg *r = &regs[i];
		struct vrf_frame *f;

		spi = dynptr_spi(r, &off);
		if (spi < 1)
			continue;
		f = dynptr_frame(env, r);
		if (dynptr_at(f, spi)) {
			/* a clone may share the reference: leaks are not decided any more */
			if (dynptr_at(f, spi)->ref_obj_id && strstr(name, "clone"))
				env->cur.refs_overflow = true;
			continue;
		}
		if (dynptr_mark(env, r, spi, DYNPTR_UNKNOWN, 0, 0))
			return;
		regs = state_regs(&env->cur);
	}
}
