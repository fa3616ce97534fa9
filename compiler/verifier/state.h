/*
 * state.h - the verifier's abstract machine state and the exploration environment
 * (private to compiler/verifier/).
 *
 * Models struct bpf_reg_state, bpf_func_state and bpf_verifier_state of the kernel
 * (kernel/bpf/verifier.c, Linux 6.18), reduced to what part one of the preflight verifier
 * decides: per call frame eleven registers (not initialised, scalar with the value domain
 * of scalar.h, or a pointer kind with a fixed and a variable offset and an id for null
 * checks) and the stack in 8-byte slots whose bytes are invalid, spilled register, misc or
 * zero.  A state is a stack of frames plus what the exploration needs to know about the
 * path (may_goto depth, recent branch decisions for diagnostics).
 *
 * Pointer kinds part one does not reason about are kept (so that a later part can add
 * rules) but every rule about them is permissive: what we cannot decide, we accept.
 */
#ifndef BPFCC_VERIFIER_STATE_H
#define BPFCC_VERIFIER_STATE_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verifier/cfg.h"
#include "verifier/insn.h"
#include "verifier/scalar.h"
#include "verifier/verifier.h"

#define VRF_MAX_STACK      512 /* MAX_BPF_STACK, bytes per frame */
#define VRF_SLOT_SIZE      8   /* BPF_REG_SIZE */
#define VRF_STACK_SLOTS    (VRF_MAX_STACK / VRF_SLOT_SIZE)
#define VRF_JMP_SEQ_LIMIT  8192              /* BPF_COMPLEXITY_LIMIT_JMP_SEQ */
#define VRF_MAX_LOOPS      (8 * 1024 * 1024) /* BPF_MAX_LOOPS: may_goto depth */
#define VRF_PATH_STEPS     16                /* branch decisions kept per path */
#define VRF_ID_ADD_CONST64 (1u << 31)        /* BPF_ADD_CONST64: a linked scalar plus a constant */
#define VRF_ID_ADD_CONST32 (1u << 30)        /* BPF_ADD_CONST32: the same in 32-bit arithmetic */
#define VRF_ID_ADD_CONST   (VRF_ID_ADD_CONST64 | VRF_ID_ADD_CONST32)

/* Register kinds (enum bpf_reg_type, the subset part one represents). */
enum vrf_type {
	VRF_T_NOT_INIT,
	VRF_T_SCALAR,
	VRF_T_CTX,         /* PTR_TO_CTX */
	VRF_T_STACK,       /* PTR_TO_STACK: frameno + off + var part */
	VRF_T_MAP_PTR,     /* CONST_PTR_TO_MAP */
	VRF_T_MAP_VALUE,   /* PTR_TO_MAP_VALUE (maybe_null: _OR_NULL) */
	VRF_T_PACKET,      /* PTR_TO_PACKET */
	VRF_T_PACKET_END,  /* PTR_TO_PACKET_END */
	VRF_T_PACKET_META, /* PTR_TO_PACKET_META */
	VRF_T_MEM,         /* PTR_TO_MEM: mem_size bytes (ring buffer records, helper memory) */
	VRF_T_BTF_ID,      /* PTR_TO_BTF_ID: a kernel object of type btf_id in the kernel BTF */
	VRF_T_SOCKET,      /* PTR_TO_SOCKET, PTR_TO_SOCK_COMMON, PTR_TO_TCP_SOCK (sock_kind) */
	VRF_T_FUNC,        /* PTR_TO_FUNC: ld_imm64 of a callback (BPF_PSEUDO_FUNC) */
	VRF_T_OTHER,       /* any pointer part one does not model */
};

/* VRF_T_SOCKET: which socket (owner: refs). */
enum vrf_sock_kind {
	VRF_SK_SOCKET, /* PTR_TO_SOCKET, "sock" */
	VRF_SK_COMMON, /* PTR_TO_SOCK_COMMON, "sock_common" */
	VRF_SK_TCP,    /* PTR_TO_TCP_SOCK, "tcp_sock" */
	VRF_SK_XDP,    /* PTR_TO_XDP_SOCK, "xdp_sock" */
};

