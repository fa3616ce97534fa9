/*
 * gen.h - the differential generator: small random but well-formed BPF programs at the
 * instruction level, reproducible from (seed, index).
 *
 * A program is built from snippets the way compilers and hand-written selftests shape
 * them: ALU/ALU64 operations (cpu v4 included: sdiv/smod, movsx, bswap), forward JMP/JMP32
 * branches and if/else diamonds, bounded loops with a back-edge, stack spills, fills,
 * partial writes and atomics; in the "all" class also context loads and stores by
 * program type (socket filter, tc and cgroup_skb __sk_buff, XDP xdp_md) and return-code
 * ranges, packet accesses behind a data_end check, LD_ABS/LD_IND, helper calls,
 * array/hash map lookups with their null check, acquired references (ring buffer
 * records, socket lookups: null check, use, release) and bpf-to-bpf calls of static
 * subprograms (arguments, stack pointers passed down, return values).  While generating, a
 * rough model of each register's kind and of the initialised stack bytes steers the
 * choices towards programs the kernel accepts; with a per-program probability a choice
 * is made wrong on purpose (uninitialised read, out-of-bounds offset, missing null or
 * bounds check, bad shift, endless loop, leaked reference, use after release, a call
 * chain too deep ...) so that about half of the programs are
 * refused.  The model is a bias only: the verdict is the kernel's, never the generator's.
 *
 * Maps: ld_imm64 with src_reg BPF_PSEUDO_MAP_FD carries the *index* of a map in
 * gen_maps[] as imm; gen_bind_maps() turns the indices into real file descriptors.
 */
#ifndef BPFCC_DIFFTEST_GEN_H
#define BPFCC_DIFFTEST_GEN_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GEN_MAX_INSNS 512

enum gen_class {
	GEN_CLASS_INSN, /* ALU, jumps, loops, stack, exit: no ctx, packet, helpers or maps */
	GEN_CLASS_ALL,  /* everything; a share of the programs still falls in the insn class */
};

enum gen_map_index { GEN_MAP_ARRAY, GEN_MAP_HASH, GEN_MAP_RINGBUF, GEN_MAP_LOCK, GEN_NR_MAPS };

/* The BTF the oracle loads (gen_btf()): [1] int, [2] int (void), [3] static FUNC f (the
 * func_info of every subprogram of a callback program), [4] struct bpf_spin_lock,
 * [5] unsigned int, [6] struct dt_lock_val { struct bpf_spin_lock lock; int x, y, z; }
 * (GEN_MAP_LOCK's value). */
#define GEN_BTF_FUNC      3
#define GEN_BTF_INT       1
#define GEN_BTF_LOCK_VAL  6
#define GEN_LOCK_VAL_SIZE 16
/* Writes the raw BTF into buf (at least GEN_BTF_MAX bytes); returns its size. */
#define GEN_BTF_MAX 256
size_t gen_btf(uint8_t *buf);

/* The maps bpf_map_lookup_elem() and friends are given: gen_maps[0 .. GEN_NR_LOOKUP_MAPS). */
#define GEN_NR_LOOKUP_MAPS 2

struct gen_map_spec {
	const char *name;
	enum bpf_map_type type;
	uint32_t key_size, value_size, max_entries;
	uint32_t btf_value_id; /* in gen_btf(), 0: no BTF */
};

extern const struct gen_map_spec gen_maps[GEN_NR_MAPS];

/* What a program uses (struct gen_prog.features). */
enum gen_feature {
	GEN_F_CTX = 1u << 0,        /* reads or writes the context */
	GEN_F_PKT = 1u << 1,        /* direct packet access */
	GEN_F_LDABS = 1u << 2,      /* LD_ABS / LD_IND */
	GEN_F_HELPER = 1u << 3,     /* helper calls */
	GEN_F_MAP = 1u << 4,        /* map references */
	GEN_F_LOOP = 1u << 5,       /* a back-edge */
	GEN_F_STACK = 1u << 6,      /* stack stores or loads */
	GEN_F_ATOMIC = 1u << 7,     /* atomic operations */
	GEN_F_BAD = 1u << 8,        /* at least one choice was made wrong on purpose */
	GEN_F_RINGBUF = 1u << 9,    /* bpf_ringbuf_reserve/submit/discard, bpf_ringbuf_output */
	GEN_F_SOCK = 1u << 10,      /* bpf_sk_lookup_tcp/udp and bpf_sk_release */
	GEN_F_SUBPROG = 1u << 11,   /* bpf-to-bpf calls of static subprograms */
	GEN_F_CTX_WRITE = 1u << 12, /* stores into the context */
	GEN_F_CALLBACK = 1u << 13,  /* bpf_loop() with a static callback (needs BTF func_info) */
	GEN_F_LOCK = 1u << 14,      /* bpf_spin_lock/unlock on a map value */
};
#define GEN_NR_FEATURES 15

/* Short names of the features, by bit ("ctx", "packet", ...). */
extern const char *const gen_feature_names[GEN_NR_FEATURES];

/* Features that take a program out of the instruction-only class. */
#define GEN_F_NOT_INSN                                                                             \
	(GEN_F_CTX | GEN_F_PKT | GEN_F_LDABS | GEN_F_HELPER | GEN_F_MAP | GEN_F_RINGBUF |          \
	 GEN_F_SOCK | GEN_F_SUBPROG | GEN_F_CTX_WRITE | GEN_F_CALLBACK | GEN_F_LOCK)

struct gen_prog {
	enum bpf_prog_type prog_type;
	unsigned features; /* enum gen_feature */
	size_t n;          /* instructions used in insns[] */
	struct bpf_insn insns[GEN_MAX_INSNS];
};

/* Program `index` of the run seeded with `seed`, in class `cls`.  Pure: same arguments,
 * same program. */
void gen_program(uint64_t seed, uint64_t index, enum gen_class cls, struct gen_prog *out);

/* True when the program needs no helpers, maps, context or packet (issue 5's class). */
bool gen_prog_insn_only(const struct gen_prog *p);

/* Replaces the map indices of BPF_PSEUDO_MAP_FD ld_imm64s in insns[0..n) by fds[index];
 * an index out of range is left as it is.  Returns how many were replaced. */
size_t gen_bind_maps(struct bpf_insn *insns, size_t n, const int fds[GEN_NR_MAPS]);

/* The expected attach type both verifiers are given for the program type: BPF_XDP for XDP,
 * BPF_CGROUP_INET_INGRESS for cgroup_skb, -1 (none; the kernel gets 0) otherwise. */
int gen_prog_attach_type(enum bpf_prog_type t);

/* "socket_filter", "xdp", ... for the program types the generator uses; "?" otherwise. */
const char *gen_prog_type_name(enum bpf_prog_type t);
/* The inverse; returns -1 for an unknown name. */
int gen_prog_type_parse(const char *name);

#endif
