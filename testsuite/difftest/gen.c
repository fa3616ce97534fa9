/*
 * gen.c - the differential generator's core: the program skeleton, ALU/ALU64 operations,
 * forward branches and if/else diamonds, bounded loops, stack stores, loads and atomics.
 *
 * Every program starts with a few registers set to constants, runs a block of snippets
 * and ends with "r0 = imm; exit" (or exits with whatever r0 holds, set or not).  Blocks
 * nest through branches and loops to depth 3.  The kernel facts the biasing leans on:
 * reading a register never written is "R%d !read_ok"; stack accesses are strictly
 * aligned and limited to 512 bytes below r10 (outside: "invalid read/write to stack");
 * reading a stack byte never written is allowed for a loader with CAP_PERFMON (root, as
 * here; checked on 6.18), so the uninitialised stack reads made here do not by themselves
 * get a program refused; a shift by the width or more and a division by the constant 0
 * are refused; a back-edge is fine for a privileged loader when the loop provably ends.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/btf.h>

#include "gen_int.h"

const struct gen_map_spec gen_maps[GEN_NR_MAPS] = {
    [GEN_MAP_ARRAY] = {"dt_array", BPF_MAP_TYPE_ARRAY, 4, 48, 8},
    [GEN_MAP_HASH] = {"dt_hash", BPF_MAP_TYPE_HASH, 8, 16, 64},
    [GEN_MAP_RINGBUF] = {"dt_ringbuf", BPF_MAP_TYPE_RINGBUF, 0, 0, 4096},
    [GEN_MAP_LOCK] = {"dt_lock", BPF_MAP_TYPE_ARRAY, 4, GEN_LOCK_VAL_SIZE, 4, GEN_BTF_LOCK_VAL},
};

size_t gen_btf(uint8_t *buf)
{
	static const char strs[] =
	    "\0int\0f\0bpf_spin_lock\0val\0unsigned int\0dt_lock_val\0lock\0x"
	    "\0y\0z";
	/* name offsets in strs */
	enum {
		S_INT = 1,
		S_F = 5,
		S_LOCK_T = 7,
		S_VAL = 21,
		S_UINT = 25,
		S_LVAL = 38,
		S_LOCK = 50,
		S_X = 55,
		S_Y = 57,
		S_Z = 59
	};
	const uint32_t types[] = {
	    S_INT,
	    BTF_KIND_INT << 24,
	    4,
	    (BTF_INT_SIGNED << 24) | 32, /* [1] */
	    0,
	    BTF_KIND_FUNC_PROTO << 24,
	    1, /* [2] */
	    S_F,
	    BTF_KIND_FUNC << 24,
	    2, /* [3] */
	    S_LOCK_T,
	    (BTF_KIND_STRUCT << 24) | 1,
	    4, /* [4] */
	    S_VAL,
	    5,
	    0, /* .val */
	    S_UINT,
	    BTF_KIND_INT << 24,
	    4,
	    32, /* [5] */
	    S_LVAL,
	    (BTF_KIND_STRUCT << 24) | 4,
	    GEN_LOCK_VAL_SIZE, /* [6] */
	    S_LOCK,
	    4,
	    0, /* .lock */
	    S_X,
	    1,
	    32, /* .x */
	    S_Y,
	    1,
	    64, /* .y */
	    S_Z,
	    1,
	    96, /* .z */
	};
	struct btf_header h = {.magic = BTF_MAGIC,
	                       .version = BTF_VERSION,
	                       .hdr_len = sizeof(h),
	                       .type_len = sizeof(types),
	                       .str_off = sizeof(types),
	                       .str_len = sizeof(strs)};

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), types, sizeof(types));
	memcpy(buf + sizeof(h) + sizeof(types), strs, sizeof(strs));
	return sizeof(h) + sizeof(types) + sizeof(strs);
}

const char *const gen_feature_names[GEN_NR_FEATURES] = {
    "ctx", "packet",  "ld_abs", "helper",  "map",       "loop",     "stack",     "atomic",
    "bad", "ringbuf", "sock",   "subprog", "ctx_write", "callback", "spin_lock",
};

static const struct {
	enum bpf_prog_type type;
	const char *name;
} gen_types[] = {
    {BPF_PROG_TYPE_SOCKET_FILTER, "socket_filter"},
    {BPF_PROG_TYPE_XDP, "xdp"},
    {BPF_PROG_TYPE_SCHED_CLS, "sched_cls"},
    {BPF_PROG_TYPE_CGROUP_SKB, "cgroup_skb"},
};

int gen_prog_attach_type(enum bpf_prog_type t)
{
	if (t == BPF_PROG_TYPE_XDP)
		return BPF_XDP;
	if (t == BPF_PROG_TYPE_CGROUP_SKB)
		return BPF_CGROUP_INET_INGRESS;
	return -1;
}