/* vrf_reg.flags bits (the kernel's enum bpf_type_flag), owner: refs. */
#define VRF_RF_RDONLY    (1u << 0) /* MEM_RDONLY: "rdonly_" */
#define VRF_RF_RINGBUF   (1u << 1) /* MEM_RINGBUF: "ringbuf_" */
#define VRF_RF_TRUSTED   (1u << 2) /* PTR_TRUSTED: "trusted_" */
#define VRF_RF_RCU       (1u << 3) /* MEM_RCU: "rcu_" */
#define VRF_RF_UNTRUSTED (1u << 4) /* PTR_UNTRUSTED: "untrusted_" */
#define VRF_RF_ALLOC     (1u << 5) /* MEM_ALLOC: "alloc_" (bpf_obj_new) */
/* VRF_T_BTF_ID (owner: progtype, mem_btf.c): btf_id names a type of vrf_options.kernel_btf
 * (only then are accesses judged) */
#define VRF_RF_KBTF (1u << 6)

struct vrf_reg {
	struct scalar s; /* SCALAR: the value; pointers: the variable part of the offset */
	int32_t off;     /* pointers: fixed offset */
	uint32_t id;     /* pointers: copies share it; a null check covers all of them.
	                  * scalars: linked copies share it (VRF_ID_ADD_CONST: this one is the
	                  * others plus off) */
	int32_t map;     /* map kinds: the ld_imm64 imm naming the map */
	uint8_t type;    /* enum vrf_type */
	uint8_t maybe_null;
	uint8_t frameno; /* VRF_T_STACK: the frame pointed into */
	/* SCALAR: the kernel may see a pointer here that part one does not model (a context
	 * field, a map value word, a helper or kfunc result): memory accesses through it are
	 * not refused */
	uint8_t maybe_ptr;
	/* map kinds: the ld_imm64 src_reg (BPF_PSEUDO_MAP_*) that `map` goes with; 0 when the
	 * map is not known (then nothing is assumed about its values) */
	uint8_t map_src;
	uint8_t sock_kind; /* VRF_T_SOCKET: which socket kind (owner: refs) */
	uint8_t flags;     /* type flags such as MEM_RDONLY, PTR_UNTRUSTED, MEM_RCU (owners
	                    * define VRF_RF_* bits as they need them) */
	/* The acquired reference this pointer belongs to, 0 for none (ref_obj_id): released
	 * together, leaked together. */
	uint32_t ref_obj_id;
	/* VRF_T_PACKET / VRF_T_PACKET_META: bytes after off proven inside the packet (range,
	 * "r=" in the log); VRF_T_MEM: the size of the memory; VRF_T_BTF_ID: the kernel BTF
	 * type id.  (union-like: one meaning per kind) */
	int32_t range;
	uint32_t mem_size;
	uint32_t btf_id;
};

/* Byte kinds of a stack slot (enum bpf_stack_slot_type). */
enum vrf_stype {
	VRF_S_INVALID,
	VRF_S_SPILL,
	VRF_S_MISC,
	VRF_S_ZERO,
	VRF_S_ITER,   /* an open-coded iterator (iter.c): spill of its first slot holds it */
	VRF_S_DYNPTR, /* STACK_DYNPTR: part of a struct bpf_dynptr (dynptr.c) */
};

struct vrf_slot {
	uint8_t type[VRF_SLOT_SIZE]; /* type[i]: byte at slot address + i */
	struct vrf_reg spill;        /* valid when all bytes are VRF_S_SPILL */
};

/* One call frame; slot k covers bytes [fp - 8(k+1), fp - 8k).  Only nslots slots exist. */
struct vrf_frame {
	struct vrf_reg regs[INSN_NREGS];
	int callsite; /* insn of the call that made this frame, -1 for the entry frame */
	int subprog;  /* first insn of the function */
	/* callbacks (owner: calls, call_cb.c): VRF_CB_* kind, the range r0 must lie in at
	 * its exit (callback_ret_range), and for a caller how many times its pending
	 * callback was entered on this path (callback_depth) */
	uint8_t cb_kind;
	int32_t cb_ret_min, cb_ret_max;
	uint32_t callback_depth;
	/* owner: calls (call_cb.c): 1 + frameno * 64 + slot of the stack slot each register was
	 * last loaded from, kept through copies and arithmetic with constants; 0 none */
	uint16_t reg_prov[INSN_NREGS];
	int nslots;
	struct vrf_slot slot[];
};

