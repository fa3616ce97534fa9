/*
 * frontend.h - the C front end: clang-19 run as a subprocess.
 *
 * bpfcc does not parse C itself.  It runs clang with `-target bpf`, the user's
 * preprocessor and warning flags, bpfcc's default include paths and `-Xclang
 * -disable-llvm-passes`, so clang stops after building the IR (with debug info, with the
 * optimisation level's attributes but no LLVM optimisation).  The bitcode comes back
 * through a pipe into memory; clang's own diagnostics go straight to the user's stderr,
 * unchanged.  The same argument builder serves -E (preprocess only).
 */
#ifndef BPFCC_FRONTEND_H
#define BPFCC_FRONTEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag/diag.h"

/* A growable NULL-terminated argument vector. */
struct fe_argv {
	char **v;
	size_t n, cap;
};

int fe_argv_push(struct fe_argv *a, const char *s);
int fe_argv_pushf(struct fe_argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fe_argv_free(struct fe_argv *a);

/* What the front end needs to know of the command line. */
struct fe_options {
	const char *clang;	/* clang executable (absolute path or name in PATH) */
	const char *input;	/* source file, or "-" for standard input */
	int opt_level;		/* 0..3 */
	char size_level;	/* 0, 's' or 'z' */
	int cpu;		/* 1..4 */
	bool big_endian;
	bool target_arch_set;	/* the user defined __TARGET_ARCH_* or gave --target-arch */
	const char *target_arch;	/* __TARGET_ARCH_<this> unless target_arch_set */
	const char *vmlinux_dir;	/* directory holding the generated vmlinux.h, or NULL */
	const char *const *user_args; /* preprocessor/warning/-f args, in order */
	size_t n_user_args;
	const char *const *dep_args; /* -MD/-MF... rewritten by the driver, or NULL */
	size_t n_dep_args;
};

/* Builds clang's argv for producing bitcode on stdout (preprocess_only: -E output). */
int fe_build_args(const struct fe_options *o, bool preprocess_only, const char *output,
		  struct fe_argv *out);

/*
 * Runs argv (argv[0] is the program) with stdout captured into *out (malloc'd, caller
 * frees) unless capture is false.  *status receives the exit status (or 128+signal).
 * Returns 0, or a negative errno when the program could not be run at all (-ENOENT: not
 * found) — reported through sink.
 */
int fe_run(char *const *argv, bool capture, void **out, size_t *out_len, int *status,
	   struct diag_sink *sink);

/* Prints argv as a shell-quoted command line (for -v and -###). */
void fe_print_command(FILE *f, char *const *argv);

/*
 * bpfcc's own header directory: <exe>/../share/bpfcc/include when installed, else the
 * source tree's headers/.  Returns a static string or NULL.
 */
const char *fe_headers_dir(void);

/*
 * The C front end when neither --clang nor BPFCC_CLANG names one: clang-19 next to the
 * bpfcc executable when there is one (an installed tree that bundles its clang), else
 * built_with (the clang of the LLVM bpfcc was built with) when it exists, else
 * "clang-19" from PATH.  Returns a static string or built_with.
 */
const char *fe_default_clang(const char *built_with);

/* The host's multiarch include directory (e.g. /usr/include/x86_64-linux-gnu) or NULL. */
const char *fe_multiarch_dir(void);

/*
 * Makes sure a vmlinux.h generated from the BTF at btf_path exists in the cache and
 * stores the directory holding it in dir (size PATH_MAX).  The cache key is a checksum
 * of the BTF bytes, so a changed kernel gets a new header.  Returns 0, -ENOENT when
 * btf_path does not exist (not an error for the caller unless the user asked for it),
 * or another negative errno (reported through sink).
 */
int fe_vmlinux_header(const char *btf_path, char *dir, size_t dir_size, struct diag_sink *sink);

#endif
