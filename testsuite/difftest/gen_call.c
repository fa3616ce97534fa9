/*
 * gen_call.c - the generator's bpf-to-bpf calls: static subprograms called with
 * "call pc+k" (src_reg BPF_PSEUDO_CALL), their bodies placed after the main program.
 *
 * Kernel facts the biasing leans on (the kernel still decides):
 *  - a subprogram starts with r1-r5 as the caller left them and r6-r9 unreadable
 *    ("R6 !read_ok"); it must set r0 before its exit;
 *  - after the call r0 holds the return value and r1-r5 are unreadable, r6-r9 and the
 *    caller's stack survive;
 *  - a pointer to the caller's stack may be passed down and used within the caller's
 *    frame (reading bytes the caller never wrote is fine for a privileged loader);
 *  - at most 8 frames ("the call stack of %d frames is too deep !") and 512 bytes of
 *    stack over the whole call chain (frames rounded up to 32 bytes) - the main frame's
 *    accesses stay within 256 bytes and a subprogram's mostly within 64 here;
 *  - the context may be passed down and read or written in the callee as in the caller;
 *  - no BTF is needed for static subprograms (func_info is optional without it).
 * The call sites are emitted first with imm 0 and patched when gen_subprog_bodies()
 * places the bodies; a body may call again (up to frame 2), and a deliberate mistake is a
 * chain of trivial nested calls one frame too deep.
 */
#include "gen_int.h"

#define SUB_FRAMES_TOO_DEEP 8 /* nested calls below main: main + 8 = 9 frames > 8 */

/* A scalar source among r0 and r6-r9 (not clobbered while arguments are set), or -1. */
static int arg_scalar_src(struct gen *g, const struct gen_state *st)
{
	int cand[5], nc = 0;

	if (st->r[0].kind == GK_SCALAR)
		cand[nc++] = 0;
	for (int r = 6; r <= 9; r++)
		if (st->r[r].kind == GK_SCALAR)
			cand[nc++] = r;
	return nc ? cand[dt_below(&g->rng, (uint32_t)nc)] : -1;
}

/* r`reg` = fp + off after writing (mostly) `size` bytes there: a stack pointer to pass. */
static struct gen_reg arg_stack(struct gen *g, struct gen_state *st, int reg)
{
	int size = 8 * dt_range(&g->rng, 1, 2);
	int off = -8 * dt_range(&g->rng, 2, 8);

	for (int o = off; o < off + size; o += 8) {
		if (dt_chance(&g->rng, 10))
			continue; /* left unwritten: fine for root */
		gen_emit(g, BPF_ST | BPF_MEM | BPF_DW, BPF_REG_10, 0, (int16_t)o, gen_imm(g));
		gen_stack_mark(st, o, 8, GS_DATA);
	}
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, (uint8_t)reg, BPF_REG_10, 0, 0);
	gen_emit(g, BPF_ALU64 | BPF_ADD | BPF_K, (uint8_t)reg, 0, 0, off);
	return (struct gen_reg){.kind = GK_PSTACK, .off = (int16_t)off, .range = (int16_t)size};
}

void gen_subprog_call(struct gen *g, struct gen_state *st)
{
	struct gen_sub *sub;
	int ctx = -1;

	if (g->nsubs >= sizeof(g->subs) / sizeof(g->subs[0]))
		return;
	g->p->features |= GEN_F_SUBPROG;
	sub = &g->subs[g->nsubs++];
	*sub = (struct gen_sub){.frame = g->frame + 1};
	for (int r = 0; r < 10; r++)
		if (st->r[r].kind == GK_CTX && (r == 0 || r >= 6))
			ctx = r;
	if (g->frame == 0 && dt_chance(&g->rng, 8) && gen_bad(g)) {
		sub->chain = SUB_FRAMES_TOO_DEEP;
	} else {
		sub->nargs = (uint8_t)dt_range(&g->rng, 0, 3);
		for (int i = 0; i < sub->nargs; i++) {
			int reg = BPF_REG_1 + i, src;

			if (ctx >= 0 && i == 0 && dt_chance(&g->rng, 40)) { /* the context */
				gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, (uint8_t)reg, (uint8_t)ctx,
				         0, 0);
				sub->arg[i] = (struct gen_reg){.kind = GK_CTX};
			} else if (dt_chance(&g->rng, 35)) { /* a stack pointer */
				sub->arg[i] = arg_stack(g, st, reg);
			} else if ((src = arg_scalar_src(g, st)) >= 0 && dt_chance(&g->rng, 60)) {
				gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, (uint8_t)reg, (uint8_t)src,
				         0, 0);
				sub->arg[i] = (struct gen_reg){.kind = GK_SCALAR};
			} else {
				gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, (uint8_t)reg, 0, 0,
				         gen_imm(g));
				sub->arg[i] = (struct gen_reg){.kind = GK_SCALAR};
			}
		}
	}
	sub->call_at = g->p->n;
	gen_emit(g, BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 0);
	gen_clobber_call(st, (struct gen_reg){.kind = GK_SCALAR});
	if (gen_bad(g)) { /* an argument register read after the call */
		int dst = gen_pick_dst(g, st, 6);

		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, (uint8_t)dst,
		         (uint8_t)dt_range(&g->rng, BPF_REG_1, BPF_REG_5), 0, 0);
		st->r[dst] = (struct gen_reg){.kind = GK_SCALAR};
	} else if (dt_chance(&g->rng, 50)) { /* keep the return value */
		int dst = gen_pick_dst(g, st, 6);

		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, (uint8_t)dst, BPF_REG_0, 0, 0);
		st->r[dst] = st->r[0];
	}
}

