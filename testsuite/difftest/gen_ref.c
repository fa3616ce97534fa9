/*
 * gen_ref.c - the generator's snippets with acquired references: ring buffer records
 * (bpf_ringbuf_reserve -> null check -> writes -> bpf_ringbuf_submit/discard, and the
 * reference-free bpf_ringbuf_output) and sockets (bpf_sk_lookup_tcp/udp -> null check ->
 * field reads -> bpf_sk_release) in tc, XDP and cgroup_skb programs, and the lock of a
 * map value (lookup -> null check -> bpf_spin_lock -> field accesses -> bpf_spin_unlock).
 *
 * Kernel facts the biasing leans on (the kernel still decides):
 *  - an acquire helper returns "<type>_or_null" with a reference id: it must be compared
 *    with 0 before any access ("invalid mem access 'ringbuf_mem_or_null'") and before it
 *    is released ("R1 type=sock_or_null expected=..."); the null branch holds nothing;
 *  - every reference must be released on every path before the program exits
 *    ("Unreleased reference id=N alloc_insn=M"); a release turns every copy of the
 *    pointer into a scalar, so a later access is "invalid mem access 'scalar'";
 *  - a ring buffer record is memory of the constant size asked for (r2 of
 *    bpf_ringbuf_reserve must be a known constant): accesses stay inside it;
 *  - struct bpf_sock fields are read with their own sizes (u32 for most), never written;
 *  - LD_ABS/LD_IND may not run while a reference is held, nor may the program exit;
 *  - bpf_spin_lock takes the lock's own address in a map value whose BTF describes it;
 *    while locked no helper is called, the lock is not touched directly and the program
 *    does not exit; socket filters may not use such a map at all.
 * While a reference is held the register keeping it is reserved (gen->reserved) and in
 * r6-r9 whenever other snippets run in between, so that calls do not clobber it.
 */
#include "gen_int.h"

#define HELPER_MAP_LOOKUP      1
#define HELPER_KTIME           5
#define HELPER_SPIN_LOCK       93
#define HELPER_SPIN_UNLOCK     94
#define HELPER_SK_LOOKUP_TCP   84
#define HELPER_SK_LOOKUP_UDP   85
#define HELPER_SK_RELEASE      86
#define HELPER_RINGBUF_OUTPUT  130
#define HELPER_RINGBUF_RESERVE 131
#define HELPER_RINGBUF_SUBMIT  132
#define HELPER_RINGBUF_DISCARD 133

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const uint8_t ref_sizes[4] = {BPF_B, BPF_H, BPF_W, BPF_DW};

/* After the null-checked region: the paths join, the released pointer is no pointer. */
static void ref_join(struct gen_state *st, const struct gen_state *null_path, int rr)
{
	if (st->dead) {
		*st = *null_path;
	} else {
		for (int r = 0; r < 10; r++)
			if (st->r[r].kind != null_path->r[r].kind)
				st->r[r] = (struct gen_reg){.kind = GK_MAYBE};
	}
	st->r[rr] = (struct gen_reg){.kind = GK_MAYBE};
}

/* The register that keeps the reference: r0 itself, or a copy in r6-r9 when other
 * snippets (which may call helpers) run while it is held. */
static int ref_keep(struct gen *g, struct gen_state *st, bool block)
{
	int rr;

	if (!block && dt_chance(&g->rng, 50))
		return BPF_REG_0;
	rr = gen_pick_dst(g, st, 6);
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, (uint8_t)rr, BPF_REG_0, 0, 0);
	st->r[rr] = st->r[0];
	return rr;
}

/* bpf_ringbuf_output(map, fp + off, size, 0): a copy, no reference. */
static void ringbuf_output(struct gen *g, struct gen_state *st)
{
	int size = 8 * dt_range(&g->rng, 1, 4), off = -8 * dt_range(&g->rng, 4, 8);

	for (int o = off; o < off + size; o += 8) {
		gen_emit(g, BPF_ST | BPF_MEM | BPF_DW, BPF_REG_10, 0, (int16_t)o, gen_imm(g));
		gen_stack_mark(st, o, 8, GS_DATA);
	}
	if (gen_bad(g)) /* past the frame's top */
		size = -off + 8 * dt_range(&g->rng, 1, 2);
	gen_map_ref(g, BPF_REG_1, GEN_MAP_RINGBUF);
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0);
	gen_emit(g, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, off);
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, size);
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, 0);
	gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, HELPER_RINGBUF_OUTPUT);
	gen_clobber_call(st, (struct gen_reg){.kind = GK_SCALAR});
}

