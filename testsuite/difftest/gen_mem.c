/*
 * gen_mem.c - the generator's snippets that need more than the instruction set: context
 * loads and stores, direct packet access, LD_ABS/LD_IND, helper calls and map lookups.
 *
 * Kernel facts the biasing leans on (the kernel still decides):
 *  - socket filters read __sk_buff's leading u32 fields (len .. hash) and write cb[];
 *    XDP reads xdp_md (data, data_end, data_meta give packet pointers; egress_ifindex
 *    only with expected attach type BPF_XDP_DEVMAP) and writes nothing;
 *  - a packet byte may be read or written only below a pointer already compared with
 *    data_end ("invalid access to packet");
 *  - LD_ABS/LD_IND need the context in r6, exist for socket filters but not XDP, and
 *    clobber r0-r5 like a call;
 *  - bpf_map_lookup_elem() returns map_value_or_null: it must be compared with 0 before
 *    use, and accesses must stay within value_size; the key must be initialised stack;
 *  - every call clobbers r1-r5.
 */
#include <stddef.h>

#include "gen_int.h"

#define HELPER_MAP_LOOKUP     1
#define HELPER_MAP_UPDATE     2
#define HELPER_MAP_DELETE     3
#define HELPER_KTIME          5
#define HELPER_PRANDOM        7
#define HELPER_SMP_ID         8
#define HELPER_TRACE_PRINTK   6
#define HELPER_CSUM_DIFF      28
#define HELPER_RINGBUF_OUTPUT 130

/* A context field as a program type sees it. */
enum ctx_flag {
	CF_R = 1,     /* readable */
	CF_W = 2,     /* writable */
	CF_N = 4,     /* narrow (1- or 2-byte) loads allowed */
	CF_PKT = 8,   /* a load gives the packet start */
	CF_END = 16,  /* a load gives the packet end */
	CF_META = 32, /* a load gives the packet metadata start */
};

struct ctx_field {
	int16_t off;
	uint8_t size; /* bytes */
	uint8_t flags;
};

#define SKB_U32(o)                                                                                 \
	{                                                                                          \
		o, 4, CF_R | CF_N                                                                  \
	}
#define SKB_CB(o)                                                                                  \
	{                                                                                          \
		o, 4, CF_R | CF_W | CF_N                                                           \
	}
#define SKB_U32_LEAD                                                                               \
	SKB_U32(0), SKB_U32(4), SKB_U32(12), SKB_U32(16), SKB_U32(20), SKB_U32(24), SKB_U32(28),   \
	    SKB_U32(36), SKB_U32(40), SKB_CB(48), SKB_CB(52), SKB_CB(56), SKB_CB(60), SKB_CB(64),  \
	    SKB_U32(68)

/* socket filters: __sk_buff's leading u32 fields (len .. hash), cb[] writable */
static const struct ctx_field ctx_sf[] = {SKB_U32_LEAD, SKB_U32(8), SKB_U32(32), SKB_U32(44)};
/* xdp_md: data, data_end, data_meta, ingress_ifindex, rx_queue_index; nothing writable;
 * egress_ifindex (20) only for devmap programs */
static const struct ctx_field ctx_xdp[] = {{0, 4, CF_R | CF_PKT},
                                           {4, 4, CF_R | CF_END},
                                           {8, 4, CF_R | CF_META},
                                           {12, 4, CF_R},
                                           {16, 4, CF_R}};
/* tc: mark, queue_mapping, priority, tc_index, cb[], tc_classid, tstamp writable; the
 * socket fields (family .. local_port), wire_len, gso_segs, gso_size, hwtstamp readable */
static const struct ctx_field ctx_tc[] = {SKB_U32_LEAD,
                                          {8, 4, CF_R | CF_W},
                                          {12, 4, CF_R | CF_W},
                                          {32, 4, CF_R | CF_W},
                                          {44, 4, CF_R | CF_W},
                                          {72, 4, CF_R | CF_W},
                                          {76, 4, CF_R | CF_PKT},
                                          {80, 4, CF_R | CF_END},
                                          {84, 4, CF_R},
                                          {88, 4, CF_R},
                                          {92, 4, CF_R},
                                          {96, 4, CF_R},
                                          {100, 4, CF_R},
                                          {116, 4, CF_R},
                                          {132, 4, CF_R},
                                          {136, 4, CF_R},
                                          {140, 4, CF_R | CF_META},
                                          {152, 8, CF_R | CF_W},
                                          {160, 4, CF_R},
                                          {164, 4, CF_R},
                                          {176, 4, CF_R},
                                          {184, 8, CF_R}};