int32_t gen_ret_imm(struct gen *g)
{
	/* cgroup_skb (ingress) must return 0 or 1; the others take any value here */
	if ((g->frame == 0 && g->p->prog_type == BPF_PROG_TYPE_CGROUP_SKB) || g->in_cb)
		return gen_bad(g) ? dt_range(&g->rng, 2, 3) : dt_range(&g->rng, 0, 1);
	return dt_range(&g->rng, 0, 3);
}

const char *gen_prog_type_name(enum bpf_prog_type t)
{
	for (size_t i = 0; i < sizeof(gen_types) / sizeof(gen_types[0]); i++)
		if (gen_types[i].type == t)
			return gen_types[i].name;
	return "?";
}

int gen_prog_type_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(gen_types) / sizeof(gen_types[0]); i++)
		if (strcmp(gen_types[i].name, name) == 0)
			return (int)gen_types[i].type;
	return -1;
}

bool gen_prog_insn_only(const struct gen_prog *p)
{
	return !(p->features & GEN_F_NOT_INSN);
}

size_t gen_bind_maps(struct bpf_insn *insns, size_t n, const int fds[GEN_NR_MAPS])
{
	size_t done = 0;

	for (size_t i = 0; i + 1 < n; i++) {
		if (insns[i].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (insns[i].src_reg == BPF_PSEUDO_MAP_FD && insns[i].imm >= 0 &&
		    insns[i].imm < GEN_NR_MAPS) {
			insns[i].imm = fds[insns[i].imm];
			done++;
		}
		i++;
	}
	return done;
}

void gen_emit(struct gen *g, uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	struct bpf_insn *in;

	if (g->p->n >= GEN_MAX_INSNS)
		abort();
	in = &g->p->insns[g->p->n++];
	memset(in, 0, sizeof(*in));
	in->code = code;
	in->dst_reg = dst & 0xf;
	in->src_reg = src & 0xf;
	in->off = off;
	in->imm = imm;
}

size_t gen_emit_jump(struct gen *g, uint8_t code, uint8_t dst, uint8_t src, int32_t imm)
{
	gen_emit(g, code, dst, src, 0, imm);
	return g->p->n - 1;
}

void gen_patch(struct gen *g, size_t at)
{
	struct bpf_insn *in = &g->p->insns[at];
	long delta = (long)g->p->n - (long)at - 1;

	if (in->code == (BPF_JMP32 | BPF_JA))
		in->imm = (int32_t)delta;
	else
		in->off = (int16_t)delta;
}

bool gen_bad(struct gen *g)
{
	if (!dt_chance(&g->rng, g->bad))
		return false;
	g->p->features |= GEN_F_BAD;
	return true;
}

int gen_pick_scalar(struct gen *g, const struct gen_state *st)
{
	int cand[10], nc = 0, r;

	for (r = 0; r < 10; r++)
		if (st->r[r].kind == GK_SCALAR)
			cand[nc++] = r;
	if (nc && !gen_bad(g))
		return cand[dt_below(&g->rng, (uint32_t)nc)];
	/* a wrong pick: any register, though not a pointer in the insn class (what a
	 * pointer allows is not the instruction-level verifier's business) */
	for (int tries = 0; tries < 8; tries++) {
		r = (int)dt_below(&g->rng, 10);
		if (g->all || st->r[r].kind < GK_CTX || st->r[r].kind == GK_MAYBE)
			return r;
	}
	return r;
}

int gen_pick_dst(struct gen *g, const struct gen_state *st, int lo)
{
	int cheap[10], any[10], nc = 0, na = 0;

	for (int r = lo; r < 10; r++) {
		if (g->reserved & (1u << r))
			continue;
		any[na++] = r;
		if (st->r[r].kind == GK_UNINIT || st->r[r].kind == GK_SCALAR ||
		    st->r[r].kind == GK_MAYBE)
			cheap[nc++] = r;
	}
	if (!na)
		abort(); /* loops reserve one register only */
	if (nc && !dt_chance(&g->rng, 10))
		return cheap[dt_below(&g->rng, (uint32_t)nc)];
	return any[dt_below(&g->rng, (uint32_t)na)];
}

int gen_find_kind(struct gen *g, const struct gen_state *st, enum gen_kind kind)
{
	int cand[10], nc = 0;

	for (int r = 0; r < 10; r++)
		if (st->r[r].kind == kind)
			cand[nc++] = r;
	return nc ? cand[dt_below(&g->rng, (uint32_t)nc)] : -1;
}

int32_t gen_imm(struct gen *g)
{
	static const int32_t special[] = {
	    0,          1,         -1,   2,          7,          8,      16,     31,
	    32,         63,        64,   255,        256,        0x7fff, 0x8000, 0xffff,
	    0x7fffffff, INT32_MIN, -128, 0x12345678, -0x1000000, 4096};

	switch (dt_below(&g->rng, 4)) {
	case 0:
		return special[dt_below(&g->rng, sizeof(special) / sizeof(special[0]))];
	case 1:
		return dt_range(&g->rng, -16, 64);
	case 2:
		return (int32_t)dt_next(&g->rng);
	default:
		return dt_range(&g->rng, 0, 1000);
	}
}

void gen_stack_mark(struct gen_state *st, int off, int size, enum gen_stack_byte what)
{
	for (int i = off; i < off + size; i++)
		if (i >= -GEN_STACK && i < 0)
			st->stk[i + GEN_STACK] = (uint8_t)what;
}

bool gen_stack_init(const struct gen_state *st, int off, int size)
{
	if (off < -GEN_STACK || off + size > 0)
		return false;
	for (int i = off; i < off + size; i++)
		if (st->stk[i + GEN_STACK] == GS_UNINIT)
			return false;
	return true;
}

void gen_clobber_call(struct gen_state *st, struct gen_reg ret)
{
	st->r[0] = ret;
	for (int r = 1; r <= 5; r++)
		st->r[r] = (struct gen_reg){.kind = GK_UNINIT};
}

/* The state after two paths join: what differs becomes MAYBE / MIXED. */
static void gen_merge(struct gen_state *a, const struct gen_state *b)
{
	if (b->dead)
		return;
	if (a->dead) {
		*a = *b;
		return;
	}
	for (int r = 0; r < 11; r++)
		if (memcmp(&a->r[r], &b->r[r], sizeof(a->r[r])) != 0)
			a->r[r] = (struct gen_reg){.kind = GK_MAYBE};
	for (int i = 0; i < GEN_STACK; i++) {
		if (a->stk[i] == b->stk[i])
			continue;
		a->stk[i] =
		    (a->stk[i] == GS_UNINIT || b->stk[i] == GS_UNINIT) ? GS_UNINIT : GS_MIXED;
	}
	for (int s = 0; s < GEN_STACK / 8; s++)
		if (memcmp(&a->spill[s], &b->spill[s], sizeof(a->spill[s])) != 0)
			a->spill[s] = (struct gen_reg){.kind = GK_MAYBE};
}

static const uint8_t gen_sizes[4] = {BPF_B, BPF_H, BPF_W, BPF_DW};

static int gen_size_bytes(uint8_t sz)
{
	switch (sz) {
	case BPF_B:
		return 1;
	case BPF_H:
		return 2;
	case BPF_W:
		return 4;
	default:
		return 8;
	}
}

/* ALU/ALU64: the operation, its operands and (sometimes wrong) immediates. */
static void gen_alu(struct gen *g, struct gen_state *st)
{
	static const uint8_t ops[] = {BPF_ADD,  BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR,  BPF_AND,
	                              BPF_LSH,  BPF_RSH, BPF_NEG, BPF_MOD, BPF_XOR, BPF_MOV,
	                              BPF_ARSH, BPF_END, BPF_MOV, BPF_ADD, BPF_AND};
	bool is64 = dt_chance(&g->rng, 65);
	uint8_t cls = is64 ? BPF_ALU64 : BPF_ALU;
	uint8_t op = ops[dt_below(&g->rng, sizeof(ops) / sizeof(ops[0]))];
	int width = is64 ? 64 : 32;
	int dst = gen_pick_dst(g, st, 0);
	int src = gen_pick_scalar(g, st);
	int16_t off = 0;
	int32_t imm;
	bool use_x = dt_chance(&g->rng, 45);

	if (gen_bad(g) && dt_chance(&g->rng, 10)) {
		/* write to the frame pointer, or a reserved field set */
		if (dt_chance(&g->rng, 50))
			gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_10, 0, 0, 0);
		else
			gen_emit(g, cls | BPF_ADD | BPF_K, (uint8_t)dst, 0, 1, 1);
		return;
	}
	if (op != BPF_MOV && st->r[dst].kind != GK_SCALAR && (!g->all || !gen_bad(g))) {
		/* read-modify-write needs an initialised scalar: start with a mov */
		gen_emit(g, cls | BPF_MOV | BPF_K, (uint8_t)dst, 0, 0, gen_imm(g));
		st->r[dst] = (struct gen_reg){.kind = GK_SCALAR};
	}
	switch (op) {
	case BPF_NEG:
		gen_emit(g, cls | BPF_NEG | BPF_K, (uint8_t)dst, 0, 0, 0);
		break;
	case BPF_END:
		imm = 16 << dt_below(&g->rng, 3);
		if (is64) /* bswap16/32/64 (cpu v4) */
			gen_emit(g, BPF_ALU64 | BPF_END | BPF_TO_LE, (uint8_t)dst, 0, 0, imm);
		else
			gen_emit(
			    g, BPF_ALU | BPF_END | (dt_chance(&g->rng, 50) ? BPF_TO_BE : BPF_TO_LE),
			    (uint8_t)dst, 0, 0, imm);
		break;
	case BPF_LSH:
	case BPF_RSH:
	case BPF_ARSH:
		if (use_x) {
			gen_emit(g, cls | op | BPF_X, (uint8_t)dst, (uint8_t)src, 0, 0);
			break;
		}
		imm = dt_range(&g->rng, 0, width - 1);
		if (gen_bad(g))
			imm = dt_chance(&g->rng, 50) ? width : dt_range(&g->rng, width, 200);
		gen_emit(g, cls | op | BPF_K, (uint8_t)dst, 0, 0, imm);
		break;
	case BPF_DIV:
	case BPF_MOD:
		off = dt_chance(&g->rng, 35) ? 1 : 0; /* sdiv / smod */
		if (use_x) {
			gen_emit(g, cls | op | BPF_X, (uint8_t)dst, (uint8_t)src, off, 0);
			break;
		}
		imm = gen_imm(g);
		if (imm == 0)
			imm = 3;
		if (gen_bad(g))
			imm = 0;
		gen_emit(g, cls | op | BPF_K, (uint8_t)dst, 0, off, imm);
		break;
	case BPF_MOV:
		if (use_x && dt_chance(&g->rng, 30)) { /* movsx */
			off = (int16_t)(8 << dt_below(&g->rng, is64 ? 3 : 2));
			gen_emit(g, cls | BPF_MOV | BPF_X, (uint8_t)dst, (uint8_t)src, off, 0);
		} else if (use_x) {
			gen_emit(g, cls | BPF_MOV | BPF_X, (uint8_t)dst, (uint8_t)src, 0, 0);
		} else {
			gen_emit(g, cls | BPF_MOV | BPF_K, (uint8_t)dst, 0, 0, gen_imm(g));
		}
		if (use_x && st->r[src].kind == GK_UNINIT)
			return; /* refused here: the kind of dst no longer matters */
		break;
	default:
		if (use_x)
			gen_emit(g, cls | op | BPF_X, (uint8_t)dst, (uint8_t)src, 0, 0);
		else
			gen_emit(g, cls | op | BPF_K, (uint8_t)dst, 0, 0, gen_imm(g));
		break;
	}
	st->r[dst] = (struct gen_reg){.kind = GK_SCALAR};
}

