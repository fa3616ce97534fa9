/*
 * cfg_dot.c - each program's control-flow graph in DOT, with the failing path in red.
 *
 * The graph is the one the kernel's check_cfg() walks: basic blocks of the linked program
 * (cfg_build_blocks()), grouped by subprogram.  The failing path comes from the
 * exploration (struct vrf_path: a start, the jumps in order, the failing instruction):
 * between two jumps the path runs straight through consecutive blocks, so every block it
 * covers and every edge it follows can be named.  A jump the static graph has no edge for
 * (an exit returning to its caller, a helper entering a callback) is drawn as an extra
 * edge of the path.  When the recorded path does not fit the graph (it should always fit),
 * the highlight stops where it stopped fitting rather than guess.
 *
 * DOT labels are quoted strings: quotes, backslashes, braces, angle brackets and bars are
 * escaped, control characters become spaces, invalid UTF-8 becomes '?', and every line
 * ends in "\l" (left-justified).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/cfg.h"
#include "verifier/cfg_dot.h"

#define CFG_DOT_TEXT_MAX  72 /* characters of a source line shown */
#define CFG_DOT_LINES_MAX 12 /* source lines shown per block */

enum cfg_dot_edge_kind {
	CFG_DOT_FALL,      /* to the next block */
	CFG_DOT_NOT_TAKEN, /* conditional jump, fall-through */
	CFG_DOT_TAKEN,     /* conditional jump, target */
	CFG_DOT_GOTO,
	CFG_DOT_AFTER_CALL, /* bpf-to-bpf call: where the callee returns to */
	CFG_DOT_CALL,       /* bpf-to-bpf call: into the callee */
	CFG_DOT_CALLBACK,   /* a function's address taken (ld_imm64 BPF_PSEUDO_FUNC) */
	CFG_DOT_RETURN,     /* path only: exit back to the caller */
	CFG_DOT_PATH_JUMP,  /* path only: any other transfer the graph does not show */
};

static const char *const cfg_dot_edge_label[] = {
    [CFG_DOT_FALL] = NULL,
    [CFG_DOT_NOT_TAKEN] = "not taken",
    [CFG_DOT_TAKEN] = "taken",
    [CFG_DOT_GOTO] = "goto",
    [CFG_DOT_AFTER_CALL] = "after call",
    [CFG_DOT_CALL] = "call",
    [CFG_DOT_CALLBACK] = "callback",
    [CFG_DOT_RETURN] = "return",
    [CFG_DOT_PATH_JUMP] = "jump",
};

struct cfg_dot_edge {
	int from, to; /* blocks */
	enum cfg_dot_edge_kind kind;
	bool on_path;
};

/* One program being drawn. */
struct cfg_dot_ctx {
	FILE *out;
	size_t p; /* program index, for node ids */
	const struct cfg_dot_prog *prog;
	struct cfg *cfg;
	struct cfg_dot_edge *edges;
	int nedges, cap_edges;
	int *first_edge; /* per block: its first static edge; edges of a block are adjacent */
	int nstatic;     /* edges [0, nstatic) are the graph's, the rest the path's own */
	bool *block_on_path;
	int fault_block;
};

/* --- escaping ------------------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at s (at most len bytes), 0 if invalid. */
static size_t cfg_dot_utf8_len(const unsigned char *s, size_t len)
{
	size_t need, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 4;
	else
		return 0;
	if (need > len)
		return 0;
	for (i = 1; i < need; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return need;
}

/* Writes at most max characters of s escaped for a quoted DOT label ("..." if cut);
 * newlines end a label line ("\l"). */
static void cfg_dot_puts(FILE *out, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), shown = 0;

	while (*p) {
		size_t k;

		if (shown == max) {
			fputs("...", out);
			return;
		}
		shown++;
		if (*p == '\n') {
			fputs("\\l", out);
			p++;
			len--;
			continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			fputc(' ', out);
			p++;
			len--;
			continue;
		}
		if (strchr("\"\\{}<>|", *p)) {
			fputc('\\', out);
			fputc(*p, out);
			p++;
			len--;
			continue;
		}
		k = cfg_dot_utf8_len(p, len);
		if (!k) {
			fputc('?', out);
			p++;
			len--;
			continue;
		}
		fwrite(p, 1, k, out);
		p += k;
		len -= k;
	}
}