/* cgroup_skb: mark, priority, cb[] and tstamp writable; no tc_classid, data_meta, wire_len */
static const struct ctx_field ctx_cg[] = {
    SKB_U32_LEAD,           {8, 4, CF_R | CF_W},    {32, 4, CF_R | CF_W}, {44, 4, CF_R},
    {76, 4, CF_R | CF_PKT}, {80, 4, CF_R | CF_END}, {88, 4, CF_R},        {92, 4, CF_R},
    {96, 4, CF_R},          {132, 4, CF_R},         {136, 4, CF_R},       {152, 8, CF_R | CF_W},
    {164, 4, CF_R},         {176, 4, CF_R},         {184, 8, CF_R}};

/* offsets a program type may not touch, or not that way (loads of 4 bytes) */
static const int16_t bad_sf[] = {72, 76, 80, 140, 144, 152, 168, 188, 192, 2, -4};
static const int16_t bad_xdp[] = {20, 24, 2, 28, -4, 64};
static const int16_t bad_tc[] = {144, 148, 192, 2, -4, 186, 200};
static const int16_t bad_cg[] = {72, 140, 160, 144, 192, 2, -4};
/* fields a program type may read but not write */
static const int16_t ro_sf[] = {0, 4, 8, 16, 32, 68};
static const int16_t ro_xdp[] = {0, 4, 8, 12, 16};
static const int16_t ro_tc[] = {0, 4, 16, 40, 68, 76, 80, 88, 160};
static const int16_t ro_cg[] = {0, 12, 16, 44, 68, 72, 76, 164};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct ctx_rules {
	const struct ctx_field *f;
	size_t nf;
	const int16_t *bad, *ro;
	size_t nbad, nro;
	int16_t data, data_end; /* offsets of the packet pointers, -1: no direct access */
	bool pkt_write;
};

#define CTX_RULES(f, bad, ro, d, e, w)                                                             \
	(struct ctx_rules)                                                                         \
	{                                                                                          \
		f, NELEM(f), bad, ro, NELEM(bad), NELEM(ro), d, e, w                               \
	}

static struct ctx_rules ctx_rules_of(enum bpf_prog_type t)
{
	switch (t) {
	case BPF_PROG_TYPE_XDP:
		return CTX_RULES(ctx_xdp, bad_xdp, ro_xdp, 0, 4, true);
	case BPF_PROG_TYPE_SCHED_CLS:
		return CTX_RULES(ctx_tc, bad_tc, ro_tc, 76, 80, true);
	case BPF_PROG_TYPE_CGROUP_SKB:
		return CTX_RULES(ctx_cg, bad_cg, ro_cg, 76, 80, false); /* packet read-only */
	default:
		return CTX_RULES(ctx_sf, bad_sf, ro_sf, -1, -1, false);
	}
}

int gen_pick_other(struct gen *g, const struct gen_state *st, unsigned avoid)
{
	int r = 0;

	for (int tries = 0; tries < 16; tries++) {
		r = gen_pick_dst(g, st, 0);
		if (!(avoid & (1u << r)))
			return r;
	}
	for (r = 0; r < 10; r++)
		if (!(avoid & (1u << r)) && !(g->reserved & (1u << r)))
			return r;
	return 0;
}

/* A store into the context: a writable field, or (wrong) a read-only or unknown one. */
static void ctx_store(struct gen *g, struct gen_state *st, const struct ctx_rules *cr, int c)
{
	const struct ctx_field *f = NULL;
	int16_t off;
	uint8_t sz;

	for (int tries = 0; tries < 8 && !f; tries++) {
		const struct ctx_field *x = &cr->f[dt_below(&g->rng, (uint32_t)cr->nf)];

		if (x->flags & CF_W)
			f = x;
	}
	g->p->features |= GEN_F_CTX_WRITE;
	if (!f || gen_bad(g)) {
		g->p->features |= GEN_F_BAD;
		off = dt_chance(&g->rng, 60) ? cr->ro[dt_below(&g->rng, (uint32_t)cr->nro)]
		                             : cr->bad[dt_below(&g->rng, (uint32_t)cr->nbad)];
		sz = BPF_W;
	} else {
		off = f->off;
		sz = f->size == 8 ? BPF_DW : BPF_W;
	}
	if (dt_chance(&g->rng, 50))
		gen_emit(g, BPF_ST | BPF_MEM | sz, (uint8_t)c, 0, off, gen_imm(g));
	else
		gen_emit(g, BPF_STX | BPF_MEM | sz, (uint8_t)c, (uint8_t)gen_pick_scalar(g, st),
		         off, 0);
}

