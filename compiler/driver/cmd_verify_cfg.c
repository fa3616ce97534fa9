/*
 * cmd_verify_cfg.c - `bpfcc verify --emit-cfg=FILE`: a picture of every program's
 * control-flow graph with the failing path in red (compiler/verifier/cfg_dot.h draws it).
 *
 * While the object pipeline runs, each linked program is copied here (instructions, the
 * source line of each from BTF line_info, the verdict) together with the failing path the
 * verifier hands over (vrf_options.path_fn); the link step frees its result right after.
 * When every object was verified, one DOT graph holding all programs is written to FILE,
 * or, for FILE.svg, piped through Graphviz's `dot -Tsvg`.  The file appears whole or not
 * at all: its temporary file is created next to it before any work (an unwritable place is
 * reported at once) and renamed over it only when everything succeeded, as the compiler
 * does with objects (output.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driver/cmd_verify.h"
#include "elf/object.h"
#include "link/link.h"
#include "verifier/cfg_dot.h"

extern char **environ;

/* One linked program, copied while the link result lived. */
struct vfy_cfg_prog {
	size_t file;      /* index into vfy_run.files */
	const char *name; /* owned by the object */
	struct bpf_insn *insns;
	size_t n;
	struct cfg_dot_src *src; /* strings owned by the object */
	struct vrf_path path;    /* jumps owned */
	bool has_path;
};

static bool vfy_cfg_is_svg(const char *path)
{
	size_t len = strlen(path);

	return len > 4 && strcmp(path + len - 4, ".svg") == 0;
}

bool vfy_cfg_find_dot(void)
{
	const char *env = getenv("PATH");
	char buf[4096];

	if (!env || !*env)
		env = "/usr/bin:/bin";
	while (*env) {
		size_t len = strcspn(env, ":");

		if (snprintf(buf, sizeof(buf), "%.*s%sdot", (int)len, env, len ? "/" : "") <
		        (int)sizeof(buf) &&
		    access(buf, X_OK) == 0)
			return true;
		env += len;
		if (*env == ':')
			env++;
	}
	return false;
}

int vfy_cfg_begin(struct vfy_cfg *c, const char *path, struct diag_sink *sink)
{
	memset(c, 0, sizeof(*c));
	c->path = path;
	c->svg = vfy_cfg_is_svg(path);
	c->out.fd = -1;
	return out_begin(&c->out, path, sink);
}

static void vfy_cfg_path(void *ctx, const struct vrf_path *path)
{
	struct vfy_cfg *c = ctx;

	free(c->pending_jumps);
	c->pending_jumps = NULL;
	c->have_pending = false;
	if (path->njumps) {
		c->pending_jumps = malloc(path->njumps * sizeof(*c->pending_jumps));
		if (!c->pending_jumps) {
			c->oom = true;
			return;
		}
		memcpy(c->pending_jumps, path->jumps, path->njumps * sizeof(*c->pending_jumps));
	}
	c->pending = *path;
	c->pending.jumps = c->pending_jumps;
	c->have_pending = true;
}

static void vfy_cfg_linked(void *ctx, const struct objcheck_prog *p, const struct link_prog *lp)
{
	struct vfy_cfg *c = ctx;
	struct vfy_cfg_prog *cp;

	if (c->nprogs == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct vfy_cfg_prog *np = realloc(c->progs, cap * sizeof(*np));

		if (!np)
			goto oom;
		c->progs = np;
		c->cap = cap;
	}
	cp = &c->progs[c->nprogs];
	memset(cp, 0, sizeof(*cp));
	cp->file = c->cur_file;
	cp->name = p->name;
	cp->n = lp->insn_cnt;
	cp->insns = malloc((cp->n ? cp->n : 1) * sizeof(*cp->insns));
	cp->src = calloc(cp->n ? cp->n : 1, sizeof(*cp->src));
	if (!cp->insns || !cp->src) {
		free(cp->insns);
		free(cp->src);
		goto oom;
	}
	memcpy(cp->insns, lp->insns, cp->n * sizeof(*cp->insns));
	for (size_t i = 0; i < cp->n; i++) {
		const struct obj_prog *op = lp->origin_prog ? lp->origin_prog[i] : NULL;
		const struct obj_line *l =
		    op ? obj_line_rec_for_insn(op, lp->origin_insn[i]) : NULL;

		if (op)
			cp->src[i].func = op->name;
		if (l && l->line) {
			cp->src[i].file = l->file;
			cp->src[i].line = l->line;
			cp->src[i].text = l->text;
		}
	}
	if (c->have_pending) {
		cp->path = c->pending;
		cp->has_path = true;
		c->pending_jumps = NULL; /* the program keeps them */
		c->have_pending = false;
	}
	c->nprogs++;
	return;
oom:
	c->oom = true;
	free(c->pending_jumps);
	c->pending_jumps = NULL;
	c->have_pending = false;
}

void vfy_cfg_hook(struct vfy_cfg *c, size_t file, struct objcheck_options *o)
{
	c->cur_file = file;
	o->path_fn = vfy_cfg_path;
	o->linked_fn = vfy_cfg_linked;
	o->cfg_ctx = c;
}

/* The picture data of program `name` of file `file`, or NULL when it was not linked. */
static const struct vfy_cfg_prog *vfy_cfg_lookup(const struct vfy_cfg *c, size_t file,
                                                 const char *name)
{
	for (size_t i = 0; i < c->nprogs; i++)
		if (c->progs[i].file == file && strcmp(c->progs[i].name, name) == 0)
			return &c->progs[i];
	return NULL;
}

