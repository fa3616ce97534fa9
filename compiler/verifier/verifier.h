/*
 * verifier.h - the preflight verifier's public interface.
 *
 * The preflight verifier predicts what the Linux kernel verifier (kernel/bpf/verifier.c)
 * says about one program: the instructions exactly as the loader hands them to
 * bpf(BPF_PROG_LOAD) (subprograms appended, map references resolved), a program type and
 * load flags.  Findings go to the diagnostics sink with the kernel's own message text.
 *
 * The kernel works in phases and the first failing phase decides the message:
 *   bpf_prog_load()          insn_cnt 0 or above the limit -> E2BIG, no log;
 *   add_subprog_and_kfunc()  subprogram starts from pseudo calls / callback references;
 *   check_subprogs()         every jump stays inside its subprogram, no fall-through;
 *   resolve_pseudo_ldimm64() ld_imm64 pairs, BPF_LDX reserved fields, the opcode table;
 *   check_cfg()              depth-first search: unreachable code, back-edges;
 *   do_check()               per-instruction field checks (and everything about values)
 *                            in path order.
 * This header grows with the verifier: later phases (path exploration, pointer kinds,
 * helpers, ...) add rules to VRF_RULES, fields at the end of struct vrf_options and new
 * entry points; nothing here is removed or reordered.
 *
 * Ownership: nothing returned here points into the caller's buffers.
 */
#ifndef BPFCC_VERIFIER_H
#define BPFCC_VERIFIER_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag/diag.h"

/* The kernel's limits (include/linux/bpf.h, include/uapi/linux/bpf_common.h). */
#define VRF_MAXINSNS_UNPRIV        4096    /* BPF_MAXINSNS */
#define VRF_COMPLEXITY_LIMIT_INSNS 1000000 /* BPF_COMPLEXITY_LIMIT_INSNS, privileged size cap */
#define VRF_MAX_SUBPROGS           256     /* BPF_MAX_SUBPROGS */
#define VRF_MAX_CALL_FRAMES        8       /* MAX_CALL_FRAMES */
#define VRF_NR_CPUS_MAX            8192    /* the largest CONFIG_NR_CPUS (x86-64 MAXSMP) */

/* The kernel's ENOTSUPP (include/linux/errno.h, not in the uapi errno.h): what bpf() returns
 * for some operations the verifier finds unsupported. */
#define VRF_ENOTSUPP 524

/*
 * Every finding the verifier can report: X(enum, rule id, kernel errno).
 * The rule id is stable (users write -Wno-<rule>); the errno is what bpf() returns.
 */