void gen_ctx_access(struct gen *g, struct gen_state *st)
{
	struct ctx_rules cr = ctx_rules_of(g->p->prog_type);
	int c = gen_find_kind(g, st, GK_CTX);
	const struct ctx_field *f;
	uint8_t size;
	int16_t off;
	int dst;

	if (c < 0) {
		if (!gen_bad(g))
			return;
		c = BPF_REG_1;
	}
	g->p->features |= GEN_F_CTX;
	if (dt_chance(&g->rng, 20) && (g->p->prog_type != BPF_PROG_TYPE_XDP || gen_bad(g))) {
		ctx_store(g, st, &cr, c);
		return;
	}
	f = &cr.f[dt_below(&g->rng, (uint32_t)cr.nf)];
	off = f->off;
	size = f->size == 8 ? BPF_DW : BPF_W;
	if ((f->flags & CF_N) && dt_chance(&g->rng, 15)) { /* narrow load */
		size = dt_chance(&g->rng, 50) ? BPF_B : BPF_H;
		off = (int16_t)(off +
		                (size == BPF_B ? dt_below(&g->rng, 4) : 2 * dt_below(&g->rng, 2)));
	}
	if (gen_bad(g)) {
		if (dt_chance(&g->rng, 30))
			size = f->size == 8 ? BPF_W : BPF_DW;
		else
			off = cr.bad[dt_below(&g->rng, (uint32_t)cr.nbad)];
	}
	dst = gen_pick_other(g, st, 1u << c);
	gen_emit(g, BPF_LDX | BPF_MEM | size, (uint8_t)dst, (uint8_t)c, off, 0);
	st->r[dst] = (struct gen_reg){.kind = GK_SCALAR};
	if (off == f->off && size == BPF_W && (f->flags & CF_PKT))
		st->r[dst] = (struct gen_reg){.kind = GK_PKT};
	else if (off == f->off && size == BPF_W && (f->flags & CF_END))
		st->r[dst] = (struct gen_reg){.kind = GK_PKT_END};
	else if (off == f->off && size == BPF_W && (f->flags & CF_META))
		st->r[dst] = (struct gen_reg){.kind = GK_MAYBE};
}

/* One load or store at pkt + off, of `size` bytes. */
static void pkt_one(struct gen *g, struct gen_state *st, int pkt, int checked, bool may_write)
{
	int size_i = (int)dt_below(&g->rng, 4);
	int size = 1 << size_i;
	uint8_t sz = size == 1 ? BPF_B : size == 2 ? BPF_H : size == 4 ? BPF_W : BPF_DW;
	int off;

	if (size > checked)
		size = 1, sz = BPF_B;
	off = (int)dt_below(&g->rng, (uint32_t)(checked - size + 1));
	if (gen_bad(g))
		off = checked - size + 1 + (int)dt_below(&g->rng, 8);
	if (dt_chance(&g->rng, 70) || (!may_write && !gen_bad(g))) {
		int dst = gen_pick_other(g, st, 1u << pkt);

		gen_emit(g, BPF_LDX | BPF_MEM | sz, (uint8_t)dst, (uint8_t)pkt, (int16_t)off, 0);
		st->r[dst] = (struct gen_reg){.kind = GK_SCALAR};
	} else if (dt_chance(&g->rng, 50)) {
		gen_emit(g, BPF_ST | BPF_MEM | sz, (uint8_t)pkt, 0, (int16_t)off, gen_imm(g));
	} else {
		gen_emit(g, BPF_STX | BPF_MEM | sz, (uint8_t)pkt, (uint8_t)gen_pick_scalar(g, st),
		         (int16_t)off, 0);
	}
}

/* The checked packet bytes [a, a + k) given to a helper: as a map key or to
 * bpf_csum_diff() (helpers with pkt_access), or (wrong) to bpf_ringbuf_output() or
 * bpf_trace_printk(), which refuse packet memory. */