#define HELPER_LOOP 181 /* bpf_loop */

void gen_loop_callback(struct gen *g, struct gen_state *st)
{
	struct gen_sub *sub;

	if (g->nsubs >= sizeof(g->subs) / sizeof(g->subs[0]))
		return;
	g->p->features |= GEN_F_CALLBACK | GEN_F_HELPER;
	sub = &g->subs[g->nsubs++];
	*sub = (struct gen_sub){.frame = g->frame + 1, .cb = true, .nargs = 2};
	sub->arg[0] = (struct gen_reg){.kind = GK_SCALAR}; /* the index */
	if (dt_chance(&g->rng, 60)) {
		sub->arg[1] = arg_stack(g, st, BPF_REG_3);
	} else {
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, 0);
		sub->arg[1] = (struct gen_reg){.kind = GK_SCALAR}; /* NULL */
	}
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, dt_range(&g->rng, 1, 40));
	sub->call_at = g->p->n;
	gen_emit(g, BPF_LD | BPF_IMM | BPF_DW, BPF_REG_2, BPF_PSEUDO_FUNC, 0, 0);
	gen_emit(g, 0, 0, 0, 0, 0);
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, 0);
	gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, HELPER_LOOP);
	gen_clobber_call(st, (struct gen_reg){.kind = GK_SCALAR});
}

/* Accesses through a caller's stack pointer in `reg`: within what was passed, or (wrong)
 * at or above the caller's frame pointer. */
static void sub_pstack(struct gen *g, struct gen_state *st, int reg)
{
	const struct gen_reg a = st->r[reg];

	for (int k = dt_range(&g->rng, 1, 2); k > 0; k--) {
		int off = 8 * (int)dt_below(&g->rng, (uint32_t)(a.range / 8));

		if (gen_bad(g))
			off = -a.off + 8 * (int)dt_below(&g->rng, 2);
		if (dt_chance(&g->rng, 50)) {
			int dst = gen_pick_dst(g, st, 0);

			if (dst >= BPF_REG_1 && dst <= BPF_REG_5 && st->r[dst].kind != GK_UNINIT)
				dst = BPF_REG_0;
			gen_emit(g, BPF_LDX | BPF_MEM | BPF_DW, (uint8_t)dst, (uint8_t)reg,
			         (int16_t)off, 0);
			st->r[dst] = (struct gen_reg){.kind = GK_SCALAR};
			if (dst == reg)
				return;
		} else {
			gen_emit(g, BPF_ST | BPF_MEM | BPF_DW, (uint8_t)reg, 0, (int16_t)off,
			         gen_imm(g));
		}
	}
}

/* call +2; r0 = 0; exit, `levels` times, then r0 = 0; exit. */
static void sub_chain(struct gen *g, int levels)
{
	for (int k = 0; k < levels; k++) {
		gen_emit(g, BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 2);
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
		gen_emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	}
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
	gen_emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

void gen_subprog_bodies(struct gen *g)
{
	for (unsigned i = 0; i < g->nsubs; i++) {
		struct gen_sub sub = g->subs[i];
		struct gen_state st = {0};

		g->p->insns[sub.call_at].imm = (int32_t)(g->p->n - sub.call_at - 1);
		if (sub.chain) {
			sub_chain(g, sub.chain - 1);
			continue;
		}
		g->frame = sub.frame;
		g->in_cb = sub.cb;
		g->span = 64;
		g->held = 0;
		g->reserved = 0;
		if (g->budget < g->p->n + 30)
			g->budget = g->p->n + 30;
		st.r[BPF_REG_10] = (struct gen_reg){.kind = GK_FP};
		for (int a = 0; a < sub.nargs; a++)
			st.r[BPF_REG_1 + a] = sub.arg[a];
		for (int a = 0; a < sub.nargs; a++)
			if (st.r[BPF_REG_1 + a].kind == GK_PSTACK)
				sub_pstack(g, &st, BPF_REG_1 + a);
		if (sub.cb && st.r[BPF_REG_2].kind == GK_SCALAR && gen_bad(g)) /* through NULL */
			gen_emit(g, BPF_ST | BPF_MEM | BPF_DW, BPF_REG_2, 0, 0, 1);
		if (g->p->n < 300) /* GEN_MAX_INSNS stays far away */
			gen_block(g, &st, dt_range(&g->rng, 1, 5), 0);
		if (!st.dead) {
			/* the callers took the return value for a scalar; a callback's must be
			 * 0 or 1, an unknown one is not */
			if (st.r[0].kind != GK_SCALAR || sub.cb ? !gen_bad(g)
			                                        : dt_chance(&g->rng, 50))
				gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0,
				         gen_ret_imm(g));
			gen_emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		}
	}
	g->frame = 0;
	g->in_cb = false;
}