#define VRF_RULES(X)                                                                               \
	X(VRF_R_PROG_SIZE, "verifier-prog-size", E2BIG)                                            \
	X(VRF_R_CALLS_UNPRIV, "verifier-calls-unpriv", EPERM)                                      \
	X(VRF_R_CALL_DEST, "verifier-call-dest", EINVAL)                                           \
	X(VRF_R_TOO_MANY_SUBPROGS, "verifier-too-many-subprogs", E2BIG)                            \
	X(VRF_R_KFUNC, "verifier-kfunc", EINVAL)                                                   \
	X(VRF_R_JUMP_RANGE, "verifier-jump-out-of-range", EINVAL)                                  \
	X(VRF_R_FALL_THROUGH, "verifier-fall-through", EINVAL)                                     \
	X(VRF_R_LDIMM64, "verifier-bad-ldimm64", EINVAL)                                           \
	X(VRF_R_MAP_FD, "verifier-bad-map-fd", EBADF)                                              \
	X(VRF_R_BAD_OPCODE, "verifier-bad-opcode", EINVAL)                                         \
	X(VRF_R_RESERVED, "verifier-reserved-field", EINVAL)                                       \
	X(VRF_R_UNREACHABLE, "verifier-unreachable", EINVAL)                                       \
	X(VRF_R_LDIMM64_MIDDLE, "verifier-jump-into-ldimm64", EINVAL)                              \
	X(VRF_R_BACK_EDGE, "verifier-back-edge", EINVAL)                                           \
	X(VRF_R_BAD_REG, "verifier-bad-register", EINVAL)                                          \
	X(VRF_R_FP_WRITE, "verifier-frame-pointer-write", EACCES)                                  \
	X(VRF_R_DIV_ZERO, "verifier-div-by-zero", EINVAL)                                          \
	X(VRF_R_SHIFT, "verifier-bad-shift", EINVAL)                                               \
	X(VRF_R_ATOMIC, "verifier-bad-atomic", EINVAL)                                             \
	X(VRF_R_MAY_GOTO, "verifier-bad-may-goto", EINVAL)                                         \
	X(VRF_R_ARENA_CAST, "verifier-addr-space-cast", EINVAL)                                    \
	X(VRF_R_LD_ABS_PROG_TYPE, "verifier-ld-abs-prog-type", EINVAL)                             \
	X(VRF_R_CALL_DEPTH, "verifier-call-depth", E2BIG)                                          \
	X(VRF_R_TOO_COMPLEX, "verifier-too-complex", E2BIG)                                        \
	X(VRF_R_UNINIT_REG, "verifier-uninit-register", EACCES)                                    \
	X(VRF_R_STACK_BOUNDS, "verifier-stack-bounds", EACCES)                                     \
	X(VRF_R_STACK_UNINIT, "verifier-uninit-stack", EACCES)                                     \
	X(VRF_R_STACK_MISALIGNED, "verifier-misaligned-stack", EACCES)                             \
	X(VRF_R_SPILL_SIZE, "verifier-spill-size", EACCES)                                         \
	X(VRF_R_INFINITE_LOOP, "verifier-infinite-loop", EINVAL)                                   \
	X(VRF_R_JMP_SEQ, "verifier-too-many-branches", EFAULT)                                     \
	X(VRF_R_PTR_ARITH, "verifier-pointer-arithmetic", EACCES)                                  \
	X(VRF_R_PTR_OFFSET, "verifier-pointer-offset", EINVAL)                                     \
	X(VRF_R_STACK_PTR_TO_CALLER, "verifier-stack-pointer-to-caller", EINVAL)                   \
	X(VRF_R_INVALID_MEM, "verifier-invalid-mem-access", EACCES)                                \
	X(VRF_R_CTX_ACCESS, "verifier-ctx-access", EACCES)                                         \
	X(VRF_R_CTX_PTR_OFFSET, "verifier-ctx-pointer-offset", EACCES)                             \
	X(VRF_R_ATOMIC_PTR, "verifier-atomic-pointer", EACCES)                                     \
	X(VRF_R_MAP_VALUE_BOUNDS, "verifier-map-value-bounds", EACCES)                             \
	X(VRF_R_HELPER_ID, "verifier-unknown-helper", EINVAL)                                      \
	X(VRF_R_HELPER_ARG_TYPE, "verifier-helper-arg-type", EACCES)                               \
	X(VRF_R_HELPER_ARG_SIZE, "verifier-helper-arg-size", EACCES)                               \
	X(VRF_R_COMBINED_STACK, "verifier-combined-stack", EACCES)                                 \
	X(VRF_R_TAIL_CALL_STACK, "verifier-tail-call-stack", EACCES)                               \
	X(VRF_R_CALLBACK_RETURN, "verifier-callback-return", EINVAL)                               \
	X(VRF_R_CALLBACK_R0, "verifier-callback-r0-type", EACCES)                                  \
	X(VRF_R_GLOBAL_FUNC, "verifier-global-func", EINVAL)                                       \
	X(VRF_R_ITER_LEAK, "verifier-iter-leak", EINVAL)                                           \
	X(VRF_R_MAP_ACCESS_TYPE, "verifier-map-access-type", EACCES)                               \
	X(VRF_R_NULL_DEREF, "verifier-null-deref", EACCES)                                         \
	X(VRF_R_STACK_PAST_FP, "verifier-stack-past-frame-pointer", EINVAL)                        \
	X(VRF_R_PKT_BOUNDS, "verifier-packet-bounds", EACCES)                                      \
	X(VRF_R_PKT_BEYOND_END, "verifier-packet-beyond-end", EINVAL)                              \
	X(VRF_R_PKT_WRITE, "verifier-packet-write", EACCES)                                        \
	X(VRF_R_RETURN_CODE, "verifier-return-code", EINVAL)                                       \
	X(VRF_R_HELPER_PROG_TYPE, "verifier-helper-prog-type", EINVAL)                             \
	X(VRF_R_SLEEPABLE, "verifier-sleepable-helper", EINVAL)                                    \
	X(VRF_R_SPIN_LOCK, "verifier-spin-lock", EINVAL)                                           \
	X(VRF_R_SPIN_LOCK_PROG, "verifier-spin-lock-prog-type", EINVAL)                            \
	X(VRF_R_RCU_LOCK, "verifier-rcu-lock", EINVAL)                                             \
	X(VRF_R_BTF_ACCESS, "verifier-btf-access", EACCES)                                         \
	X(VRF_R_SLEEPABLE_MAP, "verifier-sleepable-map", EINVAL)                                   \
	X(VRF_R_REF_LEAK, "verifier-reference-leak", EINVAL)                                       \
	X(VRF_R_REF_RELEASE, "verifier-bad-release", EINVAL)                                       \
	X(VRF_R_KFUNC_ARG, "verifier-kfunc-arg", EACCES)                                           \
	X(VRF_R_MEM_BOUNDS, "verifier-mem-bounds", EACCES)                                         \
	X(VRF_R_DYNPTR, "verifier-dynptr", EINVAL)                                                 \
	X(VRF_R_MAP_FUNC, "verifier-map-func", EINVAL)                                             \
	X(VRF_R_MAP_CALLBACK, "verifier-map-callback", VRF_ENOTSUPP)                               \
	X(VRF_R_MAP_PROG, "verifier-map-prog-type", EINVAL)                                        \
	X(VRF_R_KFUNC_UNRESOLVED, "verifier-kfunc-unresolved", EINVAL)                             \
	X(VRF_R_KFUNC_TRUST, "verifier-kfunc-untrusted-arg", EINVAL)                               \
	X(VRF_R_KPTR_ACCESS, "verifier-kptr-access", EACCES)                                       \
	X(VRF_R_KFUNC_PROG_TYPE, "verifier-kfunc-prog-type", EACCES)                               \
	X(VRF_R_LD_ABS_CTX, "verifier-ld-abs-ctx", EINVAL)                                         \
	X(VRF_R_BTF_GPL, "verifier-btf-non-gpl", EINVAL)                                           \
	X(VRF_R_ATOMIC_MISALIGNED, "verifier-misaligned-atomic", EACCES)                           \
	X(VRF_R_MAP_PTR_ACCESS, "verifier-map-pointer-access", EACCES)                             \
	X(VRF_R_HELPER_FLAGS, "verifier-helper-flags", EINVAL)

