/*
 * vmlinux.c - `#include "vmlinux.h"` without a checked-in header.
 *
 * CO-RE programs include vmlinux.h, the C declaration of every type in the target
 * kernel's BTF.  bpfcc writes it on demand with libbpf's btf_dump API from
 * /sys/kernel/btf/vmlinux (or --target-btf=FILE), with record types marked
 * preserve_access_index so field accesses become CO-RE relocations, as `bpftool btf dump
 * format c` does.  The header lives in a cache directory named by a checksum of the BTF
 * bytes: a new kernel gives a new checksum and a new header, and concurrent compiles
 * (make -j) each write a private temporary file and rename it into place.
 *
 * Reading and checksumming the 5-6 MB of kernel BTF on every compile would cost more than
 * compiling a small program, so a symbolic link named by the file's identity (device,
 * inode, size, modification and change times) records the checksum directory it led to;
 * while the file is unchanged the link answers without reading it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "frontend/frontend.h"

/* Bumped whenever the generated text changes, so cached headers are regenerated. */
#define VMLINUX_GENERATOR "g2"

/* 64-bit FNV-1a over the BTF bytes, eight bytes at a time for speed. */
static uint64_t checksum(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001b3ULL;
	}
	for (; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h ^ n;
}

static int read_file(const char *path, unsigned char **buf, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	unsigned char *b;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	b = malloc(cap);
	if (!b) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			unsigned char *nb = realloc(b, cap * 2);
			if (!nb) {
				free(b);
				close(fd);
				return -ENOMEM;
			}
			b = nb;
			cap *= 2;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = -errno;
			free(b);
			close(fd);
			return err;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*buf = b;
	*len = n;
	return 0;
}

static int mkdir_p(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int cache_root(char *out, size_t size)
{
	const char *env = getenv("BPFCC_CACHE_DIR");
	int n;

	if (env && *env)
		n = snprintf(out, size, "%s", env);
	else if ((env = getenv("XDG_CACHE_HOME")) && *env)
		n = snprintf(out, size, "%s/bpfcc", env);
	else if ((env = getenv("HOME")) && *env)
		n = snprintf(out, size, "%s/.cache/bpfcc", env);
	else
		n = snprintf(out, size, "/tmp/bpfcc-cache-%u", (unsigned)getuid());
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static void dump_printf(void *ctx, const char *fmt, va_list args)
{
	vfprintf(ctx, fmt, args);
}

/*
 * libbpf 1.1 prints a prototype without parameters as "()", which in C means "unknown
 * parameters" and gives a different BTF than "(void)", the form newer libbpf (and so
 * bpftool) prints.  Rewrites "()" before ';', ')' or ',' into "(void)".
 */
static int put_prototypes_fixed(const char *text, size_t len, FILE *f)
{
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '(' && i + 2 < len && text[i + 1] == ')' &&
		    (text[i + 2] == ';' || text[i + 2] == ')' || text[i + 2] == ',')) {
			fputs("(void)", f);
			i++;
			continue;
		}
		fputc(text[i], f);
	}
	return ferror(f) ? -EIO : 0;
}

/* Writes the C declarations of every type of btf to out. */
static int write_header(struct btf *btf, FILE *out)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct btf_dump *d;
	__u32 n = btf__type_cnt(btf);
	int err = 0;

	if (!f)
		return -ENOMEM;
	d = btf_dump__new(btf, dump_printf, f, NULL);
	if (!d) {
		err = -errno ? -errno : -ENOMEM;
		fclose(f);
		free(text);
		return err;
	}
	fputs("#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n"
	      "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
	      "#pragma clang attribute push (__attribute__((preserve_access_index)), "
	      "apply_to = record)\n#endif\n\n",
	      f);
	for (__u32 id = 1; id < n && !err; id++)
		err = btf_dump__dump_type(d, id);
	fputs("\n#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n"
	      "#endif /* __VMLINUX_H__ */\n",
	      f);
	btf_dump__free(d);
	if (fclose(f) && !err)
		err = -ENOMEM;
	if (!err)
		err = put_prototypes_fixed(text, len, out);
	free(text);
	return err;
}

