/*
 * iter.c - open-coded iterators (bpf_iter_<kind>_new / _next / _destroy kfuncs), as
 * kernel/bpf/verifier.c of Linux 6.18 verifies them (process_iter_arg(),
 * process_iter_next_call(), is_state_visited()'s iterator case, check_reference_leak()).
 *
 * An iterator lives in the caller's stack: bpf_iter_<kind>_new(&it, ...) turns the slots
 * of `it` (the size of struct bpf_iter_<kind>, 8 bytes for bpf_iter_num) into an active
 * iterator holding a reference; bpf_iter_<kind>_destroy(&it) releases it and the slots
 * become invalid again.  An exit while an iterator is alive leaks the reference: "BPF_EXIT
 * instruction in main prog would lead to reference leak".
 *
 * bpf_iter_<kind>_next(&it) is where the loop is decided.  For an active iterator the
 * kernel queues the loop body (r0 a non-NULL element, the iterator one round deeper,
 * imprecise scalars that changed since the previous round widened) and goes on with the
 * iterator drained and r0 NULL (the loop exit).  The next() call is a forced checkpoint:
 * a round arriving there in a state within an earlier round's still in flight (all
 * scalars by range, the iterator's state but not its depth) ends the path - the loop has
 * converged.  So a loop over an iterator is explored a few rounds, not as many times as it
 * runs.
 *
 * Kfuncs are named through the target kernel's BTF (vrf_options.kernel_btf); without it
 * nothing here applies and the calls are plain kfunc calls.  Misuse the kernel refuses
 * (next() on an uninitialised iterator, new() over a live one) is not modelled: those
 * calls are left alone.
 */
#include <errno.h>
#include <string.h>

#include <bpf/btf.h>

#include "verifier/calls.h"

enum iter_op {
	ITER_NONE,
	ITER_NEW,
	ITER_NEXT,
	ITER_DESTROY,
};

/* spill.flags of an iterator slot */
#define ITER_ACTIVE  1
#define ITER_DRAINED 2

static const char *iter_kfunc_name(const struct vrf_env *env, const struct bpf_insn *in)
{
	const struct btf *btf = env->opts ? env->opts->kernel_btf : NULL;
	const struct btf_type *t;

	if (!btf || !insn_is_kfunc_call(in) || in->off != 0 || in->imm <= 0)
		return NULL;
	t = btf__type_by_id(btf, (uint32_t)in->imm);
	if (!t || !btf_is_func(t))
		return NULL;
	return btf__name_by_offset(btf, t->name_off);
}

static enum iter_op iter_op_of(const struct vrf_env *env, const struct bpf_insn *in)
{
	const char *name = iter_kfunc_name(env, in);
	size_t n;

	if (!name || strncmp(name, "bpf_iter_", 9) != 0)
		return ITER_NONE;
	n = strlen(name);
	if (n > 4 && strcmp(name + n - 4, "_new") == 0)
		return ITER_NEW;
	if (n > 5 && strcmp(name + n - 5, "_next") == 0)
		return ITER_NEXT;
	if (n > 8 && strcmp(name + n - 8, "_destroy") == 0)
		return ITER_DESTROY;
	return ITER_NONE;
}

bool iter_is_next_call(const struct vrf_env *env, int idx)
{
	return iter_op_of(env, &env->insns[idx]) == ITER_NEXT;
}

/* The iterator struct the kfunc's first argument points to: its BTF id and size. */
static bool iter_struct(const struct vrf_env *env, const struct bpf_insn *in, uint32_t *id,
                        uint32_t *size)
{
	const struct btf *btf = env->opts->kernel_btf;
	const struct btf_type *fn = btf__type_by_id(btf, (uint32_t)in->imm), *proto, *p;
	uint32_t tid;
	long sz;
	int guard = 0;

	proto = fn ? btf__type_by_id(btf, fn->type) : NULL;
	if (!proto || !btf_is_func_proto(proto) || btf_vlen(proto) < 1)
		return false;
	p = btf__type_by_id(btf, btf_params(proto)[0].type);
	if (!p || !btf_is_ptr(p))
		return false;
	tid = p->type;
	p = btf__type_by_id(btf, tid);
	while (p && (btf_is_mod(p) || btf_is_typedef(p)) && guard++ < 16) {
		tid = p->type;
		p = btf__type_by_id(btf, tid);
	}
	if (!p || !btf_is_struct(p))
		return false;
	sz = btf__resolve_size(btf, tid);
	if (sz <= 0 || sz % VRF_SLOT_SIZE || sz > 16 * VRF_SLOT_SIZE)
		return false;
	*id = tid;
	*size = (uint32_t)sz;
	return true;
}

/* The stack slots [k, k + nslots) of the iterator r1 points to; NULL when r1 is not a
 * constant stack pointer at a slot boundary. */