/* rD = imm64 (plain ld_imm64). */
static void gen_ldimm64(struct gen *g, struct gen_state *st)
{
	int dst = gen_pick_dst(g, st, 0);
	uint64_t v = dt_next(&g->rng) >> dt_below(&g->rng, 64);

	gen_emit(g, BPF_LD | BPF_IMM | BPF_DW, (uint8_t)dst, 0, 0, (int32_t)(uint32_t)v);
	gen_emit(g, 0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32));
	st->r[dst] = (struct gen_reg){.kind = GK_SCALAR};
}

/* A stack offset (relative to fp) for an access of `size` bytes: usually aligned and in
 * the frame, sometimes (gen_bad) misaligned or outside it. */
static int gen_stack_off(struct gen *g, int size, bool want_init, const struct gen_state *st)
{
	int off;

	if (gen_bad(g)) {
		switch (dt_below(&g->rng, 3)) {
		case 0:
			return -8 * dt_range(&g->rng, 1, 8) + (size > 1 ? 1 : 0); /* misaligned */
		case 1:
			return -GEN_STACK - 8 * dt_range(&g->rng, 1, 4); /* below the frame */
		default:
			return dt_chance(&g->rng, 50) ? 0 : 8; /* at or above fp */
		}
	}
	/* most accesses stay in the top 64 bytes so that loads meet earlier stores */
	for (int tries = 0; tries < 12; tries++) {
		int span = dt_chance(&g->rng, 85) ? 64 : g->span;

		off = -size * dt_range(&g->rng, 1, span / size);
		if (!want_init || gen_stack_init(st, off, size))
			return off;
	}
	return off;
}

