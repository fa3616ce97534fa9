/*
 * includes.c - bpfcc's default include directories.
 *
 * clang's BPF target knows no host headers beyond /usr/include, yet <linux/bpf.h> pulls in
 * <asm/types.h>, which Debian keeps in the multiarch directory; every clang BPF Makefile
 * adds `-I/usr/include/<triplet>` for it.  bpfcc adds it itself (after the system
 * directories, so nothing of the user's is shadowed), and puts its own headers/ before
 * the system ones.  Both its headers and its C front end are looked for next to the
 * running executable first, so an installed tree works wherever it is put.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend/frontend.h"

/* The installed headers relative to the installed executable (set by CMake from the
 * install layout); the source tree's headers/ serve a bpfcc run from its build tree. */
#ifndef BPFCC_HEADERS_FROM_BINDIR
#define BPFCC_HEADERS_FROM_BINDIR "../share/bpfcc/include"
#endif

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *fe_headers_dir(void)
{
	static char dir[PATH_MAX];
	static int done;
	char exe[PATH_MAX];
	ssize_t n;

	if (done)
		return dir[0] ? dir : NULL;
	done = 1;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			size_t room = sizeof(exe) - (size_t)(slash - exe);

			if (snprintf(slash, room, "/%s", BPFCC_HEADERS_FROM_BINDIR) < (int)room &&
			    is_dir(exe) && realpath(exe, dir)) /* no "bin/.." in debug info */
				return dir;
		}
	}
	if (is_dir(BPFCC_SOURCE_HEADERS)) {
		snprintf(dir, sizeof(dir), "%s", BPFCC_SOURCE_HEADERS);
		return dir;
	}
	dir[0] = '\0';
	return NULL;
}

const char *fe_default_clang(const char *built_with)
{
	static char path[PATH_MAX];
	static int done;
	ssize_t n;
	char *slash;

	if (done)
		return path[0] ? path : built_with;
	done = 1;
	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n > 0) {
		path[n] = '\0';
		slash = strrchr(path, '/');
		if (slash && (size_t)(slash - path) + sizeof("/clang-19") <= sizeof(path)) {
			strcpy(slash, "/clang-19");
			if (access(path, X_OK) == 0)
				return path;
		}
	}
	path[0] = '\0';
	if (access(built_with, X_OK) == 0)
		return built_with;
	return "clang-19"; /* from PATH */
}

const char *fe_multiarch_dir(void)
{
	return is_dir(BPFCC_MULTIARCH_DIR) ? BPFCC_MULTIARCH_DIR : NULL;
}