/* The last component of a path. */
static const char *cfg_dot_base(const char *file)
{
	const char *slash = file ? strrchr(file, '/') : NULL;

	return slash ? slash + 1 : file ? file : "";
}

/* --- edges --------------------------------------------------------------------------- */

static int cfg_dot_add_edge(struct cfg_dot_ctx *c, int from, int to, enum cfg_dot_edge_kind kind,
                            bool on_path)
{
	if (c->nedges == c->cap_edges) {
		int cap = c->cap_edges ? c->cap_edges * 2 : 64;
		struct cfg_dot_edge *ne = realloc(c->edges, (size_t)cap * sizeof(*ne));

		if (!ne)
			return -ENOMEM;
		c->edges = ne;
		c->cap_edges = cap;
	}
	c->edges[c->nedges++] = (struct cfg_dot_edge){from, to, kind, on_path};
	return 0;
}

/* Block of instruction insn, -1 when none (out of range, second half of ld_imm64). */
static int cfg_dot_block(const struct cfg_dot_ctx *c, long insn)
{
	if (insn < 0 || insn >= c->cfg->n)
		return -1;
	return c->cfg->block_of[insn];
}

/* Entry block of subprogram sp, -1 when none. */
static int cfg_dot_entry(const struct cfg_dot_ctx *c, int sp)
{
	if (sp < 0 || sp >= c->cfg->nsubprogs)
		return -1;
	return cfg_dot_block(c, c->cfg->subprogs[sp].start);
}

/* The graph's own edges, block by block. */
static int cfg_dot_static_edges(struct cfg_dot_ctx *c)
{
	const struct bpf_insn *insns = c->prog->insns;
	int b, err = 0;

	for (b = 0; b < c->cfg->nblocks && !err; b++) {
		const struct cfg_block *bl = &c->cfg->blocks[b];
		const struct bpf_insn *last = &insns[bl->last];
		bool cond = insn_is_jump(last) && !insn_is_goto(last);

		c->first_edge[b] = c->nedges;
		for (int s = 0; s < bl->nsucc && !err; s++) {
			enum cfg_dot_edge_kind kind = CFG_DOT_FALL;

			if (insn_is_goto(last))
				kind = CFG_DOT_GOTO;
			else if (cond)
				kind = s == 0 ? CFG_DOT_NOT_TAKEN : CFG_DOT_TAKEN;
			else if (bl->callee >= 0)
				kind = CFG_DOT_AFTER_CALL;
			err = cfg_dot_add_edge(c, b, bl->succ[s], kind, false);
		}
		if (!err && bl->callee >= 0 && cfg_dot_entry(c, bl->callee) >= 0)
			err = cfg_dot_add_edge(c, b, cfg_dot_entry(c, bl->callee), CFG_DOT_CALL,
			                       false);
		for (int i = bl->first; i <= bl->last && !err; i++) {
			int to;

			if (!insn_is_pseudo_func(&insns[i]))
				continue;
			to = cfg_dot_block(c, (long)i + insns[i].imm + 1);
			if (to >= 0)
				err = cfg_dot_add_edge(c, b, to, CFG_DOT_CALLBACK, false);
		}
	}
	if (!err)
		c->first_edge[c->cfg->nblocks] = c->nedges;
	c->nstatic = c->nedges;
	return err;
}

/* The path goes from block `from` to block `to`: mark the edge of `kind` (any of the two
 * given kinds), or add a path edge when the graph has none.  0 or -ENOMEM. */
static int cfg_dot_follow(struct cfg_dot_ctx *c, int from, int to, enum cfg_dot_edge_kind k1,
                          enum cfg_dot_edge_kind k2, enum cfg_dot_edge_kind extra)
{
	int i;