/* One access to the record in `rr` of `size` bytes. */
static void ringbuf_one(struct gen *g, struct gen_state *st, int rr, int size)
{
	int si = (int)dt_below(&g->rng, 4), sz = 1 << si;
	int off = sz * (int)dt_below(&g->rng, (uint32_t)(size / sz));

	if (gen_bad(g)) /* out of the record */
		off = dt_chance(&g->rng, 75) ? size - sz + 1 + (int)dt_below(&g->rng, 8) : -sz;
	if (dt_chance(&g->rng, 70)) {
		if (dt_chance(&g->rng, 50))
			gen_emit(g, BPF_ST | BPF_MEM | ref_sizes[si], (uint8_t)rr, 0, (int16_t)off,
			         gen_imm(g));
		else
			gen_emit(g, BPF_STX | BPF_MEM | ref_sizes[si], (uint8_t)rr,
			         (uint8_t)gen_pick_scalar(g, st), (int16_t)off, 0);
	} else {
		int dst = gen_pick_other(g, st, 1u << rr);

		gen_emit(g, BPF_LDX | BPF_MEM | ref_sizes[si], (uint8_t)dst, (uint8_t)rr,
		         (int16_t)off, 0);
		st->r[dst] = (struct gen_reg){.kind = GK_SCALAR};
	}
}

void gen_ringbuf(struct gen *g, struct gen_state *st, int depth)
{
	int size = 8 * dt_range(&g->rng, 1, 8), rr;
	bool block = dt_chance(&g->rng, 30);
	unsigned saved = g->reserved;
	struct gen_state null_path;
	size_t j;

	g->p->features |= GEN_F_RINGBUF | GEN_F_HELPER | GEN_F_MAP;
	if (dt_chance(&g->rng, 20)) {
		ringbuf_output(g, st);
		return;
	}
	gen_map_ref(g, BPF_REG_1, GEN_MAP_RINGBUF);
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, size);
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, 0);
	gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, HELPER_RINGBUF_RESERVE);
	gen_clobber_call(st, (struct gen_reg){.kind = GK_RB_OR_NULL, .range = (int16_t)size});
	rr = ref_keep(g, st, block);
	if (gen_bad(g)) { /* no null check: the access (or the release) is refused */
		if (dt_chance(&g->rng, 60))
			ringbuf_one(g, st, rr, size);
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, (uint8_t)rr, 0, 0);
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, 0);
		gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, HELPER_RINGBUF_SUBMIT);
		gen_clobber_call(st, (struct gen_reg){.kind = GK_SCALAR});
		st->r[rr] = (struct gen_reg){.kind = GK_MAYBE};
		return;
	}
	j = gen_emit_jump(g, BPF_JMP | BPF_JEQ | BPF_K, (uint8_t)rr, 0, 0);
	null_path = *st;
	for (int r = 0; r < 10; r++)
		if (null_path.r[r].kind == GK_RB_OR_NULL)
			null_path.r[r].kind = GK_SCALAR; /* known zero there */
	for (int r = 0; r < 10; r++)
		if (st->r[r].kind == GK_RB_OR_NULL)
			st->r[r].kind = GK_RB;
	g->held++;
	g->reserved |= 1u << rr;
	for (int k = dt_range(&g->rng, 1, 3); k > 0; k--)
		ringbuf_one(g, st, rr, size);
	if (block && rr >= BPF_REG_6) {
		gen_block(g, st, dt_range(&g->rng, 1, 2), depth + 1);
		if (!st->dead && dt_chance(&g->rng, 50))
			ringbuf_one(g, st, rr, size);
	}
	g->reserved = saved;
	g->held--;
	if (!st->dead && !gen_bad(g)) { /* else: not released on this path */
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, (uint8_t)rr, 0, 0);
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0,
		         dt_chance(&g->rng, 20) ? 1 /* BPF_RB_NO_WAKEUP */ : 0);
		gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0,
		         dt_chance(&g->rng, 70) ? HELPER_RINGBUF_SUBMIT : HELPER_RINGBUF_DISCARD);
		gen_clobber_call(st, (struct gen_reg){.kind = GK_SCALAR});
		if (gen_bad(g)) /* use after release */
			ringbuf_one(g, st, rr, size);
	}
	gen_patch(g, j);
	ref_join(st, &null_path, rr);
}

