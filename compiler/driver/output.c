/*
 * output.c - files that appear whole or not at all.
 *
 * A compiler that leaves a truncated object behind breaks the next `make`: the file is
 * newer than its source, so it is never rebuilt.  bpfcc creates a private temporary file
 * next to the destination as soon as it knows the destination (so an unwritable
 * directory is reported before any work), writes the bytes there, and renames it over the
 * destination only when the whole compile succeeded.  Parallel builds writing different
 * files never share a temporary name (mkstemp), and an interrupted compile removes its
 * temporary file.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver/output.h"

/* Temporary files to remove if a signal ends the process. */
#define MAX_PENDING 8
static char pending[MAX_PENDING][4096];
static volatile sig_atomic_t n_pending;

void out_remove_pending(void)
{
	for (int i = 0; i < n_pending; i++)
		if (pending[i][0])
			unlink(pending[i]);
}

/* A crash inside the compiler (LLVM's code generator has a few): no partial output, a
 * message, and exit status 2 (internal error) rather than a signal. */
static void on_crash(int sig)
{
	static const char msg[] = "bpfcc: error: internal compiler error (crashed in code "
				  "generation); no output was written\n";
	ssize_t r;

	(void)sig;
	out_remove_pending();
	r = write(2, msg, sizeof(msg) - 1);
	(void)r;
	_exit(2);
}

static void on_signal(int sig)
{
	out_remove_pending();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void track(const char *tmp)
{
	static int installed;

	if (!installed) {
		installed = 1;
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		signal(SIGHUP, on_signal);
		signal(SIGABRT, on_crash); /* LLVM assertions and unreachables */
		signal(SIGSEGV, on_crash);
		signal(SIGBUS, on_crash);
		signal(SIGILL, on_crash);
		signal(SIGFPE, on_crash);
	}
	for (int i = 0; i < MAX_PENDING; i++) {
		if (!pending[i][0]) {
			snprintf(pending[i], sizeof(pending[i]), "%s", tmp);
			if (i >= n_pending)
				n_pending = i + 1;
			return;
		}
	}
}

static void untrack(const char *tmp)
{
	for (int i = 0; i < n_pending; i++)
		if (!strcmp(pending[i], tmp))
			pending[i][0] = '\0';
}

int out_begin(struct out_file *f, const char *path, struct diag_sink *sink)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path) + 1 : 0;

	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->path = path;
	if (!strcmp(path, "-")) {
		f->to_stdout = true;
		return 0;
	}
	if (snprintf(f->tmp, sizeof(f->tmp), "%.*s.%s.tmp.XXXXXX", dirlen, path,
		     path + dirlen) >= (int)sizeof(f->tmp)) {
		diag_errorf(sink, NULL, NULL, "output path too long: '%s'", path);
		return -ENAMETOOLONG;
	}
	f->fd = mkstemp(f->tmp);
	if (f->fd < 0) {
		int err = -errno;
		diag_errorf(sink, NULL, NULL, "cannot write '%s': %s", path, strerror(errno));
		f->tmp[0] = '\0';
		return err;
	}
	track(f->tmp);
	return 0;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int out_commit(struct out_file *f, const void *data, size_t len, struct diag_sink *sink)
{
	mode_t mask;
	int err;

	if (f->to_stdout) {
		err = write_all(STDOUT_FILENO, data, len);
		if (err)
			diag_errorf(sink, NULL, NULL, "writing to standard output: %s",
				    strerror(-err));
		return err;
	}
	err = write_all(f->fd, data, len);
	if (!err) {
		mask = umask(0);
		umask(mask);
		if (fchmod(f->fd, 0666 & ~mask) < 0)
			err = -errno;
	}
	if (close(f->fd) < 0 && !err)
		err = -errno;
	f->fd = -1;
	if (!err && rename(f->tmp, f->path) < 0)
		err = -errno;
	if (err) {
		diag_errorf(sink, NULL, NULL, "cannot write '%s': %s", f->path, strerror(-err));
		unlink(f->tmp);
	}
	untrack(f->tmp);
	f->tmp[0] = '\0';
	return err;
}

int out_commit_file(struct out_file *f, struct diag_sink *sink)
{
	int err = 0;

	if (f->to_stdout)
		return 0;
	if (f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
	if (rename(f->tmp, f->path) < 0) {
		err = -errno;
		diag_errorf(sink, NULL, NULL, "cannot write '%s': %s", f->path, strerror(errno));
		unlink(f->tmp);
	}
	untrack(f->tmp);
	f->tmp[0] = '\0';
	return err;
}

void out_abort(struct out_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->tmp[0]) {
		unlink(f->tmp);
		untrack(f->tmp);
		f->tmp[0] = '\0';
	}
}