/* *(size *)(base + off) = src / imm, base r10 or a register holding fp + k. */
static void gen_stack_store(struct gen *g, struct gen_state *st)
{
	int size_i = (int)dt_below(&g->rng, 4);
	int size = gen_size_bytes(gen_sizes[size_i]);
	int base = BPF_REG_10, base_off = 0, off, src;
	bool imm_form = dt_chance(&g->rng, 35);
	enum gen_stack_byte what = GS_DATA;

	g->p->features |= GEN_F_STACK;
	if (dt_chance(&g->rng, 40)) {
		int r = gen_find_kind(g, st, GK_FP);

		if (r >= 0)
			base = r, base_off = st->r[r].off;
	}
	off = gen_stack_off(g, size, false, st);
	if (imm_form) {
		gen_emit(g, BPF_ST | BPF_MEM | gen_sizes[size_i], (uint8_t)base, 0,
		         (int16_t)(off - base_off), gen_imm(g));
	} else {
		src = gen_pick_scalar(g, st);
		/* in the all class, sometimes spill a pointer (8 bytes, aligned) */
		if (g->all && size == 8 && dt_chance(&g->rng, 25)) {
			for (int r = 0; r < 10; r++)
				if (st->r[r].kind >= GK_CTX && st->r[r].kind <= GK_PKT_END)
					src = r;
		}
		gen_emit(g, BPF_STX | BPF_MEM | gen_sizes[size_i], (uint8_t)base, (uint8_t)src,
		         (int16_t)(off - base_off), 0);
		if (st->r[src].kind != GK_SCALAR && size == 8 && off % 8 == 0 &&
		    off >= -GEN_STACK && off < 0) {
			what = GS_SPILL;
			st->spill[(off + GEN_STACK) / 8] = st->r[src];
		}
	}
	gen_stack_mark(st, off, size, what);
}