	for (i = c->first_edge[from]; i < c->first_edge[from + 1]; i++) {
		struct cfg_dot_edge *e = &c->edges[i];

		if (e->to == to && (e->kind == k1 || e->kind == k2)) {
			e->on_path = true;
			return 0;
		}
	}
	for (i = c->nstatic; i < c->nedges; i++)
		if (c->edges[i].from == from && c->edges[i].to == to)
			return 0;
	return cfg_dot_add_edge(c, from, to, extra, true);
}

/* Marks the straight run of instructions [from, to]: every block it covers and the
 * fall-through edges between them.  false when the run does not fit the graph. */
static bool cfg_dot_run(struct cfg_dot_ctx *c, int from, int to, int *err)
{
	int b0 = cfg_dot_block(c, from), b1 = cfg_dot_block(c, to);

	if (b0 < 0 || b1 < b0)
		return false;
	for (int b = b0; b <= b1 && !*err; b++) {
		c->block_on_path[b] = true;
		if (b < b1)
			*err = cfg_dot_follow(c, b, b + 1, CFG_DOT_FALL, CFG_DOT_NOT_TAKEN,
			                      CFG_DOT_PATH_JUMP);
	}
	return true;
}

/* The kind of edge a path's jump from insn `from` to insn `to` follows. */
static void cfg_dot_jump_kind(const struct cfg_dot_ctx *c, int from, int to,
                              enum cfg_dot_edge_kind *want, enum cfg_dot_edge_kind *extra)
{
	const struct bpf_insn *in = &c->prog->insns[from];

	*want = CFG_DOT_PATH_JUMP;
	*extra = CFG_DOT_PATH_JUMP;
	if (insn_is_exit(in)) {
		*extra = CFG_DOT_RETURN;
	} else if (insn_is_pseudo_call(in) && insn_call_target(in, (size_t)from) == to) {
		*want = CFG_DOT_CALL;
	} else if (BPF_CLASS(in->code) == BPF_JMP && BPF_OP(in->code) == BPF_CALL) {
		/* a helper or kfunc entering its callback: the reference's edge when the
		 * callback's address was taken in the same block */
		*want = CFG_DOT_CALLBACK;
		*extra = CFG_DOT_CALLBACK;
	} else if (insn_is_jump(in) && insn_jump_target(in, (size_t)from) == to) {
		*want = insn_is_goto(in) ? CFG_DOT_GOTO : CFG_DOT_TAKEN;
	}
}

/* Marks the failing path's blocks and edges. */
static int cfg_dot_mark_path(struct cfg_dot_ctx *c)
{
	const struct vrf_path *path = c->prog->path;
	int pos, err = 0;

	if (!path || path->start < 0 || path->start >= c->cfg->n)
		return 0;
	pos = path->start;
	for (size_t j = 0; j < path->njumps && !err; j++) {
		const struct vrf_path_jump *jp = &path->jumps[j];
		enum cfg_dot_edge_kind want, extra;
		int bf, bt;

		if (jp->from < pos || jp->from >= c->cfg->n || !cfg_dot_run(c, pos, jp->from, &err))
			return err;
		/* a helper entering its callback leaves from inside a block, and the
		 * callback returns into the middle of that block */
		bf = cfg_dot_block(c, jp->from);
		bt = cfg_dot_block(c, jp->to);
		if (err || bt < 0)
			return err;
		cfg_dot_jump_kind(c, jp->from, jp->to, &want, &extra);
		err = cfg_dot_follow(c, bf, bt, want, want, extra);
		pos = jp->to;
	}
	if (!err && path->end >= pos)
		cfg_dot_run(c, pos, path->end, &err);
	return err;
}

/* --- output -------------------------------------------------------------------------- */