static struct vrf_frame *iter_slots(struct vrf_env *env, const struct vrf_reg *r1, uint32_t size,
                                    int *k)
{
	int64_t addr;
	int fno;

	if (r1->type != VRF_T_STACK || !tnum_is_const(r1->s.var_off) ||
	    r1->frameno > env->cur.curframe)
		return NULL;
	addr = (int64_t)r1->s.var_off.value + r1->off;
	if (addr >= 0 || addr < -VRF_MAX_STACK || addr % VRF_SLOT_SIZE || addr + (int64_t)size > 0)
		return NULL;
	fno = r1->frameno;
	/* the lowest address is the iterator's first byte: its slot holds the state */
	*k = (int)((-addr - 1) / VRF_SLOT_SIZE);
	return env->cur.frame[fno];
}

static void iter_clobber(struct vrf_reg *regs)
{
	int r;

	for (r = BPF_REG_0; r <= BPF_REG_5; r++)
		reg_mark_not_init(&regs[r]);
}

static int iter_new(struct vrf_env *env, const struct vrf_reg *r1, uint32_t id, uint32_t size)
{
	int k, n = (int)(size / VRF_SLOT_SIZE), i, b, fno = r1->frameno, err;
	struct vrf_frame *f;

	if (!iter_slots(env, r1, size, &k) || k - n + 1 < 0)
		return 1; /* not modelled */
	err = state_grow_stack(env, &env->cur, fno, k + 1);
	if (err)
		return err;
	calls_note_stack(env, fno, -(int64_t)(k + 1) * VRF_SLOT_SIZE);
	f = env->cur.frame[fno];
	for (i = k - n + 1; i <= k; i++) {
		struct vrf_slot *s = &f->slot[i];

		for (b = 0; b < VRF_SLOT_SIZE; b++)
			s->type[b] = VRF_S_ITER;
		reg_mark_not_init(&s->spill);
	}
	reg_mark_const(&f->slot[k].spill, 0);
	f->slot[k].spill.type = VRF_T_OTHER;
	f->slot[k].spill.btf_id = id;
	f->slot[k].spill.flags = ITER_ACTIVE;
	f->slot[k].spill.ref_obj_id = ++env->id_gen;
	f->slot[k].spill.range = 0; /* depth */
	return 0;
}

static int iter_destroy(struct vrf_env *env, const struct vrf_reg *r1, uint32_t size)
{
	int k, n = (int)(size / VRF_SLOT_SIZE), i, b;
	struct vrf_frame *f = iter_slots(env, r1, size, &k);

	if (!f || k >= f->nslots || k - n + 1 < 0 || f->slot[k].type[0] != VRF_S_ITER)
		return 1;
	for (i = k - n + 1; i <= k; i++) {
		for (b = 0; b < VRF_SLOT_SIZE; b++)
			f->slot[i].type[b] = VRF_S_INVALID;
		reg_mark_not_init(&f->slot[i].spill);
	}
	return 0;
}

/* The element next() hands out: bpf_iter_num's int, other iterators' kernel objects. */
static void iter_element(const struct vrf_env *env, const struct bpf_insn *in, struct vrf_reg *r0)
{
	const struct btf *btf = env->opts->kernel_btf;
	const struct btf_type *fn = btf__type_by_id(btf, (uint32_t)in->imm), *proto, *p;
	uint32_t tid;
	long sz = -1;

	reg_mark_const(r0, 0);
	r0->type = VRF_T_OTHER;
	proto = fn ? btf__type_by_id(btf, fn->type) : NULL;
	p = proto && btf_is_func_proto(proto) ? btf__type_by_id(btf, proto->type) : NULL;
	if (!p || !btf_is_ptr(p))
		return;
	tid = p->type;
	p = btf__type_by_id(btf, tid);
	if (p && (btf_is_int(p) || btf_is_any_enum(p)))
		sz = btf__resolve_size(btf, tid);
	if (sz > 0) {
		/* PTR_TO_MEM | MEM_RDONLY of the element's size */
		r0->type = VRF_T_MEM;
		r0->mem_size = (uint32_t)sz;
	}
}

/* widen_imprecise_scalars() between the previous round at the next() call and the body
 * about to be explored (registers only: spilled scalars keep their values). */
static void iter_widen(struct vrf_env *env, struct vrf_state *body, int idx)
{
	struct vrf_explored *e;
	int f, r;

	for (e = env->explored[idx]; e; e = e->next) {
		bool same = e->branches && e->st.curframe == body->curframe && e != env->cur.parent;

		for (f = 0; same && f <= body->curframe; f++)
			same = e->st.frame[f]->callsite == body->frame[f]->callsite;
		if (same)
			break;
	}
	if (!e)
		return;
	for (f = 0; f <= body->curframe; f++) {
		int at = f == body->curframe ? idx : body->frame[f + 1]->callsite + 1;

		for (r = 0; r < BPF_REG_10; r++) {
			const struct vrf_reg *o = &e->st.frame[f]->regs[r];
			struct vrf_reg *c = &body->frame[f]->regs[r];

			if (o->type != VRF_T_SCALAR || c->type != VRF_T_SCALAR ||
			    (env->precise[at] & (1u << r)) ||
			    (o->s.var_off.value == c->s.var_off.value &&
			     o->s.var_off.mask == c->s.var_off.mask && o->s.smin == c->s.smin &&
			     o->s.smax == c->s.smax && o->s.umin == c->s.umin &&
			     o->s.umax == c->s.umax))
				continue;
			reg_mark_unknown(c);
		}
	}
}