struct vrf_step {
	int insn;
	int target; /* where the path went */
	bool taken;
};

struct vrf_explored;
struct calls_info;

/* vrf_frame.cb_kind */
enum vrf_cb_kind {
	VRF_CB_NONE,
	VRF_CB_SYNC,   /* in_callback_fn: bpf_loop, for_each_map_elem, find_vma, ... */
	VRF_CB_ASYNC,  /* in_async_callback_fn: timer callbacks */
	VRF_CB_GLOBAL, /* a global function verified on its own (call_global.c) */
};

/* Locks a path holds (active_locks, active_rcu_lock of bpf_verifier_state). */
struct vrf_lock_state {
	uint8_t spin;    /* a bpf_spin_lock is held */
	uint8_t map_src; /* the lock's map: ld_imm64 src_reg and imm, map_src 0 when unknown */
	uint8_t rcu;     /* bpf_rcu_read_lock() sections open */
	int32_t map;
	uint32_t id; /* id of the map value pointer the lock was taken through */
	int32_t off; /* offset of the lock in the value */
};

/* Reference kinds (enum ref_state_type): pointers are leaks when still held at exit. */
enum vrf_ref_kind {
	VRF_REF_PTR, /* REF_TYPE_PTR: ringbuf records, sockets, kfunc objects, iterators, dynptrs */
	VRF_REF_IRQ, /* REF_TYPE_IRQ: bpf_local_irq_save flags */
	VRF_REF_LOCK, /* REF_TYPE_LOCK: a held bpf_spin_lock (aux: which) */
};

#define VRF_MAX_REFS 24 /* references tracked per path; past it the path is not checked */

/* One acquired reference (struct bpf_reference_state). */
struct vrf_ref {
	uint32_t id;  /* the ref_obj_id its pointers carry */
	int32_t insn; /* where it was acquired (alloc_insn) */
	uint8_t kind; /* enum vrf_ref_kind */
	uint32_t aux; /* kind-specific (locks: which lock) */
};

struct vrf_state {
	struct vrf_frame *frame[VRF_MAX_CALL_FRAMES];
	int curframe;
	int insn;
	uint32_t may_goto_depth;
	uint32_t callback_unroll_depth; /* callbacks entered on this path (owner: calls) */
	/* a callback round widened spilled scalars the kernel may keep (call_cb.c): a
	 * finding on this path is not sure */
	uint8_t cb_widened;
	struct vrf_explored *parent; /* nearest checkpoint on this path */
	uint32_t nsteps;             /* branch decisions made, only the last VRF_PATH_STEPS kept */
	struct vrf_step steps[VRF_PATH_STEPS];
	struct vrf_lock_state lock; /* owner: progtype (lock.c) */
	/* 1 + the insn whose source line the kernel's log shows last on this path (it prints a
	 * line_info only when it differs from the last one printed on any path); 0 none */
	int32_t log_line_insn;
	/* acquired_refs (ref.h): references held on this path, in acquisition order */
	uint8_t nrefs;
	/* more than VRF_MAX_REFS, or a reference given to a call bpfcc does not model: leaks
	 * are not reported on this path */
	bool refs_overflow;
	struct vrf_ref refs[VRF_MAX_REFS];
	/* path.c: the newest jump of this path in env->path_nodes (index + 1), 0 none */
	uint32_t path_tail;
};

/* A checkpoint: a state stored at a prune point (struct bpf_verifier_state_list). */
struct vrf_explored {
	struct vrf_explored *next; /* same instruction */
	struct vrf_explored *parent;
	uint32_t branches; /* paths in flight below this checkpoint */
	uint32_t hit, miss;
	bool evicted;
	struct vrf_state st;
};

/* A pending branch (struct bpf_verifier_stack_elem). */
struct vrf_pending {
	struct vrf_state st;
	int prev_insn;
	/* The structural walk found a bad field that do_check() only meets on a path: check
	 * fields while exploring, in path order, and record which insns were reached. */
	bool check_fields;
	uint8_t *reached;
};

