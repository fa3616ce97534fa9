/*
 * state.c - call frames, verifier states and register kinds.
 *
 * A frame holds only the stack slots the program touched so far (the kernel's
 * allocated_stack grows the same way), so a checkpoint of a program using 16 bytes of
 * stack costs two slots, not 64.  Copies are deep: a queued branch or a checkpoint owns
 * its frames.  The allocator keeps count of the bytes in use so that verifier_run() can
 * report the peak the way the kernel's memory accounting would see it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/ref.h"
#include "verifier/state.h"

static size_t frame_size(int nslots)
{
	return sizeof(struct vrf_frame) + (size_t)nslots * sizeof(struct vrf_slot);
}

struct vrf_frame *state_frame_new(struct vrf_env *env, int callsite, int subprog)
{
	struct vrf_frame *f = calloc(1, frame_size(0));
	int i;

	if (!f)
		return NULL;
	for (i = 0; i < INSN_NREGS; i++)
		reg_mark_not_init(&f->regs[i]);
	f->callsite = callsite;
	f->subprog = subprog;
	env->mem_cur += frame_size(0);
	if (env->mem_cur > env->mem_peak)
		env->mem_peak = env->mem_cur;
	return f;
}

void state_frame_free(struct vrf_env *env, struct vrf_frame *f)
{
	if (!f)
		return;
	env->mem_cur -= frame_size(f->nslots);
	free(f);
}

int state_grow_stack(struct vrf_env *env, struct vrf_state *st, int i, int nslots)
{
	struct vrf_frame *f = st->frame[i], *g;

	if (nslots <= f->nslots)
		return 0;
	g = realloc(f, frame_size(nslots));
	if (!g)
		return -ENOMEM;
	memset(&g->slot[g->nslots], 0, (size_t)(nslots - g->nslots) * sizeof(struct vrf_slot));
	env->mem_cur += frame_size(nslots) - frame_size(g->nslots);
	if (env->mem_cur > env->mem_peak)
		env->mem_peak = env->mem_cur;
	g->nslots = nslots;
	st->frame[i] = g;
	return 0;
}

void state_release(struct vrf_env *env, struct vrf_state *st)
{
	int i;

	for (i = 0; i < VRF_MAX_CALL_FRAMES; i++) {
		state_frame_free(env, st->frame[i]);
		st->frame[i] = NULL;
	}
}

int state_copy(struct vrf_env *env, struct vrf_state *dst, const struct vrf_state *src)
{
	int i;

	state_release(env, dst);
	memcpy((char *)dst + sizeof(dst->frame), (const char *)src + sizeof(src->frame),
	       sizeof(*dst) - sizeof(dst->frame));
	for (i = 0; i <= src->curframe; i++) {
		size_t sz = frame_size(src->frame[i]->nslots);

		dst->frame[i] = malloc(sz);
		if (!dst->frame[i])
			return -ENOMEM;
		memcpy(dst->frame[i], src->frame[i], sz);
		env->mem_cur += sz;
	}
	if (env->mem_cur > env->mem_peak)
		env->mem_peak = env->mem_cur;
	return 0;
}

int state_init(struct vrf_env *env, struct vrf_state *st)
{
	struct vrf_frame *f;

	memset(st, 0, sizeof(*st));
	f = state_frame_new(env, -1, 0);
	if (!f)
		return -ENOMEM;
	st->frame[0] = f;
	f->regs[BPF_REG_1].type = VRF_T_CTX;
	f->regs[BPF_REG_1].s = scalar_const(0);
	f->regs[BPF_REG_10].type = VRF_T_STACK;
	f->regs[BPF_REG_10].s = scalar_const(0);
	return 0;
}

struct vrf_frame *state_cur_frame(struct vrf_state *st)
{
	return st->frame[st->curframe];
}

struct vrf_reg *state_regs(struct vrf_state *st)
{
	return st->frame[st->curframe]->regs;
}

void reg_mark_not_init(struct vrf_reg *r)
{
	memset(r, 0, sizeof(*r));
	r->s = scalar_unknown();
	r->type = VRF_T_NOT_INIT;
}

void reg_mark_unknown(struct vrf_reg *r)
{
	memset(r, 0, sizeof(*r));
	r->s = scalar_unknown();
	r->type = VRF_T_SCALAR;
}

void reg_mark_const(struct vrf_reg *r, uint64_t v)
{
	memset(r, 0, sizeof(*r));
	r->s = scalar_const(v);
	r->type = VRF_T_SCALAR;
}

void reg_link_before_copy(struct vrf_env *env, struct vrf_reg *r)
{
	if (r->type != VRF_T_SCALAR)
		return;
	if (r->id & VRF_ID_ADD_CONST) {
		r->id = 0;
		r->off = 0;
	}
	if (!r->id && !tnum_is_const(r->s.var_off))
		r->id = ++env->id_gen;
}

bool reg_is_pointer(const struct vrf_reg *r)
{
	return r->type > VRF_T_SCALAR;
}

const char *reg_type_name(const struct vrf_reg *r)
{
	switch (r->type) {
	case VRF_T_NOT_INIT:
		return "?";
	case VRF_T_SCALAR:
		return "scalar";
	case VRF_T_CTX:
		return "ctx";
	case VRF_T_STACK:
		return "fp";
	case VRF_T_MAP_PTR:
		return "map_ptr";
	case VRF_T_MAP_VALUE:
		return r->maybe_null ? "map_value_or_null" : "map_value";
	case VRF_T_PACKET:
		return "pkt";
	case VRF_T_PACKET_END:
		return "pkt_end";
	case VRF_T_PACKET_META:
		return "pkt_meta";
	case VRF_T_FUNC:
		return "func";
	case VRF_T_MEM:
	case VRF_T_SOCKET:
	case VRF_T_BTF_ID:
		return reg_ref_type_name(r);
	default:
		return r->maybe_null ? "ptr_or_null_" : "ptr_";
	}
}

int env_fault(struct vrf_env *env, enum vrf_rule rule, int insn, const char *detail,
              const char *kfmt, ...)
{
	char k[128];
	va_list ap;

	va_start(ap, kfmt);
	vsnprintf(k, sizeof(k), kfmt, ap);
	va_end(ap);
	return vrf_fault_set(env->fault, rule, insn, k, detail);
}