static void pkt_helper(struct gen *g, struct gen_state *st, int a, int k)
{
	g->p->features |= GEN_F_HELPER;
	if (gen_bad(g)) {
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, (uint8_t)a, 0, 0);
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, k);
		if (dt_chance(&g->rng, 50)) {
			gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, 0);
			gen_map_ref(g, BPF_REG_1, GEN_MAP_RINGBUF);
			gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, HELPER_RINGBUF_OUTPUT);
			g->p->features |= GEN_F_RINGBUF | GEN_F_MAP;
		} else {
			gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_2, 0, 0);
			gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, k);
			gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, HELPER_TRACE_PRINTK);
		}
	} else if (k >= 4 && dt_chance(&g->rng, 60)) { /* the array map's 4-byte key */
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, (uint8_t)a, 0, 0);
		gen_map_ref(g, BPF_REG_1, GEN_MAP_ARRAY);
		gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, HELPER_MAP_LOOKUP);
		g->p->features |= GEN_F_MAP;
	} else if (g->p->prog_type == BPF_PROG_TYPE_CGROUP_SKB) {
		return; /* no bpf_csum_diff() there */
	} else {
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, (uint8_t)a, 0, 0);
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, k & ~3);
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, 0);
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, 0);
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_5, 0, 0, 0);
		gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, HELPER_CSUM_DIFF);
	}
	gen_clobber_call(st, (struct gen_reg){.kind = GK_MAYBE});
}

void gen_pkt_access(struct gen *g, struct gen_state *st, int depth)
{
	struct ctx_rules cr = ctx_rules_of(g->p->prog_type);
	int c = gen_find_kind(g, st, GK_CTX), a, e, t, k, n;
	size_t j;

	if (c < 0 || cr.data < 0)
		return;
	g->p->features |= GEN_F_PKT | GEN_F_CTX;
	a = gen_pick_other(g, st, 1u << c);
	e = gen_pick_other(g, st, (1u << c) | (1u << a));
	t = gen_pick_other(g, st, (1u << c) | (1u << a) | (1u << e));
	gen_emit(g, BPF_LDX | BPF_MEM | BPF_W, (uint8_t)a, (uint8_t)c, cr.data, 0);
	gen_emit(g, BPF_LDX | BPF_MEM | BPF_W, (uint8_t)e, (uint8_t)c, cr.data_end, 0);
	st->r[a] = (struct gen_reg){.kind = GK_PKT};
	st->r[e] = (struct gen_reg){.kind = GK_PKT_END};
	k = dt_range(&g->rng, 1, 64);
	n = dt_range(&g->rng, 1, 4);
	if (gen_bad(g)) { /* no bounds check at all */
		for (int i = 0; i < n; i++)
			pkt_one(g, st, a, k, cr.pkt_write);
		return;
	}
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, (uint8_t)t, (uint8_t)a, 0, 0);
	gen_emit(g, BPF_ALU64 | BPF_ADD | BPF_K, (uint8_t)t, 0, 0, k);
	st->r[t] = (struct gen_reg){.kind = GK_PKT, .off = (int16_t)k};
	if (dt_chance(&g->rng, 50))
		j = gen_emit_jump(g, BPF_JMP | BPF_JGT | BPF_X, (uint8_t)t, (uint8_t)e, 0);
	else
		j = gen_emit_jump(g, BPF_JMP | BPF_JLT | BPF_X, (uint8_t)e, (uint8_t)t, 0);
	{
		struct gen_state skip = *st;

		for (int i = 0; i < n; i++)
			pkt_one(g, st, a, k, cr.pkt_write);
		if (dt_chance(&g->rng, 15))
			pkt_helper(g, st, a, k);
		if (dt_chance(&g->rng, 30))
			gen_block(g, st, 1, depth + 1);
		gen_patch(g, j);
		/* joining with the unchecked path: the packet registers stay packet pointers */
		if (!st->dead && st->r[a].kind != GK_PKT)
			st->r[a] = (struct gen_reg){.kind = GK_MAYBE};
		if (st->dead)
			*st = skip;
	}
}

void gen_ld_abs(struct gen *g, struct gen_state *st)
{
	static const uint8_t sizes[] = {BPF_B, BPF_H, BPF_W};
	uint8_t sz = sizes[dt_below(&g->rng, 3)];
	int c;

	/* socket filters and tc only; not with a reference held, nor beside subprograms */
	if ((g->p->prog_type == BPF_PROG_TYPE_XDP || g->p->prog_type == BPF_PROG_TYPE_CGROUP_SKB ||
	     g->held || g->calls) &&
	    !gen_bad(g))
		return;
	if (st->r[BPF_REG_6].kind != GK_CTX && !gen_bad(g)) {
		c = gen_find_kind(g, st, GK_CTX);
		if (c < 0 || (g->reserved & (1u << BPF_REG_6)))
			return;
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, (uint8_t)c, 0, 0);
		st->r[BPF_REG_6] = st->r[c];
	}
	g->p->features |= GEN_F_LDABS;
	if (dt_chance(&g->rng, 70))
		gen_emit(g, BPF_LD | BPF_ABS | sz, 0, 0, 0, dt_range(&g->rng, 0, 64));
	else
		gen_emit(g, BPF_LD | BPF_IND | sz, 0, (uint8_t)gen_pick_scalar(g, st), 0,
		         dt_range(&g->rng, 0, 32));
	gen_clobber_call(st, (struct gen_reg){.kind = GK_SCALAR});
}

