/*
 * cfg.c - subprogram discovery, jump containment, the depth-first reachability search
 * and basic blocks, following kernel/bpf/verifier.c.
 *
 * Kernel behaviour modelled:
 *  - add_subprog_and_kfunc(): scans every slot in order; a pseudo call or a pseudo func
 *    ld_imm64 adds the subprogram at idx + imm + 1 ("call to invalid destination" when
 *    outside the program, "too many subprograms" past 256), needs CAP_BPF; kfunc calls
 *    are looked up in BTF ("kernel btf_id %u is not a function"), a negative module
 *    offset is refused outright.
 *  - check_subprogs(): every JMP/JMP32 other than CALL and EXIT must land inside the
 *    subprogram it sits in ("jump out of range from insn %d to %d"); the last slot of
 *    each subprogram must be exit or goto ("last insn is not an exit or jmp").
 *  - check_cfg(): iterative DFS with per-insn state (discovered / explored, and which
 *    edges were taken); an edge to a discovered-but-unfinished insn is a back-edge.
 *    With CAP_BPF back-edges are accepted silently; without, "back-edge from insn %d to
 *    %d".  Afterwards, in address order: "unreachable insn %d" for anything not
 *    explored, "jump into the middle of ldimm64 insn %d" when the second slot of a
 *    reachable ld_imm64 was visited.
 */
#include "verifier/cfg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	ST_DISCOVERED = 0x10,
	ST_EXPLORED = 0x20,
	EDGE_FALLTHROUGH = 1,
	EDGE_BRANCH = 2,
	DFS_DONE = 0,
	DFS_KEEP = 1,
};

struct cfg *cfg_new(size_t n)
{
	struct cfg *cfg;

	if (n == 0 || n > VRF_COMPLEXITY_LIMIT_INSNS)
		return NULL;
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return NULL;
	cfg->n = (int)n;
	cfg->subprogs = calloc(VRF_MAX_SUBPROGS + 1, sizeof(*cfg->subprogs));
	if (!cfg->subprogs) {
		free(cfg);
		return NULL;
	}
	return cfg;
}

void cfg_free(struct cfg *cfg)
{
	if (!cfg)
		return;
	free(cfg->subprogs);
	free(cfg->blocks);
	free(cfg->block_of);
	free(cfg);
}