enum vrf_rule {
#define VRF_RULE_ENUM(e, id, err) e,
	VRF_RULES(VRF_RULE_ENUM)
#undef VRF_RULE_ENUM
	    VRF_R_COUNT
};

/* The stable rule id ("verifier-bad-opcode") of a rule; NULL when out of range. */
const char *vrf_rule_id(enum vrf_rule rule);
/* The positive errno bpf(BPF_PROG_LOAD) fails with for this rule. */
int vrf_rule_errno(enum vrf_rule rule);
/* The kernel's category of the rule (rule_category.def; diag_category_name() names it);
 * DIAG_CAT_NONE when out of range or not listed (unit/rule_categories fails then). */
enum diag_category vrf_rule_category(enum vrf_rule rule);
/* The plain-language explanation and the fix hint that findings of `rule` carry (static
 * strings); either is NULL when the rule has none. */
void vrf_rule_text(enum vrf_rule rule, const char **explanation, const char **hint);

/* Load flags. */
enum vrf_flags {
	/* Loader lacks CAP_BPF: no back-edges, no bpf-to-bpf or kfunc calls, 4096 insns. */
	VRF_F_UNPRIV = 1u << 0,
	/* The program has an associated arena map (addr_space_cast is allowed). */
	VRF_F_HAS_ARENA = 1u << 1,
	/* expected_attach_type below is set (else the kernel is assumed to get 0). */
	VRF_F_ATTACH_TYPE = 1u << 2,
	/* The program's license is not GPL-compatible (license_is_gpl_compatible() refuses
	 * it): kernel objects may not be read through BTF pointers. */
	VRF_F_NOT_GPL = 1u << 3,
};