void gen_helper_call(struct gen *g, struct gen_state *st)
{
	static const int32_t ids[] = {HELPER_KTIME, HELPER_PRANDOM, HELPER_PRANDOM, HELPER_SMP_ID};
	int32_t id = ids[dt_below(&g->rng, NELEM(ids))];
	int dst;

	g->p->features |= GEN_F_HELPER;
	if (gen_bad(g))
		id = dt_chance(&g->rng, 50) ? 999 : 6; /* unknown; trace_printk without args */
	gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, id);
	gen_clobber_call(st, (struct gen_reg){.kind = GK_SCALAR});
	if (dt_chance(&g->rng, 50)) { /* keep the value, often bounded */
		dst = gen_pick_dst(g, st, 6);
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, (uint8_t)dst, BPF_REG_0, 0, 0);
		st->r[dst] = st->r[0];
		if (dt_chance(&g->rng, 50))
			gen_emit(g, BPF_ALU64 | BPF_AND | BPF_K, (uint8_t)dst, 0, 0,
			         (int32_t)dt_below(&g->rng, 64));
	}
}

/* r2 = fp + koff after writing a key there (sometimes not). */
static void map_key(struct gen *g, struct gen_state *st, const struct gen_map_spec *m, int koff)
{
	if (!gen_bad(g)) {
		int32_t key = (int32_t)dt_below(&g->rng, m->max_entries + 2);

		gen_emit(g, BPF_ST | BPF_MEM | (m->key_size == 4 ? BPF_W : BPF_DW), BPF_REG_10, 0,
		         (int16_t)koff, key);
		gen_stack_mark(st, koff, (int)m->key_size, GS_DATA);
	}
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0);
	gen_emit(g, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, koff);
}

void gen_map_ref(struct gen *g, int reg, int map)
{
	gen_emit(g, BPF_LD | BPF_IMM | BPF_DW, (uint8_t)reg, BPF_PSEUDO_MAP_FD, 0, map);
	gen_emit(g, 0, 0, 0, 0, 0);
}

/* One access through a map value pointer in `v` (non-null). */
static void map_value_one(struct gen *g, struct gen_state *st, int v, uint32_t vsize)
{
	int size_i = (int)dt_below(&g->rng, 4);
	int size = 1 << size_i;
	uint8_t sz = size == 1 ? BPF_B : size == 2 ? BPF_H : size == 4 ? BPF_W : BPF_DW;
	int off = size * (int)dt_below(&g->rng, vsize / (uint32_t)size);
	int dst, s;

	if (gen_bad(g))
		off = dt_chance(&g->rng, 70) ? (int)vsize - size + 1 + (int)dt_below(&g->rng, 8)
		                             : -size;
	switch (dt_below(&g->rng, 4)) {
	case 0: /* store */
		if (dt_chance(&g->rng, 50))
			gen_emit(g, BPF_ST | BPF_MEM | sz, (uint8_t)v, 0, (int16_t)off, gen_imm(g));
		else
			gen_emit(g, BPF_STX | BPF_MEM | sz, (uint8_t)v,
			         (uint8_t)gen_pick_scalar(g, st), (int16_t)off, 0);
		break;
	case 1: /* variable offset: p = v + (scalar & mask); load a byte */
		s = gen_pick_scalar(g, st);
		dst = gen_pick_other(g, st, (1u << v) | (1u << s));
		if (s == v || st->r[s].kind != GK_SCALAR || (g->reserved & (1u << s)))
			break;
		gen_emit(g, BPF_ALU64 | BPF_AND | BPF_K, (uint8_t)s, 0, 0,
		         gen_bad(g) ? (int32_t)vsize : (int32_t)(vsize / 2 - 1));
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, (uint8_t)dst, (uint8_t)v, 0, 0);
		gen_emit(g, BPF_ALU64 | BPF_ADD | BPF_X, (uint8_t)dst, (uint8_t)s, 0, 0);
		gen_emit(g, BPF_LDX | BPF_MEM | BPF_B, (uint8_t)s, (uint8_t)dst, 0, 0);
		st->r[dst] = (struct gen_reg){.kind = GK_MAYBE};
		break;
	default: /* load */
		dst = gen_pick_other(g, st, 1u << v);
		gen_emit(g, BPF_LDX | BPF_MEM | sz, (uint8_t)dst, (uint8_t)v, (int16_t)off, 0);
		st->r[dst] = (struct gen_reg){.kind = GK_SCALAR};
		break;
	}
}