/* struct bpf_sock fields read as u32: bound_dev_if, family, type, protocol, mark,
 * priority, src_ip4, src_port, dst_ip4, state, rx_queue_mapping */
static const int16_t sock_u32[] = {0, 4, 8, 12, 16, 20, 24, 44, 52, 72, 76};
/* beyond the struct, misaligned, negative */
static const int16_t sock_bad[] = {80, 2, -4, 84};

static void sock_read(struct gen *g, struct gen_state *st, int rr)
{
	int16_t off = sock_u32[dt_below(&g->rng, NELEM(sock_u32))];
	uint8_t size = BPF_W;
	int dst = gen_pick_other(g, st, 1u << rr);

	if (gen_bad(g)) {
		uint32_t what = dt_below(&g->rng, 3);

		if (what == 0) { /* a write: sockets are read-only */
			gen_emit(g, BPF_ST | BPF_MEM | BPF_W, (uint8_t)rr, 0, off, 0);
			return;
		}
		if (what == 1)
			size = BPF_DW;
		else
			off = sock_bad[dt_below(&g->rng, NELEM(sock_bad))];
	}
	gen_emit(g, BPF_LDX | BPF_MEM | size, (uint8_t)dst, (uint8_t)rr, off, 0);
	st->r[dst] = (struct gen_reg){.kind = GK_SCALAR};
}

void gen_sk_lookup(struct gen *g, struct gen_state *st, int depth)
{
	int c = gen_find_kind(g, st, GK_CTX), toff = -8 * dt_range(&g->rng, 2, 8), rr;
	bool block = dt_chance(&g->rng, 30);
	unsigned saved = g->reserved;
	struct gen_state null_path;
	size_t j;

	if (g->p->prog_type == BPF_PROG_TYPE_SOCKET_FILTER || c < 0)
		return; /* no bpf_sk_lookup_*() for socket filters; the context is needed */
	g->p->features |= GEN_F_SOCK | GEN_F_HELPER;
	/* struct bpf_sock_tuple's ipv4 part: saddr, daddr, sport, dport (12 bytes) */
	gen_emit(g, BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, (int16_t)toff, gen_imm(g));
	gen_emit(g, BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, (int16_t)(toff + 4), gen_imm(g));
	gen_emit(g, BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, (int16_t)(toff + 8), gen_imm(g));
	gen_stack_mark(st, toff, 12, GS_DATA);
	if (c != BPF_REG_1)
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, (uint8_t)c, 0, 0);
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0);
	gen_emit(g, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, toff);
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, 12);
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0,
	         dt_chance(&g->rng, 70) ? -1 /* BPF_F_CURRENT_NETNS */ : 0);
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_5, 0, 0, 0);
	gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0,
	         dt_chance(&g->rng, 60) ? HELPER_SK_LOOKUP_TCP : HELPER_SK_LOOKUP_UDP);
	gen_clobber_call(st, (struct gen_reg){.kind = GK_SOCK_OR_NULL});
	rr = ref_keep(g, st, block);
	if (gen_bad(g)) { /* no null check: the read or the release is refused */
		if (dt_chance(&g->rng, 50))
			sock_read(g, st, rr);
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, (uint8_t)rr, 0, 0);
		gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, HELPER_SK_RELEASE);
		gen_clobber_call(st, (struct gen_reg){.kind = GK_SCALAR});
		st->r[rr] = (struct gen_reg){.kind = GK_MAYBE};
		return;
	}
	j = gen_emit_jump(g, BPF_JMP | BPF_JEQ | BPF_K, (uint8_t)rr, 0, 0);
	null_path = *st;
	for (int r = 0; r < 10; r++)
		if (null_path.r[r].kind == GK_SOCK_OR_NULL)
			null_path.r[r].kind = GK_SCALAR;
	for (int r = 0; r < 10; r++)
		if (st->r[r].kind == GK_SOCK_OR_NULL)
			st->r[r].kind = GK_SOCK;
	g->held++;
	g->reserved |= 1u << rr;
	for (int k = dt_range(&g->rng, 0, 3); k > 0; k--)
		sock_read(g, st, rr);
	if (block && rr >= BPF_REG_6)
		gen_block(g, st, dt_range(&g->rng, 1, 2), depth + 1);
	g->reserved = saved;
	g->held--;
	if (!st->dead && !gen_bad(g)) { /* else: leaked on this path */
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, (uint8_t)rr, 0, 0);
		gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, HELPER_SK_RELEASE);
		gen_clobber_call(st, (struct gen_reg){.kind = GK_SCALAR});
		if (gen_bad(g)) /* use after release */
			sock_read(g, st, rr);
	}
	gen_patch(g, j);
	ref_join(st, &null_path, rr);
}