/* rD = *(size *)(r10 + off), sometimes sign-extending (BPF_MEMSX). */
static void gen_stack_load(struct gen *g, struct gen_state *st)
{
	int size_i = (int)dt_below(&g->rng, 4);
	int size = gen_size_bytes(gen_sizes[size_i]);
	int off = gen_stack_off(g, size, !gen_bad(g), st);
	int dst = gen_pick_dst(g, st, 0);
	uint8_t mode = (size < 8 && dt_chance(&g->rng, 25)) ? BPF_MEMSX : BPF_MEM;
	struct gen_reg val = {.kind = GK_SCALAR};

	g->p->features |= GEN_F_STACK;
	gen_emit(g, BPF_LDX | mode | gen_sizes[size_i], (uint8_t)dst, BPF_REG_10, (int16_t)off, 0);
	if (off >= -GEN_STACK && off + size <= 0) {
		uint8_t b = st->stk[off + GEN_STACK];

		if (b == GS_SPILL)
			val = size == 8 && off % 8 == 0 ? st->spill[(off + GEN_STACK) / 8]
			                                : (struct gen_reg){.kind = GK_MAYBE};
		else if (b == GS_MIXED)
			val.kind = GK_MAYBE;
	}
	st->r[dst] = val;
}

/* lock *(u32/u64 *)(r10 + off) op= src, with fetch, xchg or cmpxchg. */
static void gen_atomic(struct gen *g, struct gen_state *st)
{
	static const int32_t ops[] = {BPF_ADD,
	                              BPF_OR,
	                              BPF_AND,
	                              BPF_XOR,
	                              BPF_ADD | BPF_FETCH,
	                              BPF_OR | BPF_FETCH,
	                              BPF_AND | BPF_FETCH,
	                              BPF_XOR | BPF_FETCH,
	                              BPF_XCHG,
	                              BPF_CMPXCHG};
	bool dw = dt_chance(&g->rng, 60);
	int size = dw ? 8 : 4;
	int off = gen_stack_off(g, size, !gen_bad(g), st);
	int src = gen_pick_scalar(g, st);
	int32_t op = ops[dt_below(&g->rng, sizeof(ops) / sizeof(ops[0]))];

	/* a loop counter must not be overwritten by a fetch */
	if ((op & BPF_FETCH) && (g->reserved & (1u << src)))
		op = BPF_ADD;

	g->p->features |= GEN_F_ATOMIC | GEN_F_STACK;
	if (op == BPF_CMPXCHG && st->r[0].kind != GK_SCALAR && !gen_bad(g)) {
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, gen_imm(g));
		st->r[0] = (struct gen_reg){.kind = GK_SCALAR};
	}
	gen_emit(g, BPF_STX | BPF_ATOMIC | (dw ? BPF_DW : BPF_W), BPF_REG_10, (uint8_t)src,
	         (int16_t)off, op);
	if (op == BPF_CMPXCHG)
		st->r[0] = (struct gen_reg){.kind = GK_SCALAR};
	else if (op & BPF_FETCH)
		st->r[src] = (struct gen_reg){.kind = GK_SCALAR};
	gen_stack_mark(st, off, size, GS_DATA);
}

/* rD = r10 + k: a stack pointer in a register. */
static void gen_fp_copy(struct gen *g, struct gen_state *st)
{
	int dst = gen_pick_dst(g, st, 0);
	int k = -8 * dt_range(&g->rng, 0, 8);

	g->p->features |= GEN_F_STACK;
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, (uint8_t)dst, BPF_REG_10, 0, 0);
	if (k)
		gen_emit(g, BPF_ALU64 | BPF_ADD | BPF_K, (uint8_t)dst, 0, 0, k);
	st->r[dst] = (struct gen_reg){.kind = GK_FP, .off = (int16_t)k};
}

/* dst = an unknown 64-bit scalar: two partial stack writes read back as one; masked with
 * `mask` when it is not -1. */
