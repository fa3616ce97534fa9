/*
 * cfg.h - subprograms, basic blocks and the kernel's control-flow checks.
 *
 * A loaded program is one instruction array; bpf-to-bpf call targets (and callback
 * references, ld_imm64 with BPF_PSEUDO_FUNC) start subprograms, each running up to the
 * next start.  The kernel demands that every jump stays within its subprogram, that each
 * subprogram ends with exit or goto (check_subprogs()), and that a depth-first search
 * from instruction 0 reaches every instruction (check_cfg()).  Loops are back-edges of
 * that search: allowed with CAP_BPF (bounded loops are proved later), refused otherwise.
 *
 * Usage: cfg_new(), cfg_find_subprogs(), cfg_check_subprogs(), cfg_check_reachable(),
 * cfg_build_blocks(); each check returns 0 or -EINVAL with *fault filled (the first
 * problem, as the kernel reports it).  verifier_build_cfg() in structure.c runs them all.
 */
#ifndef BPFCC_VERIFIER_CFG_H
#define BPFCC_VERIFIER_CFG_H

#include <linux/bpf.h>
#include <stddef.h>

#include "verifier/insn.h"
#include "verifier/verifier.h"

/* Instructions [start, end) of one subprogram; subprogram 0 is the entry. */
struct cfg_subprog {
	int start;
	int end;
};

/* A basic block: instructions [first, last] (last is the terminator's first slot). */
struct cfg_block {
	int first;
	int last;
	int succ[2]; /* successor blocks: fall-through first; -1 when absent */
	int nsucc;
	int subprog; /* subprogram the block belongs to */
	int callee;  /* subprogram a pseudo call at `last` enters, else -1 */
};

struct cfg {
	int n; /* instructions */
	struct cfg_subprog *subprogs;
	int nsubprogs;
	struct cfg_block *blocks; /* filled by cfg_build_blocks(), in address order */
	int nblocks;
	int *block_of; /* insn -> block; -1 for the second slot of ld_imm64 */
};

/* An empty CFG for n instructions (1 <= n); NULL on allocation failure. */
struct cfg *cfg_new(size_t n);
/* Frees the CFG; NULL is allowed. */
void cfg_free(struct cfg *cfg);

/* add_subprog_and_kfunc(): entry plus every pseudo call / pseudo func target (sorted);
 * kfunc calls are checked through opts->kfunc_fn.  opts may be NULL. */
int cfg_find_subprogs(struct cfg *cfg, const struct bpf_insn *insns, const struct vrf_options *opts,
                      struct vrf_fault *fault);
/* check_subprogs(): jumps stay in their subprogram, each subprogram ends in exit/goto. */
int cfg_check_subprogs(const struct cfg *cfg, const struct bpf_insn *insns,
                       struct vrf_fault *fault);
/* check_cfg(): DFS from insn 0; unreachable insns, jumps into ld_imm64, back-edges when
 * flags has VRF_F_UNPRIV. */
int cfg_check_reachable(const struct cfg *cfg, const struct bpf_insn *insns, unsigned flags,
                        struct vrf_fault *fault);
/* Basic blocks and successors of a program that passed the checks above.  0 or -ENOMEM. */
int cfg_build_blocks(struct cfg *cfg, const struct bpf_insn *insns);
/* Subprogram containing insn idx, or -1. */
int cfg_subprog_of(const struct cfg *cfg, int idx);

/*
 * Every structural check (verifier_check_structure()), then the CFG with its blocks.
 * Returns NULL after reporting the first problem to sink (may be NULL); the caller frees
 * the result with cfg_free().  Defined in structure.c.
 */
struct cfg *verifier_build_cfg(const struct bpf_insn *insns, size_t n,
                               const struct vrf_options *opts, struct diag_sink *sink);

#endif
