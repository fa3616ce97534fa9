/*
 * clang.c - runs clang-19 as bpfcc's C front end.
 *
 * The command mirrors what `clang -O2 -g -target bpf -c` does up to the end of IR
 * generation: the same target, cpu, optimisation level (clang shapes its IR by it: no
 * `optnone` above -O0, lifetime markers, TBAA), always debug info (BTF is made from it),
 * then `-Xclang -disable-llvm-passes -emit-llvm` so the optimisation pipeline runs in
 * bpfcc's own process instead.  The user's flags come after bpfcc's defaults, so a user
 * -D or -I wins; bpfcc's include directories come after the user's (-isystem, -idirafter).
 * Like clang, the debug information names the working directory and the sources as given,
 * and -ffile-prefix-map / -fdebug-prefix-map / -fdebug-compilation-dir rewrite them; the
 * one path bpfcc adds on its own (the vmlinux.h cache) is mapped to a fixed name.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "frontend/frontend.h"

extern char **environ;

int fe_argv_push(struct fe_argv *a, const char *s)
{
	if (a->n + 2 > a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 32;
		char **v = realloc(a->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n] = strdup(s);
	if (!a->v[a->n])
		return -ENOMEM;
	a->n++;
	a->v[a->n] = NULL;
	return 0;
}

int fe_argv_pushf(struct fe_argv *a, const char *fmt, ...)
{
	char *s;
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (err < 0)
		return -ENOMEM;
	err = fe_argv_push(a, s);
	free(s);
	return err;
}

void fe_argv_free(struct fe_argv *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
}

static const char *opt_flag(const struct fe_options *o)
{
	static const char *levels[] = {"-O0", "-O1", "-O2", "-O3"};

	if (o->size_level == 's')
		return "-Os";
	if (o->size_level == 'z')
		return "-Oz";
	return levels[o->opt_level < 0 ? 0 : o->opt_level > 3 ? 3 : o->opt_level];
}

int fe_build_args(const struct fe_options *o, bool preprocess_only, const char *output,
		  struct fe_argv *out)
{
	const char *headers = fe_headers_dir();
	const char *multiarch = fe_multiarch_dir();
	int err = 0;

	err |= fe_argv_push(out, o->clang);
	err |= fe_argv_push(out, o->big_endian ? "--target=bpfeb" : "--target=bpfel");
	err |= fe_argv_pushf(out, "-mcpu=v%d", o->cpu);
	err |= fe_argv_push(out, opt_flag(o));
	err |= fe_argv_push(out, "-g");
	if (!o->target_arch_set && o->target_arch)
		err |= fe_argv_pushf(out, "-D__TARGET_ARCH_%s", o->target_arch);
	if (o->vmlinux_dir && !preprocess_only) {
		/* Reproducible output: the generated vmlinux.h lives in a per-user cache
		 * ($HOME/.cache/bpfcc/vmlinux-<checksum>), a path nobody asked to see in
		 * DWARF; it becomes /bpfcc-cache/vmlinux-<checksum>.  Before the user's
		 * flags, so their own -fdebug-prefix-map (the later one wins) still can. */
		const char *slash = strrchr(o->vmlinux_dir, '/');

		if (slash && slash != o->vmlinux_dir)
			err |= fe_argv_pushf(out, "-fdebug-prefix-map=%.*s=/bpfcc-cache",
					     (int)(slash - o->vmlinux_dir), o->vmlinux_dir);
	}
	for (size_t i = 0; i < o->n_user_args; i++)
		err |= fe_argv_push(out, o->user_args[i]);
	if (headers) {
		err |= fe_argv_push(out, "-isystem");
		err |= fe_argv_push(out, headers);
	}
	if (multiarch) {
		err |= fe_argv_push(out, "-idirafter");
		err |= fe_argv_push(out, multiarch);
	}
	if (o->vmlinux_dir) {
		err |= fe_argv_push(out, "-idirafter");
		err |= fe_argv_push(out, o->vmlinux_dir);
	}
	for (size_t i = 0; i < o->n_dep_args; i++)
		err |= fe_argv_push(out, o->dep_args[i]);
	if (preprocess_only) {
		err |= fe_argv_push(out, "-E");
	} else {
		err |= fe_argv_push(out, "-Xclang");
		err |= fe_argv_push(out, "-disable-llvm-passes");
		err |= fe_argv_push(out, "-emit-llvm");
		err |= fe_argv_push(out, "-c");
	}
	if (output) {
		err |= fe_argv_push(out, "-o");
		err |= fe_argv_push(out, output);
	}
	if (!strcmp(o->input, "-")) {
		err |= fe_argv_push(out, "-x");
		err |= fe_argv_push(out, "c");
	}
	err |= fe_argv_push(out, o->input);
	return err ? -ENOMEM : 0;
}

static int read_all(int fd, void **out, size_t *out_len)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t r;

		if (len == cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = -errno;
			free(buf);
			return err;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	*out = buf;
	*out_len = len;
	return 0;
}

int fe_run(char *const *argv, bool capture, void **out, size_t *out_len, int *status,
	   struct diag_sink *sink)
{
	posix_spawn_file_actions_t fa;
	int pipefd[2] = {-1, -1};
	int err, wstatus, read_err = 0;
	pid_t pid;

	if (capture) {
		*out = NULL;
		*out_len = 0;
		if (pipe2(pipefd, O_CLOEXEC) < 0) {
			err = -errno;
			diag_errorf(sink, NULL, NULL, "cannot create a pipe: %s", strerror(errno));
			return err;
		}
	}
	posix_spawn_file_actions_init(&fa);
	if (capture)
		posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (capture)
		close(pipefd[1]);
	if (err) {
		if (capture)
			close(pipefd[0]);
		if (err == ENOENT)
			diag_errorf(sink, NULL, NULL,
				    "cannot run '%s': not found (set --clang=PATH or BPFCC_CLANG)",
				    argv[0]);
		else
			diag_errorf(sink, NULL, NULL, "cannot run '%s': %s", argv[0],
				    strerror(err));
		return -err;
	}
	if (capture) {
		read_err = read_all(pipefd[0], out, out_len);
		close(pipefd[0]);
	}
	while (waitpid(pid, &wstatus, 0) < 0) {
		if (errno != EINTR) {
			err = -errno;
			diag_errorf(sink, NULL, NULL, "waiting for '%s': %s", argv[0],
				    strerror(errno));
			return err;
		}
	}
	if (WIFEXITED(wstatus))
		*status = WEXITSTATUS(wstatus);
	else
		*status = 128 + (WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0);
	if (read_err) {
		diag_errorf(sink, NULL, NULL, "reading the output of '%s': %s", argv[0],
			    strerror(-read_err));
		return read_err;
	}
	return 0;
}

static bool shell_safe(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			    "-_./=:,+@%",
			    *s))
			return false;
	return true;
}

void fe_print_command(FILE *f, char *const *argv)
{
	for (size_t i = 0; argv[i]; i++) {
		const char *s = argv[i];

		fputs(i ? " " : " ", f);
		if (shell_safe(s)) {
			fputs(s, f);
			continue;
		}
		fputc('"', f);
		for (; *s; s++) {
			if (strchr("\"\\$`", *s))
				fputc('\\', f);
			fputc(*s, f);
		}
		fputc('"', f);
	}
	fputc('\n', f);
}