static void gen_unknown_into(struct gen *g, struct gen_state *st, int dst, int32_t mask)
{
	int slot = -8 * dt_range(&g->rng, 1, 8);

	g->p->features |= GEN_F_STACK;
	gen_emit(g, BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, (int16_t)slot, gen_imm(g) | 1);
	gen_emit(g, BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, (int16_t)(slot + 4), gen_imm(g) | 1);
	gen_stack_mark(st, slot, 8, GS_DATA);
	gen_emit(g, BPF_LDX | BPF_MEM | BPF_DW, (uint8_t)dst, BPF_REG_10, (int16_t)slot, 0);
	st->r[dst] = (struct gen_reg){.kind = GK_SCALAR};
	if (mask != -1)
		gen_emit(g, BPF_ALU64 | BPF_AND | BPF_K, (uint8_t)dst, 0, 0, mask);
}

static void gen_unknown_scalar(struct gen *g, struct gen_state *st)
{
	gen_unknown_into(g, st, gen_pick_dst(g, st, 0),
	                 dt_chance(&g->rng, 50) ? (int32_t)dt_below(&g->rng, 256) : -1);
}

static uint8_t gen_cond_op(struct gen *g)
{
	static const uint8_t ops[] = {BPF_JEQ,  BPF_JGT, BPF_JGE, BPF_JSET, BPF_JNE, BPF_JSGT,
	                              BPF_JSGE, BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE};

	return ops[dt_below(&g->rng, sizeof(ops) / sizeof(ops[0]))];
}

/* "if rA op rB/imm goto L" with the operands chosen; returns the jump's index. */
static size_t gen_cond_jump(struct gen *g, struct gen_state *st)
{
	uint8_t cls = dt_chance(&g->rng, 30) ? BPF_JMP32 : BPF_JMP;
	int a = gen_pick_scalar(g, st);

	if (dt_chance(&g->rng, 40))
		return gen_emit_jump(g, cls | gen_cond_op(g) | BPF_X, (uint8_t)a,
		                     (uint8_t)gen_pick_scalar(g, st), 0);
	return gen_emit_jump(g, cls | gen_cond_op(g) | BPF_K, (uint8_t)a, 0,
	                     dt_chance(&g->rng, 50) ? dt_range(&g->rng, -4, 300) : gen_imm(g));
}

/* "r0 = imm; exit" inside a branch: the path ends here. */
static void gen_early_exit(struct gen *g, struct gen_state *st)
{
	bool set = st->r[0].kind != GK_SCALAR ? !gen_bad(g) : dt_chance(&g->rng, 70);

	if (g->held && !gen_bad(g))
		return; /* leaving now would leak the reference */
	if (!set && ((g->frame == 0 && g->p->prog_type == BPF_PROG_TYPE_CGROUP_SKB) || g->in_cb))
		set = !gen_bad(g); /* an unknown r0 is outside [0, 1] */
	if (set)
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, gen_ret_imm(g));
	gen_emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	st->dead = true;
}

/* if (cond) { block } or if (cond) { block } else { block }. */
static void gen_branch(struct gen *g, struct gen_state *st, int depth)
{
	size_t j = gen_cond_jump(g, st), j2;
	struct gen_state taken = *st;

	/* the fall-through is the "then" block, the jump skips it */
	gen_block(g, st, dt_range(&g->rng, 1, 3), depth + 1);
	if (dt_chance(&g->rng, 15))
		gen_early_exit(g, st);
	if (!st->dead && dt_chance(&g->rng, 35)) {
		j2 = gen_emit_jump(
		    g, dt_chance(&g->rng, 20) ? BPF_JMP32 | BPF_JA : BPF_JMP | BPF_JA, 0, 0, 0);
		gen_patch(g, j);
		gen_block(g, &taken, dt_range(&g->rng, 1, 3), depth + 1);
		gen_patch(g, j2);
	} else {
		gen_patch(g, j);
	}
	gen_merge(st, &taken);
}