/* The identity link for `st` in the cache root `root`: "<root>/id-<dev>-<ino>-...". */
static int identity_path(const char *root, const struct stat *st, char *out, size_t size)
{
	int n = snprintf(out, size, "%s/id-" VMLINUX_GENERATOR "-%llx-%llx-%llx-%lld.%09ld-%lld.%09ld",
			 root, (unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
			 (unsigned long long)st->st_size, (long long)st->st_mtim.tv_sec,
			 st->st_mtim.tv_nsec, (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* The cached header's folder for an unchanged BTF file, without reading it: 0 or -ENOENT. */
static int lookup_identity(const char *btf_path, char *dir, size_t dir_size, char *id,
			   size_t id_size)
{
	char root[PATH_MAX], header[PATH_MAX + 16];
	struct stat st;
	ssize_t n;

	if (stat(btf_path, &st) || cache_root(root, sizeof(root)) ||
	    identity_path(root, &st, id, id_size)) {
		id[0] = '\0';
		return -ENOENT;
	}
	n = readlink(id, dir, dir_size - 1);
	if (n <= 0 || (size_t)n >= dir_size - 1)
		return -ENOENT;
	dir[n] = '\0';
	snprintf(header, sizeof(header), "%s/vmlinux.h", dir);
	return access(header, R_OK) == 0 ? 0 : -ENOENT;
}

/* Points the identity link `id` at `dir` (atomically; failures only cost speed). */
static void record_identity(const char *id, const char *dir)
{
	char tmp[PATH_MAX + 16];

	if (!id[0] || snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", id, (long)getpid()) >=
			      (int)sizeof(tmp))
		return;
	unlink(tmp);
	if (symlink(dir, tmp) == 0 && rename(tmp, id) != 0)
		unlink(tmp);
}

/* What the generator (run in a child process) reports back to the compiler. */
struct gen_result {
	int err;
	char dir[PATH_MAX];
	char msg[PATH_MAX + 256]; /* the error message, empty when there is none */
};

#define GEN_FAIL(...) snprintf(r->msg, sizeof(r->msg), __VA_ARGS__)

/* Finds or writes the cached header for btf_path; the folder in r->dir, errors in r->msg. */
static int generate(const char *btf_path, const char *id, struct gen_result *r)
{
	char header[PATH_MAX + 16], tmp[PATH_MAX + 32];
	char *dir = r->dir;
	size_t dir_size = sizeof(r->dir);
	unsigned char *bytes = NULL;
	struct btf *btf = NULL;
	FILE *f = NULL;
	size_t len = 0;
	int err, fd;

	err = read_file(btf_path, &bytes, &len);
	if (err) {
		if (err != -ENOENT)
			GEN_FAIL("cannot read BTF '%s': %s", btf_path, strerror(-err));
		return err;
	}
	err = cache_root(dir, dir_size);
	if (!err) {
		size_t used = strlen(dir);
		if (snprintf(dir + used, dir_size - used, "/vmlinux-" VMLINUX_GENERATOR "-%016llx",
			     (unsigned long long)checksum(bytes, len)) >= (int)(dir_size - used))
			err = -ENAMETOOLONG;
	}
	if (err || snprintf(header, sizeof(header), "%s/vmlinux.h", dir) >= (int)sizeof(header)) {
		GEN_FAIL("vmlinux.h cache path too long");
		err = -ENAMETOOLONG;
		goto out;
	}
	if (access(header, R_OK) == 0) {
		record_identity(id, dir);
		goto out; /* cached */
	}

	if (len >= 2 && bytes[0] == 0x9f && bytes[1] == 0xeb)
		btf = btf__new(bytes, (__u32)len);
	else
		btf = btf__parse(btf_path, NULL);
	if (!btf) {
		err = -errno ? -errno : -EINVAL;
		GEN_FAIL("'%s' is not valid BTF: %s", btf_path, strerror(-err));
		goto out;
	}
	err = mkdir_p(dir);
	if (err) {
		GEN_FAIL("cannot create '%s': %s", dir, strerror(-err));
		goto out;
	}
	snprintf(tmp, sizeof(tmp), "%s/.vmlinux.h.XXXXXX", dir);
	fd = mkstemp(tmp);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		err = -errno;
		if (fd >= 0)
			close(fd);
		GEN_FAIL("cannot write in '%s': %s", dir, strerror(-err));
		goto out;
	}
	err = write_header(btf, f);
	if (fflush(f) || ferror(f))
		err = err ? err : -EIO;
	fchmod(fileno(f), 0644);
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, header) < 0)
		err = -errno;
	if (!err)
		record_identity(id, dir);
	if (err) {
		unlink(tmp);
		GEN_FAIL("cannot generate '%s': %s", header, strerror(-err));
	}
out:
	btf__free(btf);
	free(bytes);
	return err;
}

/*
 * Reproducible output needs this in a child process.  LLVM's BTF writer orders some types
 * by the address of their debug-info nodes, so the object depends on the compiler's heap
 * history; reading 5 MB of BTF and dumping it in-process (cold cache) would leave a heap
 * unlike a warm-cache compile's and give the same source a different object.
 */
int fe_vmlinux_header(const char *btf_path, char *dir, size_t dir_size, struct diag_sink *sink)
{
	static struct gen_result r; /* static: no heap, and too big for some stacks */
	char id[PATH_MAX];
	int fds[2], status;
	size_t got = 0;
	pid_t pid;

	if (lookup_identity(btf_path, dir, dir_size, id, sizeof(id)) == 0)
		return 0;
	memset(&r, 0, sizeof(r));
	pid = pipe2(fds, O_CLOEXEC) < 0 ? -1 : (fflush(NULL), fork());
	if (pid == 0) {
		close(fds[0]);
		r.err = generate(btf_path, id, &r);
		for (size_t off = 0; off < sizeof(r);) {
			ssize_t w = write(fds[1], (char *)&r + off, sizeof(r) - off);
			if (w <= 0)
				_exit(1);
			off += (size_t)w;
		}
		_exit(0);
	}
	if (pid < 0) { /* no pipe or no fork: in-process, merely less reproducible */
		r.err = generate(btf_path, id, &r);
	} else {
		close(fds[1]);
		while (got < sizeof(r)) {
			ssize_t n = read(fds[0], (char *)&r + got, sizeof(r) - got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		close(fds[0]);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (got < sizeof(r)) {
			r.err = -EIO;
			snprintf(r.msg, sizeof(r.msg), "the vmlinux.h generator for '%s' failed",
				 btf_path);
		}
	}
	r.msg[sizeof(r.msg) - 1] = '\0';
	r.dir[sizeof(r.dir) - 1] = '\0';
	if (r.msg[0])
		diag_errorf(sink, NULL, NULL, "%s", r.msg);
	if (!r.err && snprintf(dir, dir_size, "%s", r.dir) >= (int)dir_size) {
		diag_errorf(sink, NULL, NULL, "vmlinux.h cache path too long");
		return -ENAMETOOLONG;
	}
	return r.err;
}
