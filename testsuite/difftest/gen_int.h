/*
 * gen_int.h - the generator's private state, shared by gen.c (ALU, jumps, loops, stack)
 * and gen_mem.c (context, packet, helpers, maps).
 *
 * The model is deliberately rough: a kind per register and, per stack byte, whether it
 * was written on every path.  It only biases the choices; the kernel decides.
 */
#ifndef BPFCC_DIFFTEST_GEN_INT_H
#define BPFCC_DIFFTEST_GEN_INT_H

#include "gen.h"
#include "rng.h"

#ifndef BPF_JCOND
#define BPF_JCOND 0xe0 /* may_goto (JMP|JCOND, src_reg 0); older uapi headers lack it */
#endif
#ifndef BPF_MEMSX
#define BPF_MEMSX 0x80 /* sign-extending load (cpu v4); older uapi headers lack it */
#endif

enum gen_kind {
	GK_UNINIT,
	GK_SCALAR,
	GK_CTX,         /* context pointer, offset 0 */
	GK_FP,          /* frame pointer + off */
	GK_MAP_OR_NULL, /* map lookup result before the null check */
	GK_MAP,         /* map value + off, map index in .map */
	GK_PKT,         /* packet start + off, checked range in .range */
	GK_PKT_END,
	GK_MAYBE,        /* differs between the paths that join here */
	GK_SOCK_OR_NULL, /* bpf_sk_lookup_*() result before the null check (referenced) */
	GK_SOCK,         /* a referenced socket */
	GK_RB_OR_NULL,   /* bpf_ringbuf_reserve() result before the null check (referenced) */
	GK_RB,           /* a reserved ring buffer record of .range bytes */
	GK_PSTACK,       /* a caller's stack pointer passed down: .range bytes initialised */
};

struct gen_reg {
	uint8_t kind; /* enum gen_kind */
	uint8_t map;
	int16_t off;
	int16_t range;
};

/* Stack bytes, index 0 = fp-512. */
enum gen_stack_byte {
	GS_UNINIT,
	GS_DATA,  /* scalar bytes */
	GS_SPILL, /* part of an 8-byte pointer spill; the slot's kind in spill[] */
	GS_MIXED, /* written on every path, but not the same way */
};

#define GEN_STACK 512

struct gen_state {
	struct gen_reg r[11];
	uint8_t stk[GEN_STACK];
	struct gen_reg spill[GEN_STACK / 8];
	bool dead; /* the path ended with exit */
};

struct gen {
	struct dt_rng rng;
	struct gen_prog *p;
	bool all;          /* this program may use ctx, packet, helpers and maps */
	unsigned bad;      /* percent chance of a wrong choice at each decision */
	unsigned reserved; /* registers the current loop body must not write (bit mask) */
	size_t budget;     /* stop adding snippets beyond this many instructions */
	unsigned held;     /* references held now: no early exit, no LD_ABS */
	bool calls;        /* this program calls static subprograms */
	int frame;         /* the frame being generated: 0 main, 1.. a subprogram */
	int span;          /* stack bytes a frame's accesses stay within (GEN_STACK ...) */
	bool in_cb;        /* generating a callback: it returns 0 or 1 */
	/* subprograms called but not yet generated (their bodies follow the main program) */
	struct gen_sub {
		size_t call_at; /* the call (or ld_imm64) whose imm points at the body */
		int frame;      /* the frame number of the body */
		uint8_t nargs;
		struct gen_reg arg[5];
		uint8_t chain; /* > 0: a chain of this many nested trivial calls (depth mistake) */
		bool cb;       /* a bpf_loop callback: r1 the index, r2 its context; returns 0/1 */
	} subs[16];
	unsigned nsubs;
};

/* Appends one instruction; aborts when the buffer would overflow (the budget keeps
 * programs far below GEN_MAX_INSNS, so that is a generator bug). */
void gen_emit(struct gen *g, uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm);
/* Emits a conditional or unconditional jump with offset 0; returns its index for
 * gen_patch(). */
size_t gen_emit_jump(struct gen *g, uint8_t code, uint8_t dst, uint8_t src, int32_t imm);
/* Sets the jump at `at` to land on the next instruction to be emitted. */
void gen_patch(struct gen *g, size_t at);

/* A wrong choice now? (also records GEN_F_BAD) */
bool gen_bad(struct gen *g);

/* A random register r0..r9 holding a scalar, or (by gen_bad) any of r0..r9. */
int gen_pick_scalar(struct gen *g, const struct gen_state *st);
/* A register r0..r9 to write that the current loop does not reserve; prefers one whose
 * content is worth little (uninit, scalar) over pointers.  `lo` is the lowest allowed. */
int gen_pick_dst(struct gen *g, const struct gen_state *st, int lo);
/* A register of the given kind, -1 if none. */
int gen_find_kind(struct gen *g, const struct gen_state *st, enum gen_kind kind);
/* An interesting 32-bit immediate. */
int32_t gen_imm(struct gen *g);

/* Marks stack bytes [off, off+size) (off relative to fp) written with `what`. */
void gen_stack_mark(struct gen_state *st, int off, int size, enum gen_stack_byte what);
/* Are all bytes of [off, off+size) written? (false when out of the frame) */
bool gen_stack_init(const struct gen_state *st, int off, int size);

/* r0..r5 after a helper call: r0 `ret`, r1-r5 uninitialised. */
void gen_clobber_call(struct gen_state *st, struct gen_reg ret);

/* A sequence of up to `nsnips` snippets at nesting depth `depth`. */
void gen_block(struct gen *g, struct gen_state *st, int nsnips, int depth);

/* An immediate for r0 before an exit: inside the return range of the program type (or
 * anything in a subprogram), out of it on a wrong choice. */
int32_t gen_ret_imm(struct gen *g);

/* gen_mem.c: snippets that need the "all" class. */
void gen_ctx_access(struct gen *g, struct gen_state *st);
void gen_pkt_access(struct gen *g, struct gen_state *st, int depth);
void gen_ld_abs(struct gen *g, struct gen_state *st);
void gen_helper_call(struct gen *g, struct gen_state *st);
void gen_map_access(struct gen *g, struct gen_state *st, int depth);
/* A register to write other than those in `avoid` (bit mask). */
int gen_pick_other(struct gen *g, const struct gen_state *st, unsigned avoid);
/* ld_imm64 reg = map gen_maps[map] (by index). */
void gen_map_ref(struct gen *g, int reg, int map);

/* gen_ref.c: acquired references and their release. */
void gen_ringbuf(struct gen *g, struct gen_state *st, int depth);
void gen_sk_lookup(struct gen *g, struct gen_state *st, int depth);
/* lookup in the lock map -> null check -> bpf_spin_lock -> value writes -> unlock. */
void gen_spin_lock(struct gen *g, struct gen_state *st);

/* gen_call.c: bpf-to-bpf calls of static subprograms. */
void gen_subprog_call(struct gen *g, struct gen_state *st);
/* bpf_loop(n, callback, ctx, 0) with a static callback (ld_imm64 BPF_PSEUDO_FUNC). */
void gen_loop_callback(struct gen *g, struct gen_state *st);
/* Emits the bodies of the subprograms called so far (and of those they call). */
void gen_subprog_bodies(struct gen *g);

#endif