/* i = lo; do { block } while (i += step, i < hi): a bounded loop with a back-edge. */
static void gen_loop(struct gen *g, struct gen_state *st, int depth)
{
	static const uint8_t up_ops[] = {BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE, BPF_JNE};
	int i = gen_pick_dst(g, st, 6); /* r6-r9 survive calls */
	int32_t lo = dt_range(&g->rng, -2, 4), step = dt_range(&g->rng, 1, 3);
	int32_t hi = lo + step * dt_range(&g->rng, 1, 12);
	uint8_t cls = dt_chance(&g->rng, 30) ? BPF_JMP32 : BPF_JMP;
	uint8_t op = up_ops[dt_below(&g->rng, sizeof(up_ops) / sizeof(up_ops[0]))];
	unsigned saved = g->reserved;
	size_t top;
	long delta;

	g->p->features |= GEN_F_LOOP;
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, (uint8_t)i, 0, 0, lo);
	st->r[i] = (struct gen_reg){.kind = GK_SCALAR};
	top = g->p->n;
	g->reserved |= 1u << i;
	gen_block(g, st, dt_range(&g->rng, 1, 3), depth + 1);
	g->reserved = saved;
	if (st->dead) /* the body always exits: no back-edge, nothing after it */
		return;
	if (!gen_bad(g)) /* without the increment the loop never ends */
		gen_emit(g, (dt_chance(&g->rng, 25) ? BPF_ALU : BPF_ALU64) | BPF_ADD | BPF_K,
		         (uint8_t)i, 0, 0, step);
	if (cls == BPF_JMP && dt_chance(&g->rng, 30) && !gen_bad(g)) {
		/* bound in a register: a constant, or an unknown value masked to [0, 15] */
		int b = gen_pick_dst(g, st, 0);

		if (b != i && dt_chance(&g->rng, 50)) {
			gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, (uint8_t)b, 0, 0, hi);
		} else if (b != i) {
			gen_unknown_into(g, st, b, 15);
			op = up_ops[dt_below(&g->rng, 2)]; /* unsigned: i < b or i <= b */
		}
		if (b != i) {
			st->r[b] = (struct gen_reg){.kind = GK_SCALAR};
			delta = (long)top - (long)g->p->n - 1;
			gen_emit(g, BPF_JMP | op | BPF_X, (uint8_t)i, (uint8_t)b, (int16_t)delta,
			         0);
			return;
		}
	}
	delta = (long)top - (long)g->p->n - 1;
	gen_emit(g, cls | op | BPF_K, (uint8_t)i, 0, (int16_t)delta, hi);
}

/* top: may_goto +k; { block } goto top: a loop bounded by the kernel's may_goto budget
 * (cpu v4, kernel 6.9+). */
static void gen_may_goto_loop(struct gen *g, struct gen_state *st, int depth)
{
	struct gen_state out = *st;
	size_t top = g->p->n, j;
	long delta;

	g->p->features |= GEN_F_LOOP;
	j = gen_emit_jump(g, BPF_JMP | BPF_JCOND, 0, 0, 0);
	gen_block(g, st, dt_range(&g->rng, 1, 3), depth + 1);
	if (st->dead) {
		gen_patch(g, j);
		*st = out;
		return;
	}
	delta = (long)top - (long)g->p->n - 1;
	gen_emit(g, BPF_JMP | BPF_JA, 0, 0, (int16_t)delta, 0);
	gen_patch(g, j);
	gen_merge(&out, st);
	*st = out;
}

enum gen_snip {
	SN_ALU,
	SN_LDIMM64,
	SN_STORE,
	SN_LOAD,
	SN_ATOMIC,
	SN_FP,
	SN_UNKNOWN,
	SN_BRANCH,
	SN_LOOP,
	SN_MAY_GOTO,
	SN_CTX,
	SN_PKT,
	SN_LDABS,
	SN_HELPER,
	SN_MAP,
	SN_RINGBUF,
	SN_SOCK,
	SN_CALL,
	SN_LOOP_CB,
	SN_LOCK,
	SN_COUNT
};

/* Relative weights: instruction-level snippets, then those of the all class. */
static const unsigned gen_weight[SN_COUNT] = {
    [SN_ALU] = 30,    [SN_LDIMM64] = 3, [SN_STORE] = 12,  [SN_LOAD] = 9,    [SN_ATOMIC] = 3,
    [SN_FP] = 2,      [SN_UNKNOWN] = 7, [SN_BRANCH] = 12, [SN_LOOP] = 4,    [SN_MAY_GOTO] = 1,
    [SN_CTX] = 8,     [SN_PKT] = 6,     [SN_LDABS] = 3,   [SN_HELPER] = 6,  [SN_MAP] = 10,
    [SN_RINGBUF] = 4, [SN_SOCK] = 3,    [SN_CALL] = 5,    [SN_LOOP_CB] = 3, [SN_LOCK] = 3,
};

static enum gen_snip gen_pick_snip(struct gen *g, int depth)
{
	unsigned total = 0, pick;
	int last = g->all ? SN_COUNT : SN_CTX;

	for (int s = 0; s < last; s++)
		total += gen_weight[s];
	for (;;) {
		pick = dt_below(&g->rng, total);
		for (int s = 0; s < last; s++) {
			if (pick < gen_weight[s]) {
				if ((s == SN_BRANCH || s == SN_PKT || s == SN_MAP ||
				     s == SN_RINGBUF || s == SN_SOCK) &&
				    depth >= 3)
					break;
				if ((s == SN_CALL || s == SN_LOOP_CB) &&
				    (!g->calls || g->frame >= 2 || g->nsubs >= 6))
					break;
				if ((s == SN_RINGBUF || s == SN_SOCK || s == SN_LOCK) && g->held)
					break;
				if ((s == SN_LOOP || s == SN_MAY_GOTO) &&
				    (depth >= 2 || g->reserved))
					break;
				return (enum gen_snip)s;
			}
			pick -= gen_weight[s];
		}
	}
}