int cfg_subprog_of(const struct cfg *cfg, int idx)
{
	int lo = 0, hi = cfg->nsubprogs - 1;

	if (idx < 0 || idx >= cfg->n || cfg->nsubprogs == 0)
		return -1;
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;

		if (cfg->subprogs[mid].start <= idx)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* add_subprog(): insert `start` keeping the starts sorted and unique. */
static int add_subprog(struct cfg *cfg, long start, int idx, struct vrf_fault *f)
{
	int i;

	if (start < 0 || start >= cfg->n) {
		char d[160];

		snprintf(d, sizeof(d),
		         "call or callback reference at insn %d targets insn %ld, "
		         "outside the program (0..%d)",
		         idx, start, cfg->n - 1);
		return vrf_fault_set(f, VRF_R_CALL_DEST, idx, "call to invalid destination", d);
	}
	for (i = 0; i < cfg->nsubprogs; i++)
		if (cfg->subprogs[i].start == start)
			return 0;
	if (cfg->nsubprogs >= VRF_MAX_SUBPROGS) {
		vrf_fault_set(f, VRF_R_TOO_MANY_SUBPROGS, idx, "too many subprograms",
		              "the kernel allows at most 256 functions per program");
		return -E2BIG;
	}
	i = cfg->nsubprogs++;
	while (i > 0 && cfg->subprogs[i - 1].start > start) {
		cfg->subprogs[i] = cfg->subprogs[i - 1];
		i--;
	}
	cfg->subprogs[i].start = (int)start;
	return 0;
}

static int check_kfunc(const struct bpf_insn *in, int idx, const struct vrf_options *opts,
                       struct vrf_fault *f)
{
	char k[96], d[160];

	if (in->off < 0)
		return vrf_fault_set(f, VRF_R_KFUNC, idx,
		                     "negative offset disallowed for kernel module function call",
		                     "kfunc call has a negative module (fd_array) offset");
	if (!opts || !opts->kfunc_fn || opts->kfunc_fn(opts->kfunc_ctx, in->imm, in->off) == 0)
		return 0;
	snprintf(k, sizeof(k), "kernel btf_id %u is not a function", (unsigned)in->imm);
	snprintf(d, sizeof(d), "kfunc call names BTF id %u, which is not a kernel function",
	         (unsigned)in->imm);
	return vrf_fault_set(f, VRF_R_KFUNC, idx, k, d);
}

int cfg_find_subprogs(struct cfg *cfg, const struct bpf_insn *insns, const struct vrf_options *opts,
                      struct vrf_fault *f)
{
	bool unpriv = opts && (opts->flags & VRF_F_UNPRIV);
	int i, err;

	cfg->nsubprogs = 0;
	err = add_subprog(cfg, 0, 0, f);
	if (err)
		return err;
	for (i = 0; i < cfg->n; i++) {
		const struct bpf_insn *in = &insns[i];

		if (!insn_is_pseudo_func(in) && !insn_is_pseudo_call(in) && !insn_is_kfunc_call(in))
			continue;
		if (unpriv) {
			vrf_fault_set(
			    f, VRF_R_CALLS_UNPRIV, i,
			    "loading/calling other bpf or kernel functions are allowed for "
			    "CAP_BPF and CAP_SYS_ADMIN",
			    "bpf-to-bpf and kfunc calls need CAP_BPF");
			return -EPERM;
		}
		if (insn_is_kfunc_call(in))
			err = check_kfunc(in, i, opts, f);
		else
			err = add_subprog(cfg, insn_call_target(in, i), i, f);
		if (err)
			return err;
	}
	for (i = 0; i < cfg->nsubprogs; i++)
		cfg->subprogs[i].end = i + 1 < cfg->nsubprogs ? cfg->subprogs[i + 1].start : cfg->n;
	return 0;
}

int cfg_check_subprogs(const struct cfg *cfg, const struct bpf_insn *insns, struct vrf_fault *f)
{
	int i, cur = 0, start = cfg->subprogs[0].start, end = cfg->subprogs[0].end;
	char k[96], d[160];

	for (i = 0; i < cfg->n; i++) {
		const struct bpf_insn *in = &insns[i];

		if (insn_is_jump(in)) {
			long to = insn_jump_target(in, (size_t)i);

			if (to < start || to >= end) {
				snprintf(k, sizeof(k), "jump out of range from insn %d to %ld", i,
				         to);
				if (to < 0 || to >= cfg->n)
					snprintf(d, sizeof(d),
					         "jump at insn %d goes to insn %ld, outside the "
					         "program (0..%d)",
					         i, to, cfg->n - 1);
				else
					snprintf(d, sizeof(d),
					         "jump at insn %d goes to insn %ld, outside its "
					         "function (insns %d..%d); functions are entered "
					         "only by calls",
					         i, to, start, end - 1);
				return vrf_fault_set(f, VRF_R_JUMP_RANGE, i, k, d);
			}
		}
		if (i == end - 1) {
			if (in->code != (BPF_JMP | BPF_EXIT) && !insn_is_goto(in)) {
				snprintf(d, sizeof(d),
				         "the last instruction of %s (insn %d) is not exit or "
				         "goto: execution would run off its end",
				         cur == 0 ? "the program's entry function" : "a function",
				         i);
				return vrf_fault_set(f, VRF_R_FALL_THROUGH, i,
				                     "last insn is not an exit or jmp", d);
			}
			start = end;
			cur++;
			if (cur < cfg->nsubprogs)
				end = cfg->subprogs[cur].end;
		}
	}
	return 0;
}

struct dfs {
	const struct bpf_insn *insns;
	int n;
	unsigned char *state;
	int *stack;
	int sp;
	bool unpriv;
	struct vrf_fault *f;
};

/* push_insn(): follow edge t -> w of kind e. */
static int push_insn(struct dfs *s, int t, long w, int e)
{
	char k[96], d[160];

	if (e == EDGE_FALLTHROUGH && s->state[t] >= (ST_DISCOVERED | EDGE_FALLTHROUGH))
		return DFS_DONE;
	if (e == EDGE_BRANCH && s->state[t] >= (ST_DISCOVERED | EDGE_BRANCH))
		return DFS_DONE;
	if (w < 0 || w >= s->n) {
		snprintf(k, sizeof(k), "jump out of range from insn %d to %ld", t, w);
		snprintf(d, sizeof(d), "control flow at insn %d leaves the program (to %ld)", t, w);
		return vrf_fault_set(s->f, VRF_R_JUMP_RANGE, t, k, d);
	}
	if (s->state[w] == 0) {
		s->state[t] = ST_DISCOVERED | e;
		s->state[w] = ST_DISCOVERED;
		if (s->sp >= s->n)
			return -E2BIG;
		s->stack[s->sp++] = (int)w;
		return DFS_KEEP;
	}
	if ((s->state[w] & 0xF0) == ST_DISCOVERED) {
		if (!s->unpriv)
			return DFS_DONE;
		snprintf(k, sizeof(k), "back-edge from insn %d to %ld", t, w);
		snprintf(d, sizeof(d),
		         "insn %d jumps back to insn %ld: loops need CAP_BPF (bounded loops)", t,
		         w);
		return vrf_fault_set(s->f, VRF_R_BACK_EDGE, t, k, d);
	}
	s->state[t] = ST_DISCOVERED | e; /* forward or cross edge to an explored insn */
	return DFS_DONE;
}

/* visit_insn(): the edges of insn t. */
static int visit_insn(struct dfs *s, int t)
{
	const struct bpf_insn *in = &s->insns[t];
	int ret;

	if (insn_is_pseudo_func(in) ||
	    ((BPF_CLASS(in->code) == BPF_JMP || BPF_CLASS(in->code) == BPF_JMP32) &&
	     BPF_OP(in->code) == BPF_CALL)) {
		int sz = insn_is_ldimm64(in) ? 2 : 1;

		ret = push_insn(s, t, t + sz, EDGE_FALLTHROUGH);
		if (ret)
			return ret;
		if (insn_is_pseudo_func(in) || in->src_reg == BPF_PSEUDO_CALL)
			ret = push_insn(s, t, insn_call_target(in, (size_t)t), EDGE_BRANCH);
		return ret;
	}
	if (BPF_CLASS(in->code) != BPF_JMP && BPF_CLASS(in->code) != BPF_JMP32)
		return push_insn(s, t, t + (insn_is_ldimm64(in) ? 2 : 1), EDGE_FALLTHROUGH);
	if (BPF_OP(in->code) == BPF_EXIT)
		return DFS_DONE;
	if (BPF_OP(in->code) == BPF_JA)
		return push_insn(s, t, insn_jump_target(in, (size_t)t), EDGE_FALLTHROUGH);
	ret = push_insn(s, t, t + 1, EDGE_FALLTHROUGH);
	if (ret)
		return ret;
	return push_insn(s, t, insn_jump_target(in, (size_t)t), EDGE_BRANCH);
}

int cfg_check_reachable(const struct cfg *cfg, const struct bpf_insn *insns, unsigned flags,
                        struct vrf_fault *f)
{
	struct dfs s = {.insns = insns, .n = cfg->n, .unpriv = flags & VRF_F_UNPRIV, .f = f};
	char k[96], d[160];
	int ret = 0, i;

	s.state = calloc((size_t)cfg->n, 1);
	s.stack = calloc((size_t)cfg->n, sizeof(int));
	if (!s.state || !s.stack) {
		ret = -ENOMEM;
		goto out;
	}
	s.state[0] = ST_DISCOVERED;
	s.stack[0] = 0;
	s.sp = 1;
	while (s.sp > 0) {
		int t = s.stack[s.sp - 1];

		ret = visit_insn(&s, t);
		if (ret == DFS_DONE) {
			s.state[t] = ST_EXPLORED;
			s.sp--;
		} else if (ret != DFS_KEEP) {
			goto out;
		}
	}
	ret = 0;
	for (i = 0; i < cfg->n; i++) {
		if (s.state[i] != ST_EXPLORED) {
			snprintf(k, sizeof(k), "unreachable insn %d", i);
			snprintf(d, sizeof(d), "no path from the entry reaches insn %d (dead code)",
			         i);
			ret = vrf_fault_set(f, VRF_R_UNREACHABLE, i, k, d);
			goto out;
		}
		if (insn_is_ldimm64(&insns[i])) {
			if (i + 1 < cfg->n && s.state[i + 1] != 0) {
				snprintf(k, sizeof(k), "jump into the middle of ldimm64 insn %d",
				         i);
				snprintf(d, sizeof(d),
				         "a jump lands on the second half of the 64-bit load at "
				         "insn %d",
				         i);
				ret = vrf_fault_set(f, VRF_R_LDIMM64_MIDDLE, i, k, d);
				goto out;
			}
			i++;
		}
	}
out:
	free(s.state);
	free(s.stack);
	return ret;
}

static bool ends_block(const struct bpf_insn *in)
{
	return insn_is_jump(in) || insn_is_exit(in) || insn_is_pseudo_call(in);
}

int cfg_build_blocks(struct cfg *cfg, const struct bpf_insn *insns)
{
	unsigned char *leader;
	int i, b;

	free(cfg->blocks);
	free(cfg->block_of);
	cfg->blocks = NULL;
	cfg->nblocks = 0;
	cfg->block_of = malloc((size_t)cfg->n * sizeof(int));
	leader = calloc((size_t)cfg->n + 1, 1);
	if (!cfg->block_of || !leader) {
		free(leader);
		return -ENOMEM;
	}
	for (i = 0; i < cfg->nsubprogs; i++)
		leader[cfg->subprogs[i].start] = 1;
	for (i = 0; i < cfg->n; i++) {
		const struct bpf_insn *in = &insns[i];
		int w = insn_is_ldimm64(in) ? 2 : 1;

		if (insn_is_jump(in)) {
			long to = insn_jump_target(in, (size_t)i);

			if (to >= 0 && to < cfg->n)
				leader[to] = 1;
		}
		if (ends_block(in) && i + w <= cfg->n)
			leader[i + w] = 1;
		i += w - 1;
	}
	leader[0] = 1;
	for (i = 0; i < cfg->n; i++)
		cfg->nblocks += leader[i];
	cfg->blocks = calloc((size_t)cfg->nblocks, sizeof(*cfg->blocks));
	if (!cfg->blocks) {
		free(leader);
		return -ENOMEM;
	}
	for (i = 0, b = -1; i < cfg->n; i++) {
		if (leader[i]) {
			b++;
			cfg->blocks[b].first = i;
			cfg->blocks[b].subprog = cfg_subprog_of(cfg, i);
			cfg->blocks[b].callee = -1;
		}
		cfg->block_of[i] = b;
		cfg->blocks[b].last = i;
		if (insn_is_ldimm64(&insns[i]) && i + 1 < cfg->n)
			cfg->block_of[++i] = -1;
	}
	for (b = 0; b < cfg->nblocks; b++) {
		struct cfg_block *bl = &cfg->blocks[b];
		const struct bpf_insn *in = &insns[bl->last];
		int w = insn_is_ldimm64(in) ? 2 : 1;
		long next = bl->last + w, to;

		bl->succ[0] = bl->succ[1] = -1;
		if (insn_is_exit(in))
			continue;
		if (insn_is_pseudo_call(in))
			bl->callee =
			    cfg_subprog_of(cfg, (int)insn_call_target(in, (size_t)bl->last));
		if (insn_is_jump(in)) {
			to = insn_jump_target(in, (size_t)bl->last);
			if (!insn_is_goto(in) && next < cfg->n)
				bl->succ[bl->nsucc++] = cfg->block_of[next];
			if (to >= 0 && to < cfg->n)
				bl->succ[bl->nsucc++] = cfg->block_of[to];
		} else if (next < cfg->n) {
			bl->succ[bl->nsucc++] = cfg->block_of[next];
		}
	}
	free(leader);
	return 0;
}
