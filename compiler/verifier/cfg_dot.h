/*
 * cfg_dot.h - a picture of each program's control-flow graph in Graphviz's DOT language,
 * with the path the verifier refused drawn in red (bpfcc verify --emit-cfg).
 *
 * One digraph per call; each program is a cluster (its name, section and verdict in the
 * label), each of its functions a cluster inside it, each basic block (cfg.h) a box
 * labelled with its instruction range and the source lines it covers.  Edges: fall-through,
 * conditional jumps ("taken" / "not taken"), gotos, calls and callback references; for a
 * rejected program the blocks and edges of the failing path (struct vrf_path) are red and
 * bold, and the block holding the failing instruction is filled and double-framed.  Nodes
 * carry DOT ids (`p<P>_b<B>`) and a `class` naming their role ("path", "fault"), so tools
 * and tests can find them in the DOT source and in Graphviz's SVG output.
 *
 * The writer only reads its arguments and writes to `out`; it never prints elsewhere.
 */
#ifndef BPFCC_VERIFIER_CFG_DOT_H
#define BPFCC_VERIFIER_CFG_DOT_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdio.h>

#include "verifier/verifier.h"

/* Where one instruction came from (BTF line_info); line 0: unknown.  Strings borrowed. */
struct cfg_dot_src {
	const char *file;
	unsigned line;
	const char *text; /* the source line, may be NULL */
	const char *func; /* the function the instruction belongs to, may be NULL */
};

/* One program to draw; every pointer is borrowed. */
struct cfg_dot_prog {
	const char *name;
	const char *section;
	const char *verdict; /* one line under the name ("loads", "refused by ..."), or NULL */
	/* The linked program as the kernel gets it; NULL when it was refused before linking
	 * (drawn as a single box saying so). */
	const struct bpf_insn *insns;
	size_t n;
	const struct cfg_dot_src *src; /* n entries, or NULL */
	int fault_insn;                /* the failing instruction, -1 when none */
	const char *fault_msg;         /* the kernel's message for it, or NULL */
	const struct vrf_path *path;   /* the failing path, NULL when none (accepted, structural) */
};

/*
 * Writes one digraph holding every program to `out`.  0, -ENOMEM, or -EIO when writing
 * failed.  A program whose instructions do not form a CFG (jumps out of range, a jump
 * into an ld_imm64) is drawn as one box with the reason.
 */
int cfg_dot_write(FILE *out, const struct cfg_dot_prog *progs, size_t nprogs);

#endif