/* What the argument checks of the helper call being checked learnt (part of struct
 * bpf_call_arg_meta; owner: mem, call_mem.c): the map of its CONST_MAP_PTR argument and a
 * constant array key. */
struct vrf_call_meta {
	bool map_known;         /* mi is filled (map_info_fn knew the map) */
	uint8_t map_src;        /* the map argument's ld_imm64 src_reg, 0 for none */
	int32_t map;            /* and its imm */
	struct vrf_map_info mi; /* when map_known */
	int64_t const_key;      /* the key of an array lookup when known, else -1 */
};

/* Everything one run needs (struct bpf_verifier_env). */
struct vrf_env {
	const struct bpf_insn *insns;
	int n;
	const struct vrf_options *opts;
	const struct cfg *cfg;
	struct insn_env ienv;
	struct vrf_fault *fault;
	struct vrf_state cur;
	struct vrf_pending *pending;
	int npending, cap_pending;
	struct vrf_explored **explored; /* per insn */
	struct vrf_explored *limbo;     /* evicted while paths still depended on them */
	uint8_t *prune_point;           /* per insn: 1 prune point, 2 forced checkpoint */
	uint16_t *live;                 /* per insn: registers live before it (bit r) */
	uint16_t *precise;              /* per insn: registers whose exact value may matter */
	uint32_t id_gen;
	struct calls_info *calls; /* subprograms, stack depths, callbacks (calls.h) */
	uint64_t insn_processed, prev_insn_processed;
	uint64_t jmps_processed, prev_jmps_processed;
	uint32_t total_states, cur_states, peak_states;
	uint64_t mem_cur, mem_peak;
	int prev_insn;
	/* The structural walk found a bad field that do_check() only meets on a path: check
	 * fields while exploring, in path order, and record which insns were reached. */
	bool check_fields;
	uint8_t *reached;
	bool trace_pending_from;        /* print "from X to Y" before the next insn */
	struct vrf_call_meta call_meta; /* the helper call being checked */
	/* per insn: the first insn of its line_info record, -1 none (NULL: no line info);
	 * prev_linfo: the record the kernel's log printed last (verbose_linfo()) */
	int32_t *linfo;
	int32_t prev_linfo;
	/* 1 + the first unresolved kfunc call (imm 0) a path reached, 0 none (kfunc.c) */
	int unresolved_kfunc;
	char tbuf[4096]; /* trace line */
	/* path.c (opts->path_fn set): the jumps of every path walked, each pointing to the one
	 * before it on its path; path_start: where the exploration began */
	struct vrf_path_node *path_nodes;
	uint32_t npath_nodes, cap_path_nodes;
	int path_start;
	bool path_lost; /* out of memory while recording: no path */
	/* prune.c: per insn, a conditional jump the values decided on some path so far (the
	 * kernel marks its scalar operands precise only then); precise_dec: the static demand
	 * seeded by those jumps alone (and every other seed), recomputed when stale */
	uint8_t *jmp_decided;
	uint16_t *precise_dec, *mayptr;
	bool precise_dec_stale;
};

/* One jump of a path (struct vrf_path_jump) and the jump before it (index + 1, 0 none). */
struct vrf_path_node {
	int32_t from, to;
	uint32_t prev;
};

/* state.c: frames and states. */
struct vrf_frame *state_frame_new(struct vrf_env *env, int callsite, int subprog);
void state_frame_free(struct vrf_env *env, struct vrf_frame *f);
/* Makes room for slots [0, nslots) in frame i of st (grows, never shrinks).  0 or -ENOMEM. */
int state_grow_stack(struct vrf_env *env, struct vrf_state *st, int i, int nslots);
/* dst = deep copy of src (dst's old frames are released).  0 or -ENOMEM. */
int state_copy(struct vrf_env *env, struct vrf_state *dst, const struct vrf_state *src);
void state_release(struct vrf_env *env, struct vrf_state *st);
/* The initial state: r1 = ctx, r10 = fp, everything else not initialised. */
int state_init(struct vrf_env *env, struct vrf_state *st);
struct vrf_frame *state_cur_frame(struct vrf_state *st);
struct vrf_reg *state_regs(struct vrf_state *st);