/* A block's label: instruction range, then its source lines (each once, in order). */
static void cfg_dot_block_label(struct cfg_dot_ctx *c, const struct cfg_block *bl)
{
	const struct cfg_dot_src *src = c->prog->src;
	const struct cfg_dot_src *prev = NULL;
	FILE *out = c->out;
	int shown = 0, more = 0;

	if (bl->first == bl->last)
		fprintf(out, "insn %d\\l", bl->first);
	else
		fprintf(out, "insns %d-%d\\l", bl->first, bl->last);
	for (int i = bl->first; src && i <= bl->last; i++) {
		const struct cfg_dot_src *s = &src[i];
		bool seen = false;

		if (!s->line)
			continue;
		if (prev && prev->line == s->line && prev->file == s->file)
			continue;
		for (int k = bl->first; k < i && !seen; k++)
			seen = src[k].line == s->line && src[k].file == s->file;
		prev = s;
		if (seen)
			continue;
		if (shown == CFG_DOT_LINES_MAX) {
			more++;
			continue;
		}
		shown++;
		cfg_dot_puts(out, cfg_dot_base(s->file), CFG_DOT_TEXT_MAX);
		fprintf(out, ":%u: ", s->line);
		if (s->text)
			cfg_dot_puts(out, s->text + strspn(s->text, " \t"), CFG_DOT_TEXT_MAX);
		fputs("\\l", out);
	}
	if (more)
		fprintf(out, "(%d more source lines)\\l", more);
	if (c->fault_block >= 0 && &c->cfg->blocks[c->fault_block] == bl) {
		fprintf(out, "FAILS at insn %d", c->prog->fault_insn);
		if (c->prog->fault_msg && c->prog->fault_msg[0]) {
			fputs(": ", out);
			cfg_dot_puts(out, c->prog->fault_msg, 2 * CFG_DOT_TEXT_MAX);
		}
		fputs("\\l", out);
	}
}

static void cfg_dot_block_node(struct cfg_dot_ctx *c, int b)
{
	const struct cfg_block *bl = &c->cfg->blocks[b];
	bool fault = b == c->fault_block, path = c->block_on_path[b];
	FILE *out = c->out;

	fprintf(out, "\t\t\tp%zu_b%d [id=\"p%zu_b%d\", label=\"", c->p, b, c->p, b);
	cfg_dot_block_label(c, bl);
	fputc('"', out);
	if (fault || path)
		fprintf(out, ", class=\"%s\", color=red, fontcolor=red, penwidth=3",
		        fault && path ? "path fault"
		        : fault       ? "fault"
		                      : "path");
	if (fault)
		fputs(", peripheries=2, style=\"filled,bold\", fillcolor=\"#ffd6d6\"", out);
	else if (path)
		fputs(", style=bold", out);
	fputs("];\n", out);
}

static void cfg_dot_edge_out(struct cfg_dot_ctx *c, const struct cfg_dot_edge *e)
{
	const char *label = cfg_dot_edge_label[e->kind];
	FILE *out = c->out;
	const char *sep = "";

	fprintf(out, "\tp%zu_b%d -> p%zu_b%d [", c->p, e->from, c->p, e->to);
	if (label) {
		fprintf(out, "label=\"%s\"", label);
		sep = ", ";
	}
	if (e->kind == CFG_DOT_CALL || e->kind == CFG_DOT_CALLBACK || e->kind == CFG_DOT_RETURN) {
		fprintf(out, "%sstyle=dashed", sep);
		sep = ", ";
	}
	if (e->on_path)
		fprintf(out, "%sclass=\"path\", color=red, fontcolor=red, penwidth=3", sep);
	fputs("];\n", out);
}

/* The program's cluster label: name, section, verdict. */
static void cfg_dot_prog_label(FILE *out, const struct cfg_dot_prog *pr)
{
	fputs("\t\tlabel=\"", out);
	cfg_dot_puts(out, pr->name, 200);
	fputs(" (", out);
	cfg_dot_puts(out, pr->section, 200);
	fputs(")\\l", out);
	if (pr->verdict) {
		cfg_dot_puts(out, pr->verdict, 200);
		fputs("\\l", out);
	}
	fputs("\";\n", out);
}

/* A program without a graph: one box saying why. */
static void cfg_dot_lone(struct cfg_dot_ctx *c, const char *why)
{
	fprintf(c->out, "\t\tp%zu_none [id=\"p%zu_none\", label=\"", c->p, c->p);
	cfg_dot_puts(c->out, why, 200);
	fputs("\\l\"];\n", c->out);
}

