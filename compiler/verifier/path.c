/*
 * path.c - the path that reached a finding, jump by jump, for pictures of the failure.
 *
 * The kernel verifier follows one path at a time and, at log_level 1, keeps in its log
 * only the instructions of the path it is on: when it resumes a pending branch it cuts the
 * log back to where that branch was queued (pop_stack() with pop_log), so after a
 * rejection the log reads as the failing path from the first instruction.  bpfcc gives
 * the same path to a caller that asks for it (vrf_options.path_fn), in a compact form: a
 * path runs straight on except at its jumps, so only the jumps are kept.
 *
 * Every path shares its beginning with the path it branched from, so the jumps form a
 * tree: each node names the jump before it on its path and each state holds its newest
 * node (vrf_state.path_tail, an index that state copies carry along unchanged).  Nodes are
 * appended to one array and never freed before the run ends; a run without path_fn
 * records nothing.
 */
#include <errno.h>
#include <stdlib.h>

#include "verifier/state.h"

void path_note(struct vrf_env *env, struct vrf_state *st, int from, int to)
{
	struct vrf_path_node *nd;

	if (!env->opts || !env->opts->path_fn || env->path_lost || from < 0 || from >= env->n ||
	    to == from || to == from + 1)
		return;
	if (to == from + 2 && insn_is_ldimm64(&env->insns[from]))
		return;
	if (env->npath_nodes == env->cap_path_nodes) {
		uint32_t cap = env->cap_path_nodes ? env->cap_path_nodes * 2 : 256;
		struct vrf_path_node *nn = NULL;

		if (cap > env->cap_path_nodes)
			nn = realloc(env->path_nodes, (size_t)cap * sizeof(*nn));
		if (!nn) {
			env->path_lost = true;
			return;
		}
		env->path_nodes = nn;
		env->cap_path_nodes = cap;
	}
	nd = &env->path_nodes[env->npath_nodes++];
	nd->from = from;
	nd->to = to;
	nd->prev = st->path_tail;
	st->path_tail = env->npath_nodes;
}

void path_report(struct vrf_env *env)
{
	const struct vrf_options *o = env->opts;
	struct vrf_path_jump *jumps = NULL;
	struct vrf_path path;
	size_t n = 0, i;
	uint32_t k;

	if (!o || !o->path_fn || env->path_lost || env->fault->insn < 0 ||
	    env->fault->insn >= env->n)
		return;
	for (k = env->cur.path_tail; k && k <= env->npath_nodes; k = env->path_nodes[k - 1].prev)
		n++;
	if (n) {
		jumps = malloc(n * sizeof(*jumps));
		if (!jumps)
			return; /* out of memory: no path */
	}
	i = n;
	for (k = env->cur.path_tail; k && k <= env->npath_nodes && i;
	     k = env->path_nodes[k - 1].prev) {
		i--;
		jumps[i].from = env->path_nodes[k - 1].from;
		jumps[i].to = env->path_nodes[k - 1].to;
	}
	path.start = env->path_start;
	path.end = env->fault->insn;
	path.jumps = jumps;
	path.njumps = n;
	o->path_fn(o->path_ctx, &path);
	free(jumps);
}

void path_free(struct vrf_env *env)
{
	free(env->path_nodes);
	env->path_nodes = NULL;
	env->npath_nodes = env->cap_path_nodes = 0;
}