/* Source location of instruction `insn`; return false when unknown. */
typedef bool (*vrf_loc_fn)(void *ctx, size_t insn, struct diag_loc *out);
/* Is the ld_imm64 map reference valid?  src_reg is BPF_PSEUDO_MAP_*, imm the fd or index.
 * Return 0 if it names a map, a negative errno otherwise. */
typedef int (*vrf_map_fn)(void *ctx, uint8_t src_reg, int32_t imm);
/* What a map is, for the bounds of its values. */
struct vrf_map_info {
	uint32_t type; /* BPF_MAP_TYPE_* */
	uint32_t key_size, value_size, max_entries;
	/* A frozen read-only map (BPF_F_RDONLY_PROG, frozen by the loader as libbpf does for
	 * .rodata): its value_size bytes, which loads at constant offsets read as constants
	 * (bpf_map_direct_read()); NULL otherwise. */
	const uint8_t *frozen_value;
	uint32_t map_flags; /* BPF_F_RDONLY_PROG, BPF_F_WRONLY_PROG, BPF_F_NO_PREALLOC, ... */
	/* BTF of the value type in vrf_options.prog_btf, 0 when unknown (spin locks, timers,
	 * kptrs inside map values are found through it). */
	uint32_t value_btf_id;
};
/* The map an ld_imm64 names (src_reg BPF_PSEUDO_MAP_*, imm the fd or index): 0 and *out
 * filled, or a negative errno when unknown (the verifier then assumes nothing about it).
 * With VRF_MAP_SRC_INNER set in src_reg, the inner map of that map of maps (the kernel's
 * inner_map_meta: the definition in its BTF `values`), which a lookup in it returns. */
#define VRF_MAP_SRC_INNER 0x80
typedef int (*vrf_map_info_fn)(void *ctx, uint8_t src_reg, int32_t imm, struct vrf_map_info *out);
/* Is (btf_id, off) of a kfunc call a kernel function?  0 or a negative errno. */
typedef int (*vrf_kfunc_fn)(void *ctx, int32_t btf_id, int16_t off);
/* BTF FUNC id (in vrf_options.prog_btf) of the function whose first instruction is insn;
 * 0 when unknown.  Global functions are verified against this signature. */
typedef uint32_t (*vrf_func_fn)(void *ctx, size_t insn);

struct btf;

/* One control transfer of a path to an instruction other than the next one: a jump taken,
 * a call, a return to the caller, a callback entered. */
struct vrf_path_jump {
	int32_t from;
	int32_t to;
};

/*
 * The path the exploration walked to a finding: from instruction `start` (0, or the first
 * instruction of a global function, which the kernel verifies on its own) one instruction
 * after the other, except at each of jumps[] in order, up to the failing instruction `end`.
 * A conditional jump the path passes without a jump here fell through (not taken); a loop
 * appears once per round.  Borrowed for the duration of the callback.
 */
struct vrf_path {
	int start;
	int end;
	const struct vrf_path_jump *jumps;
	size_t njumps;
};
typedef void (*vrf_path_fn)(void *ctx, const struct vrf_path *path);

/*
 * What the caller knows about the program.  Zero-initialise and set what you know; a
 * NULL callback means "assume the kernel accepts it" (the check is left out).
 */