static int cfg_dot_graph(struct cfg_dot_ctx *c)
{
	const struct cfg_dot_prog *pr = c->prog;
	FILE *out = c->out;
	int err;

	c->first_edge = calloc((size_t)c->cfg->nblocks + 1, sizeof(int));
	c->block_on_path = calloc((size_t)c->cfg->nblocks, sizeof(bool));
	if (!c->first_edge || !c->block_on_path)
		return -ENOMEM;
	err = cfg_dot_static_edges(c);
	if (!err)
		err = cfg_dot_mark_path(c);
	if (err)
		return err;
	c->fault_block = pr->fault_insn >= 0 ? cfg_dot_block(c, pr->fault_insn) : -1;
	for (int sp = 0; sp < c->cfg->nsubprogs; sp++) {
		int start = c->cfg->subprogs[sp].start;
		const char *fn = pr->src ? pr->src[start].func : NULL;

		fprintf(out, "\t\tsubgraph \"cluster_p%zu_f%d\" {\n\t\t\tlabel=\"", c->p, sp);
		if (fn)
			cfg_dot_puts(out, fn, 200);
		else
			fprintf(out, "function at insn %d", start);
		fputs("\";\n\t\t\tstyle=dashed;\n", out);
		for (int b = 0; b < c->cfg->nblocks; b++)
			if (c->cfg->blocks[b].subprog == sp &&
			    c->cfg->blocks[b].last >= c->cfg->blocks[b].first)
				cfg_dot_block_node(c, b);
		fputs("\t\t}\n", out);
	}
	fputs("\t}\n", out);
	for (int i = 0; i < c->nedges; i++)
		cfg_dot_edge_out(c, &c->edges[i]);
	return 0;
}

/* Basic blocks of the program, or NULL with *why set when they cannot be built. */
static struct cfg *cfg_dot_cfg(const struct cfg_dot_prog *pr, const char **why, int *err)
{
	struct vrf_fault f = {.insn = -1};
	struct cfg *cfg;

	*err = 0;
	*why = "not linked: refused before the verifier";
	if (!pr->insns || !pr->n)
		return NULL;
	*why = "no control-flow graph: the instructions do not form one";
	cfg = cfg_new(pr->n);
	if (!cfg) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = cfg_find_subprogs(cfg, pr->insns, NULL, &f);
	if (!*err)
		*err = cfg_check_subprogs(cfg, pr->insns, &f);
	if (!*err)
		*err = cfg_check_reachable(cfg, pr->insns, 0, &f);
	/* unreachable code still makes blocks; anything else does not */
	if (*err == -EINVAL && f.rule == VRF_R_UNREACHABLE)
		*err = 0;
	if (!*err)
		*err = cfg_build_blocks(cfg, pr->insns);
	if (*err) {
		cfg_free(cfg);
		if (*err == -EINVAL)
			*err = 0;
		return NULL;
	}
	return cfg;
}

int cfg_dot_write(FILE *out, const struct cfg_dot_prog *progs, size_t nprogs)
{
	int err = 0;

	fputs("digraph \"bpfcc_cfg\" {\n"
	      "\tgraph [fontname=\"monospace\", fontsize=11, labeljust=l, compound=true];\n"
	      "\tnode [shape=box, fontname=\"monospace\", fontsize=10];\n"
	      "\tedge [fontname=\"monospace\", fontsize=9];\n",
	      out);
	for (size_t p = 0; p < nprogs && !err; p++) {
		struct cfg_dot_ctx c = {.out = out, .p = p, .prog = &progs[p], .fault_block = -1};
		const char *why;

		fprintf(out, "\tsubgraph \"cluster_p%zu\" {\n", p);
		cfg_dot_prog_label(out, &progs[p]);
		c.cfg = cfg_dot_cfg(&progs[p], &why, &err);
		if (c.cfg) {
			err = cfg_dot_graph(&c);
		} else if (!err) {
			cfg_dot_lone(&c, why);
			fputs("\t}\n", out);
		}
		free(c.edges);
		free(c.first_edge);
		free(c.block_on_path);
		cfg_free(c.cfg);
	}
	fputs("}\n", out);
	if (!err && (fflush(out) != 0 || ferror(out)))
		err = -EIO;
	return err;
}