void reg_mark_not_init(struct vrf_reg *r);
void reg_mark_unknown(struct vrf_reg *r);
void reg_mark_const(struct vrf_reg *r, uint64_t v);
/* assign_scalar_id_before_mov(): gives an unknown scalar about to be copied an id so that
 * the copy stays linked to it; a "+ constant" link is dropped first. */
void reg_link_before_copy(struct vrf_env *env, struct vrf_reg *r);
bool reg_is_pointer(const struct vrf_reg *r);
/* The kernel's type name for the log ("scalar", "ctx", "fp", "map_value_or_null", ...). */
const char *reg_type_name(const struct vrf_reg *r);
/* Records a finding; returns -EINVAL.  kmsg printf-style. */
int env_fault(struct vrf_env *env, enum vrf_rule rule, int insn, const char *detail,
              const char *kfmt, ...) __attribute__((format(printf, 5, 6)));

/* transfer_alu.c */
int transfer_alu(struct vrf_env *env, const struct bpf_insn *in, int idx);
/* Reads register regno as an operand: "R%d !read_ok" when not initialised. */
int transfer_check_read(struct vrf_env *env, int regno, int idx);
/* transfer_mem.c: LDX, STX, ST, atomics, ld_imm64, LD_ABS/IND. */
int transfer_mem(struct vrf_env *env, const struct bpf_insn *in, int idx);
/* transfer_jmp.c: helper/pseudo/kfunc calls and exit.  *next receives the next insn, -1 when
 * the path ends. */
int transfer_call(struct vrf_env *env, const struct bpf_insn *in, int idx, int *next);
int transfer_exit(struct vrf_env *env, int idx, int *next);
/* Conditional jumps and may_goto: pushes the other branch when both are possible. */
int transfer_cond(struct vrf_env *env, const struct bpf_insn *in, int idx, int *next);

/* mem_ctx.c: an access of `size` bytes at insn offset off through the context pointer ptr
 * (register regno), mode an enum vrf_ctx_mode (ctx_access.h); a read fills *dst (NULL for
 * stores).  0 or -EINVAL after the fault. */
int mem_ctx_access(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int off, int size,
                   int mode, bool sx, struct vrf_reg *dst, int idx);
/* check_atomic_rmw(): read-modify-write atomics through ctx or packet pointers refused. */
int mem_atomic_ptr_check(struct vrf_env *env, int regno, int idx);
/* __check_ptr_off_reg(fixed_off_ok = false) for a context pointer (helper arguments too). */
int mem_ctx_ptr_unmodified(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int idx);

/* mem_map.c: check_map_access_type() + check_map_access() of `size` bytes at insn offset off
 * through the map value pointer ptr (register regno), a store when write.  0 (also when the
 * map is unknown) or -EINVAL.  For a read (dst non-NULL, sx: sign-extending) of a frozen
 * read-only map at a constant offset, fills *dst with the constant and returns 1. */
int mem_map_access(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int off, int size,
                   bool write, struct vrf_reg *dst, bool sx, int idx);
/* The same for a helper's memory argument (check_helper_mem_access(): the pointer's own
 * offset only, zero_ok for ARG_CONST_SIZE_OR_ZERO). */
int mem_map_helper_access(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int size,
                          bool write, bool zero_ok, int idx);
/* A load or store through a map value pointer that may still be NULL ("R%d invalid mem
 * access 'map_value_or_null'"), when bpfcc knows the lookup's map.  0 or the fault. */
int mem_map_null_deref(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int idx);
/* The BPF_MAP_TYPE_* of the map behind a map value or map pointer, -1 when unknown. */
int mem_map_type(struct vrf_env *env, const struct vrf_reg *ptr);
/* A map lookup's result r tested non-NULL: a socket or AF_XDP socket for the map types
 * whose values are those (mark_ptr_or_null_reg()). */