void gen_block(struct gen *g, struct gen_state *st, int nsnips, int depth)
{
	for (int k = 0; k < nsnips && !st->dead && g->p->n < g->budget; k++) {
		switch (gen_pick_snip(g, depth)) {
		case SN_ALU:
			gen_alu(g, st);
			break;
		case SN_LDIMM64:
			gen_ldimm64(g, st);
			break;
		case SN_STORE:
			gen_stack_store(g, st);
			break;
		case SN_LOAD:
			gen_stack_load(g, st);
			break;
		case SN_ATOMIC:
			gen_atomic(g, st);
			break;
		case SN_FP:
			gen_fp_copy(g, st);
			break;
		case SN_UNKNOWN:
			gen_unknown_scalar(g, st);
			break;
		case SN_BRANCH:
			gen_branch(g, st, depth);
			break;
		case SN_LOOP:
			gen_loop(g, st, depth);
			break;
		case SN_MAY_GOTO:
			gen_may_goto_loop(g, st, depth);
			break;
		case SN_CTX:
			gen_ctx_access(g, st);
			break;
		case SN_PKT:
			gen_pkt_access(g, st, depth);
			break;
		case SN_LDABS:
			gen_ld_abs(g, st);
			break;
		case SN_HELPER:
			gen_helper_call(g, st);
			break;
		case SN_MAP:
			gen_map_access(g, st, depth);
			break;
		case SN_RINGBUF:
			gen_ringbuf(g, st, depth);
			break;
		case SN_SOCK:
			gen_sk_lookup(g, st, depth);
			break;
		case SN_CALL:
			gen_subprog_call(g, st);
			break;
		case SN_LOOP_CB:
			gen_loop_callback(g, st);
			break;
		case SN_LOCK:
			gen_spin_lock(g, st);
			break;
		case SN_COUNT:
			abort();
		}
	}
}

void gen_program(uint64_t seed, uint64_t index, enum gen_class cls, struct gen_prog *out)
{
	static const enum bpf_prog_type all_types[] = {
	    BPF_PROG_TYPE_SOCKET_FILTER, BPF_PROG_TYPE_SOCKET_FILTER, BPF_PROG_TYPE_XDP,
	    BPF_PROG_TYPE_XDP,           BPF_PROG_TYPE_SCHED_CLS,     BPF_PROG_TYPE_SCHED_CLS,
	    BPF_PROG_TYPE_CGROUP_SKB};
	struct gen g = {.p = out, .span = GEN_STACK};
	struct gen_state st;
	unsigned ninit;

	memset(out, 0, sizeof(*out));
	memset(&st, 0, sizeof(st));
	dt_rng_seed(&g.rng, seed, index);
	/* in the all class, a third of the programs stay instruction-only */
	g.all = cls == GEN_CLASS_ALL && !dt_chance(&g.rng, 33);
	if (cls == GEN_CLASS_ALL)
		out->prog_type =
		    all_types[dt_below(&g.rng, sizeof(all_types) / sizeof(all_types[0]))];
	else
		out->prog_type =
		    dt_chance(&g.rng, 50) ? BPF_PROG_TYPE_SOCKET_FILTER : BPF_PROG_TYPE_XDP;
	if (g.all && dt_chance(&g.rng, 30)) {
		/* static subprograms; the frames share 512 bytes of stack */
		g.calls = true;
		g.span = 256;
	}
	/* a third of the programs make no wrong choice at all */
	g.bad = dt_chance(&g.rng, 20) ? 0 : (unsigned)dt_range(&g.rng, 4, g.all ? 18 : 26);
	g.budget = 40 + dt_below(&g.rng, 120);
	st.r[BPF_REG_1] = (struct gen_reg){.kind = GK_CTX};
	st.r[BPF_REG_10] = (struct gen_reg){.kind = GK_FP};
	if (g.all && dt_chance(&g.rng, 70)) { /* keep the context in r6 */
		gen_emit(&g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0);
		st.r[BPF_REG_6] = st.r[BPF_REG_1];
	}
	ninit = dt_range(&g.rng, 1, 5);
	for (unsigned k = 0; k < ninit; k++) {
		int r = gen_pick_dst(&g, &st, 0);

		if (st.r[r].kind != GK_UNINIT)
			continue;
		gen_emit(&g, BPF_ALU64 | BPF_MOV | BPF_K, (uint8_t)r, 0, 0, gen_imm(&g));
		st.r[r] = (struct gen_reg){.kind = GK_SCALAR};
	}
	gen_block(&g, &st, dt_range(&g.rng, 2, 14), 0);
	if (!st.dead) {
		bool set = st.r[0].kind != GK_SCALAR ? !gen_bad(&g) : dt_chance(&g.rng, 60);

		if (!set && out->prog_type == BPF_PROG_TYPE_CGROUP_SKB)
			set = !gen_bad(&g); /* an unknown r0 is outside [0, 1] */
		if (set)
			gen_emit(&g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, gen_ret_imm(&g));
		gen_emit(&g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	}
	gen_subprog_bodies(&g);
}