struct vrf_options {
	enum bpf_prog_type prog_type;
	unsigned flags; /* enum vrf_flags */
	const char *program;
	const char *section;
	/* Source locations from BTF line_info: an array of n entries, or a callback. */
	const struct diag_loc *locs;
	vrf_loc_fn loc_fn;
	void *loc_ctx;
	vrf_map_fn map_fn;
	void *map_ctx;
	vrf_kfunc_fn kfunc_fn;
	void *kfunc_ctx;
	/* Trace of the exploration in the spirit of the kernel's log_level 2 (--verifier-log):
	 * called once per line (no newline) with each processed instruction, the register and
	 * stack state after it, branch points and pruning; NULL: no trace. */
	void (*trace_fn)(void *ctx, const char *line);
	void *trace_ctx;
	/* enum bpf_attach_type the program is loaded with, -1 for none (libbpf passes 0);
	 * read only with VRF_F_ATTACH_TYPE.  Context access rules depend on it. */
	int32_t expected_attach_type;
	/* Map types and sizes (value bounds); NULL: map value accesses are not checked. */
	vrf_map_info_fn map_info_fn;
	void *map_info_ctx;
	/* The target kernel's BTF (libbpf's struct btf), NULL when not known: kfunc calls
	 * (src_reg BPF_PSEUDO_KFUNC_CALL, imm a type id in it) are named and typed through it,
	 * and so are the BTF pointers of tracing programs.  Borrowed. */
	const struct btf *kernel_btf;
	/* The object's own BTF, NULL when it has none; borrowed. */
	const struct btf *prog_btf;
	vrf_func_fn func_fn;
	void *func_ctx;
	/* Tracing, LSM, iterator and struct_ops programs: the kernel_btf id of the attach target
	 * (attach_btf_id of bpf(BPF_PROG_LOAD)), 0 when not known. */
	uint32_t attach_btf_id;
	/* prog_flags as the loader passes them (BPF_F_SLEEPABLE, BPF_F_XDP_HAS_FRAGS, ...). */
	uint32_t prog_flags;
	/* Pictures of the failure (bpfcc verify --emit-cfg): called once, before verifier_run()
	 * returns, when the exploration rejects the program on a path, with that path (not for
	 * structural findings, which have none).  NULL: paths are not recorded (recording keeps
	 * 12 bytes per jump the exploration takes until the run ends, so it is opt-in). */
	vrf_path_fn path_fn;
	void *path_ctx;
	/* The target kernel's nr_cpu_ids (possible CPUs): bpf_get_smp_processor_id() returns
	 * [0, nr_cpu_ids - 1] there (do_refine_retval_range).  0: not known, then the largest
	 * CONFIG_NR_CPUS (VRF_NR_CPUS_MAX) bounds it. */
	uint32_t nr_cpu_ids;
};

/* The verdict of a check, for differential testing against the kernel's log. */
struct vrf_verdict {
	bool ok;
	enum vrf_rule rule;   /* valid when !ok */
	int insn;             /* instruction index of the finding, -1 if none */
	int kernel_errno;     /* positive errno bpf() returns, 0 when ok */
	char kernel_msg[128]; /* the kernel's log line (no newline); "" when it logs nothing */
};

/*
 * Structural checks of the whole program, in the kernel's order (size, subprograms,
 * jumps, ld_imm64 and opcodes, CFG, per-instruction fields in do_check path order).
 * Returns 0 when the kernel would find nothing structural, -EINVAL after emitting one
 * diagnostic, -ENOMEM.  opts may be NULL (socket filter, privileged); sink may be NULL.
 */
int verifier_check_structure(const struct bpf_insn *insns, size_t n, const struct vrf_options *opts,
                             struct diag_sink *sink);
/* The same, also filling *verdict (may be NULL). */
int verifier_check_structure_ex(const struct bpf_insn *insns, size_t n,
                                const struct vrf_options *opts, struct diag_sink *sink,
                                struct vrf_verdict *verdict);

/* What a run cost, in the units of the kernel's log and of veristat. */
struct vrf_stats {
	uint64_t insns_processed; /* "processed N insns" */
	uint32_t total_states;    /* "total_states" */
	uint32_t peak_states;     /* "peak_states" */
	uint64_t mem_peak;        /* bytes of verifier state at the peak */
	uint64_t duration_ns;     /* wall time of the run */
};

/*
 * The whole preflight verifier on one linked program (compiler/link/): the structural
 * checks above, then everything the verifier implements so far.  Returns 0 when it predicts
 * the kernel accepts the program, -EINVAL after emitting the finding the kernel would
 * reject it with (verdict filled), -ENOMEM.  verdict and stats may be NULL.
 */
int verifier_run(const struct bpf_insn *insns, size_t n, const struct vrf_options *opts,
                 struct diag_sink *sink, struct vrf_verdict *verdict, struct vrf_stats *stats);

#endif