static int iter_next(struct vrf_env *env, const struct bpf_insn *in, int idx,
                     const struct vrf_reg *r1, uint32_t size)
{
	struct vrf_frame *f;
	struct vrf_state *body;
	struct vrf_reg *it;
	int k, err = 0;

	f = iter_slots(env, r1, size, &k);
	if (!f || k >= f->nslots || f->slot[k].type[0] != VRF_S_ITER)
		return 1;
	it = &f->slot[k].spill;
	if (it->flags == ITER_ACTIVE) {
		body = explore_push(env, idx + 1, idx, &err);
		if (!body)
			return err;
		iter_clobber(state_regs(body));
		iter_element(env, in, &state_regs(body)[BPF_REG_0]);
		body->frame[r1->frameno]->slot[k].spill.range++;
		iter_widen(env, body, idx);
		explore_note_step(body, idx, idx + 1, true);
	}
	it->flags = ITER_DRAINED;
	iter_clobber(state_regs(&env->cur));
	reg_mark_const(&state_regs(&env->cur)[BPF_REG_0], 0);
	return 0;
}

int iter_kfunc_call(struct vrf_env *env, const struct bpf_insn *in, int idx, int *next)
{
	enum iter_op op = iter_op_of(env, in);
	struct vrf_reg r1;
	uint32_t id, size;
	int err;

	if (op == ITER_NONE || !iter_struct(env, in, &id, &size))
		return 1;
	r1 = state_regs(&env->cur)[BPF_REG_1];
	switch (op) {
	case ITER_NEW:
		err = iter_new(env, &r1, id, size);
		if (err)
			return err;
		iter_clobber(state_regs(&env->cur));
		reg_mark_unknown(&state_regs(&env->cur)[BPF_REG_0]);
		break;
	case ITER_NEXT:
		err = iter_next(env, in, idx, &r1, size);
		if (err)
			return err;
		break;
	case ITER_DESTROY:
		err = iter_destroy(env, &r1, size);
		if (err)
			return err;
		iter_clobber(state_regs(&env->cur));
		break;
	default:
		return 1;
	}
	*next = idx + 1;
	return 0;
}

bool iter_active_at(const struct vrf_env *env, int idx)
{
	const struct vrf_reg *r1 = &state_regs((struct vrf_state *)&env->cur)[BPF_REG_1];
	const struct vrf_frame *f;
	int64_t addr;
	int k;

	(void)idx;
	if (r1->type != VRF_T_STACK || !tnum_is_const(r1->s.var_off) ||
	    r1->frameno > env->cur.curframe)
		return false;
	addr = (int64_t)r1->s.var_off.value + r1->off;
	if (addr >= 0 || addr < -VRF_MAX_STACK)
		return false;
	k = (int)((-addr - 1) / VRF_SLOT_SIZE);
	f = env->cur.frame[r1->frameno];
	return k < f->nslots && f->slot[k].type[0] == VRF_S_ITER &&
	       f->slot[k].spill.flags == ITER_ACTIVE;
}

bool iter_depths_differ(const struct vrf_state *a, const struct vrf_state *b)
{
	int f, k;

	for (f = 0; f <= a->curframe && f <= b->curframe; f++) {
		const struct vrf_frame *x = a->frame[f], *y = b->frame[f];

		for (k = 0; k < x->nslots && k < y->nslots; k++)
			if (x->slot[k].type[0] == VRF_S_ITER && y->slot[k].type[0] == VRF_S_ITER &&
			    x->slot[k].spill.flags == ITER_ACTIVE &&
			    x->slot[k].spill.range != y->slot[k].spill.range)
				return true;
	}
	return false;
}

int iter_check_leak(struct vrf_env *env, int idx)
{
	int f, k;

	for (f = 0; f <= env->cur.curframe; f++) {
		const struct vrf_frame *fr = env->cur.frame[f];

		for (k = 0; k < fr->nslots; k++)
			if (fr->slot[k].type[0] == VRF_S_ITER && fr->slot[k].spill.flags)
				return env_fault(env, VRF_R_ITER_LEAK, idx,
				                 "an open-coded iterator is still alive at exit: "
				                 "call its bpf_iter_*_destroy() on every path",
				                 "BPF_EXIT instruction in main prog would lead to "
				                 "reference leak");
	}
	return 0;
}