/* One access to the int fields x, y, z of struct dt_lock_val in `rv` (locked). */
static void locked_one(struct gen *g, struct gen_state *st, int rv)
{
	int16_t off = (int16_t)(4 * dt_range(&g->rng, 1, 3));

	if (dt_chance(&g->rng, 60)) {
		gen_emit(g, BPF_ST | BPF_MEM | BPF_W, (uint8_t)rv, 0, off, gen_imm(g));
	} else {
		int dst = gen_pick_other(g, st, 1u << rv);

		gen_emit(g, BPF_LDX | BPF_MEM | BPF_W, (uint8_t)dst, (uint8_t)rv, off, 0);
		st->r[dst] = (struct gen_reg){.kind = GK_SCALAR};
	}
}

void gen_spin_lock(struct gen *g, struct gen_state *st)
{
	int koff = -8 * dt_range(&g->rng, 1, 8), rv;
	unsigned saved = g->reserved;
	size_t j;

	/* socket filters may not use a map with a lock (check_map_prog_compatibility) */
	if (g->p->prog_type == BPF_PROG_TYPE_SOCKET_FILTER && !gen_bad(g))
		return;
	g->p->features |= GEN_F_LOCK | GEN_F_MAP | GEN_F_HELPER;
	gen_emit(g, BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, (int16_t)koff,
	         (int32_t)dt_below(&g->rng, 4));
	gen_stack_mark(st, koff, 4, GS_DATA);
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0);
	gen_emit(g, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, koff);
	gen_map_ref(g, BPF_REG_1, GEN_MAP_LOCK);
	gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, HELPER_MAP_LOOKUP);
	gen_clobber_call(st, (struct gen_reg){.kind = GK_MAP_OR_NULL, .map = GEN_MAP_LOCK});
	rv = gen_pick_dst(g, st, 6); /* survives the lock calls */
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, (uint8_t)rv, BPF_REG_0, 0, 0);
	j = gen_emit_jump(g, BPF_JMP | BPF_JEQ | BPF_K, (uint8_t)rv, 0, 0);
	g->reserved |= 1u << rv;
	gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, (uint8_t)rv, 0, 0);
	if (gen_bad(g)) /* not the lock's offset */
		gen_emit(g, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, 4);
	gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, HELPER_SPIN_LOCK);
	gen_clobber_call(st, (struct gen_reg){.kind = GK_SCALAR});
	st->r[rv] = (struct gen_reg){.kind = GK_MAP, .map = GEN_MAP_LOCK};
	for (int k = dt_range(&g->rng, 1, 3); k > 0; k--)
		locked_one(g, st, rv);
	if (gen_bad(g)) { /* a helper call, or the lock itself touched, while locked */
		if (dt_chance(&g->rng, 50)) {
			gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, HELPER_KTIME);
			gen_clobber_call(st, (struct gen_reg){.kind = GK_SCALAR});
		} else {
			gen_emit(g, BPF_ST | BPF_MEM | BPF_W, (uint8_t)rv, 0, 0, 0);
		}
	}
	if (!gen_bad(g)) { /* else: still locked at the exit */
		gen_emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, (uint8_t)rv, 0, 0);
		gen_emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, HELPER_SPIN_UNLOCK);
		gen_clobber_call(st, (struct gen_reg){.kind = GK_SCALAR});
	}
	g->reserved = saved;
	gen_patch(g, j);
	st->r[rv] = (struct gen_reg){.kind = GK_MAYBE};
	for (int r = 0; r <= 5; r++)
		st->r[r] = (struct gen_reg){.kind = GK_MAYBE};
}