void mem_map_lookup_not_null(struct vrf_env *env, struct vrf_reg *r);
/* check_ptr_to_map_access(): reads of &map at offsets >= 0 only; 0 or the fault. */
int mem_map_ptr_access(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int off,
                       bool write, int idx);
/* Is ptr (a map value pointer) sure to be a plain value: its map is known and is not one
 * whose lookups give inner maps or sockets (map-in-map, sockmap, sockhash, xskmap)? */
bool mem_map_value_is_plain(struct vrf_env *env, const struct vrf_reg *ptr);

/* call_mem.c: memory arguments of helper calls (check_helper_mem_access()). */
struct vrf_helper_proto;
/* Before the arguments of a helper call are checked: forget the previous call's meta. */
void call_mem_begin(struct vrf_env *env);
/* Argument i (0-based) of helper p, after its register type was checked: map pointers are
 * remembered, memory arguments (map key / value, fixed-size memory, memory with a size in
 * argument i) are bounds-checked where they point (stack, map value, helper memory), and
 * the stack bytes a helper writes become unknown.  0 or the fault. */
int call_mem_check_arg(struct vrf_env *env, const struct vrf_helper_proto *p, int i, int idx);
/* check_helper_mem_access() of `size` bytes through register regno (stack bounds, map value
 * bounds and access type, helper memory bounds), without changing the state; other
 * pointer kinds pass.  0 or the fault. */
int call_mem_check_region(struct vrf_env *env, int regno, int64_t size, bool write, int idx);
/* r0 of helper p after the call: a map value carries the map of the call's map argument;
 * an array lookup with a constant key inside the array is not NULL. */
void call_mem_ret(struct vrf_env *env, const struct vrf_helper_proto *p, struct vrf_reg *r0);

/* explore.c */
/* push_stack(): queues a copy of the current state to resume at insn `to`; NULL after
 * recording the fault (too many pending branches) or on allocation failure (*err). */
struct vrf_state *explore_push(struct vrf_env *env, int to, int from, int *err);
void explore_note_step(struct vrf_state *st, int insn, int target, bool taken);
/* do_check(): 0 when every path ends in a safe exit, -EINVAL with env->fault, -ENOMEM. */
int explore_run(struct vrf_env *env);

/* path.c: the failing path for opts->path_fn (nothing is recorded without it). */
/* The path of st goes from insn `from` to `to`: remembered unless `to` is the next insn
 * (out of memory: no path is reported, the verdict is the same). */
void path_note(struct vrf_env *env, struct vrf_state *st, int from, int to);
/* Hands env->cur's path up to the fault's insn to opts->path_fn (out of memory: not). */
void path_report(struct vrf_env *env);
void path_free(struct vrf_env *env);

/* prune.c */
/* Prune points, forced checkpoints and register liveness of the program.  0 or -ENOMEM. */
int prune_prepare(struct vrf_env *env);
/* is_state_visited(): 1 when the current state is covered by an explored one (prune the
 * path), 0 to continue, -EINVAL after an infinite loop, -ENOMEM. */
int prune_visit(struct vrf_env *env, int idx);
/* A path ended (exit or pruned): update the branch counts of its checkpoints. */
void prune_path_done(struct vrf_env *env, struct vrf_explored *parent);
void prune_free_all(struct vrf_env *env);
/* A conditional jump at idx that the values decided (one way only). */
void prune_note_decided(struct vrf_env *env, int idx);
/* Registers whose exact value the kernel may have marked precise before insn `at` so far:
 * prune.c's static demand (env->precise) with conditional jumps counted only once some
 * path had them decided.  The widening of loop rounds (may_goto, callbacks) keeps these. */
uint16_t prune_precise_decided(struct vrf_env *env, int at);

/* trace.c */
bool trace_on(const struct vrf_env *env);
void trace_line(struct vrf_env *env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "12: (bf) r1 = r10" */
void trace_insn(struct vrf_env *env, int idx);
/* "12: R0=scalar() R1=ctx() R10=fp0 fp-8=mmmmmmmm" for the current state. */
void trace_state(struct vrf_env *env, int idx);
/* Writes the state of one register in the kernel's log syntax into buf. */
int trace_reg(const struct vrf_reg *r, char *buf, size_t len);

#endif