void gen_map_access(struct gen *g, struct gen_state *st, int depth)
{
	int map = (int)dt_below(&g->rng, GEN_NR_LOOKUP_MAPS);
	const struct gen_map_spec *m = &gen_maps[map];
	int koff = -8 * dt_range(&g->rng, 1, 8), v = BPF_REG_0, copy = -1;
	uint32_t what = dt_below(&g->rng, 8);
	struct gen_reg val = {.kind = GK_MAP_OR_NULL, .map = (uint8_t)map};
	size_t j;

	g->p->features |= GEN_F_MAP | GEN_F_HELPER;
	if (what == 0 || what == 1) { /* update: value on the stack below the key */
		int voff = koff - 8 * (int)((m->value_size + 7) / 8);

		if (voff < -GEN_STACK)
			voff = -GEN_STACK;
		for (int o = voff; o < voff + (int)m->value_size; o += 8) {
			if (gen_bad(g))
				continue;
			gen_emit(g, BPF_ST | BPF_MEM | BPF_DW, BPF_REG_10, 0, (int16_t)o, 0);
			gen_stack_mark(st, o, 8, GS_DATA);
		}
		map_key(g, st, m, koff);
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_10, 0, 0);
		gen_emit(g, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_3, 0, 0, voff);
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, 0);
		gen_map_ref(g, BPF_REG_1, map);
		gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, HELPER_MAP_UPDATE);
		gen_clobber_call(st, (struct gen_reg){.kind = GK_SCALAR});
		return;
	}
	map_key(g, st, m, koff);
	gen_map_ref(g, BPF_REG_1, map);
	if (what == 2) {
		gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, HELPER_MAP_DELETE);
		gen_clobber_call(st, (struct gen_reg){.kind = GK_SCALAR});
		return;
	}
	gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, HELPER_MAP_LOOKUP);
	gen_clobber_call(st, val);
	if (dt_chance(&g->rng, 40)) { /* a copy shares the null check (same id) */
		copy = gen_pick_dst(g, st, 6);
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, (uint8_t)copy, BPF_REG_0, 0, 0);
		st->r[copy] = val;
		if (dt_chance(&g->rng, 50))
			v = copy;
	}
	val.kind = GK_MAP;
	if (gen_bad(g)) { /* no null check */
		map_value_one(g, st, v, m->value_size);
		return;
	}
	if (!g->held && dt_chance(&g->rng, 40)) {
		/* if (v) goto +2; r0 = 0; exit: non-null from here on */
		gen_emit(g, BPF_JMP | BPF_JNE | BPF_K, (uint8_t)v, 0, 2, 0);
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
		gen_emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		st->r[v] = val;
		if (copy >= 0)
			st->r[copy] = st->r[0] = val;
		for (int k = dt_range(&g->rng, 1, 3); k > 0; k--)
			if (st->r[v].kind == GK_MAP)
				map_value_one(g, st, v, m->value_size);
		return;
	}
	j = gen_emit_jump(g, BPF_JMP | BPF_JEQ | BPF_K, (uint8_t)v, 0, 0);
	{
		struct gen_state null_path = *st;

		st->r[v] = val;
		if (copy >= 0)
			st->r[copy] = st->r[0] = val;
		for (int k = dt_range(&g->rng, 1, 3); k > 0; k--)
			if (st->r[v].kind == GK_MAP)
				map_value_one(g, st, v, m->value_size);
		if (dt_chance(&g->rng, 30))
			gen_block(g, st, 1, depth + 1);
		gen_patch(g, j);
		for (int r = 0; r < 10; r++)
			if (null_path.r[r].kind == GK_MAP_OR_NULL)
				null_path.r[r].kind = GK_SCALAR; /* known zero on that path */
		if (st->dead) {
			*st = null_path;
		} else {
			for (int r = 0; r < 10; r++)
				if (st->r[r].kind != null_path.r[r].kind)
					st->r[r] = (struct gen_reg){.kind = GK_MAYBE};
		}
	}
}