/* The DOT text of every program of the run, in memory.  0 or a negative errno. */
static int vfy_cfg_dot(const struct vfy_cfg *c, const struct vfy_run *run, char **text, size_t *len)
{
	struct cfg_dot_prog *dp;
	char(*verdicts)[256];
	size_t n = 0, k = 0;
	FILE *mem;
	int err;

	for (size_t i = 0; i < run->nr_files; i++)
		n += run->files[i].nr_progs;
	dp = calloc(n ? n : 1, sizeof(*dp));
	verdicts = calloc(n ? n : 1, sizeof(*verdicts));
	mem = dp && verdicts ? open_memstream(text, len) : NULL;
	if (!mem) {
		free(dp);
		free(verdicts);
		return -ENOMEM;
	}
	for (size_t i = 0; i < run->nr_files; i++) {
		const struct vfy_file *f = &run->files[i];

		for (size_t j = 0; j < f->nr_progs; j++, k++) {
			const struct objcheck_prog *p = &f->progs[j].bp;
			const struct vfy_cfg_prog *cp = vfy_cfg_lookup(c, i, p->name);
			bool refused = p->stage == OBJCHECK_VERIFIER && p->verifier_ran;

			snprintf(verdicts[k], sizeof(verdicts[k]), "%s: %s", f->path,
			         vfy_bpfcc_verdict(p));
			if (refused && p->verdict.insn >= 0)
				snprintf(verdicts[k] + strlen(verdicts[k]),
				         sizeof(verdicts[k]) - strlen(verdicts[k]), " at insn %d",
				         p->verdict.insn);
			dp[k].name = p->name;
			dp[k].section = p->section;
			dp[k].verdict = verdicts[k];
			dp[k].fault_insn = refused ? p->verdict.insn : -1;
			dp[k].fault_msg = refused ? p->verdict.kernel_msg : NULL;
			if (cp) {
				dp[k].insns = cp->insns;
				dp[k].n = cp->n;
				dp[k].src = cp->src;
				dp[k].path = refused && cp->has_path ? &cp->path : NULL;
			}
		}
	}
	err = cfg_dot_write(mem, dp, k);
	if (fclose(mem) != 0 && !err)
		err = -EIO;
	free(dp);
	free(verdicts);
	return err;
}

/* `dot -Tsvg -o TMP` fed `text` on its standard input.  0, or a negative errno after
 * reporting why not. */
static int vfy_cfg_svg(struct vfy_cfg *c, const char *text, size_t len, struct diag_sink *sink)
{
	char *argv[] = {"dot", "-Tsvg", "-o", c->out.tmp, NULL};
	posix_spawn_file_actions_t fa;
	void (*old)(int);
	int fds[2], status = 0, err;
	size_t done = 0;
	pid_t pid;

	if (pipe(fds) < 0)
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[0], STDIN_FILENO);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	err = posix_spawnp(&pid, "dot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[0]);
	if (err) {
		close(fds[1]);
		diag_errorf(sink, NULL, NULL, "--emit-cfg: cannot run Graphviz's 'dot': %s",
		            strerror(err));
		return -err;
	}
	old = signal(SIGPIPE, SIG_IGN); /* dot may stop reading: its status says why */
	while (done < len) {
		ssize_t w = write(fds[1], text + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break;
		done += (size_t)w;
	}
	close(fds[1]);
	signal(SIGPIPE, old);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || done < len) {
		diag_errorf(sink, NULL, NULL,
		            "--emit-cfg: Graphviz's 'dot' failed (%s %d); '%s' not written",
		            WIFEXITED(status) ? "exit status" : "signal",
		            WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), c->path);
		return -EIO;
	}
	return 0;
}

int vfy_cfg_finish(struct vfy_cfg *c, const struct vfy_run *run, struct diag_sink *sink)
{
	char *text = NULL;
	size_t len = 0;
	int err;

	if (c->oom) {
		diag_errorf(sink, NULL, NULL, "--emit-cfg: out of memory; '%s' not written",
		            c->path);
		out_abort(&c->out);
		return -ENOMEM;
	}
	err = vfy_cfg_dot(c, run, &text, &len);
	if (err) {
		diag_errorf(sink, NULL, NULL,
		            "--emit-cfg: cannot draw the graph: %s; '%s' not written",
		            strerror(-err), c->path);
		out_abort(&c->out);
		free(text);
		return err;
	}
	if (!c->svg) {
		err = out_commit(&c->out, text, len, sink);
	} else {
		err = vfy_cfg_svg(c, text, len, sink);
		if (!err) {
			mode_t mask = umask(0);

			umask(mask);
			if (c->out.fd >= 0)
				(void)fchmod(c->out.fd, 0666 & ~mask);
			err = out_commit_file(&c->out, sink);
		} else {
			out_abort(&c->out);
		}
	}
	free(text);
	return err;
}

void vfy_cfg_free(struct vfy_cfg *c)
{
	out_abort(&c->out);
	for (size_t i = 0; i < c->nprogs; i++) {
		free(c->progs[i].insns);
		free(c->progs[i].src);
		free((void *)c->progs[i].path.jumps);
	}
	free(c->progs);
	free(c->pending_jumps);
	memset(c, 0, sizeof(*c));
	c->out.fd = -1;
}
