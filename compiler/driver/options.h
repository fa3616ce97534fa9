/*
 * options.h - the compiler command line, parsed in one place (private to the driver).
 */
#ifndef BPFCC_DRIVER_OPTIONS_H
#define BPFCC_DRIVER_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag/diag.h"

struct strv {
	const char **v;
	size_t n, cap;
};

int strv_push(struct strv *s, const char *str);
void strv_free(struct strv *s);

enum drv_mode {
	DRV_MODE_LINK,	     /* no -c/-S/-E: refused, bpfcc does not link */
	DRV_MODE_OBJECT,     /* -c */
	DRV_MODE_ASM,	     /* -S */
	DRV_MODE_PREPROCESS, /* -E */
};

/* --verify=: what a refusal by the object checks or the preflight verifier does. */
enum drv_verify {
	DRV_VERIFY_ERROR, /* an error: exit 1, no object written (the default) */
	DRV_VERIFY_WARN,  /* a warning: the object is written (-Werror: an error again) */
	DRV_VERIFY_OFF,   /* not checked (--no-verify) */
};

struct drv_options {
	enum drv_mode mode;
	bool emit_llvm;
	const char *output;
	struct strv inputs;
	int opt_level;
	char size_level;
	int cpu;
	bool big_endian;
	bool verbose;	/* -v */
	bool dry_run;	/* -### */
	enum drv_verify verify; /* --verify=, --no-verify */
	bool werror;
	bool no_warnings;
	const char *clang;
	const char *target_btf;
	const char *target_arch;
	bool target_arch_set;
	bool vmlinux_explicit; /* --target-btf given: failing to read it is an error */
	enum diag_format diag_format;
	int color; /* -1 auto, 0 never, 1 always */
	struct strv cc_args;   /* forwarded to clang, in order */
	struct strv rule_args; /* -Werror=<rule>, -Wno-<rule> for bpfcc's own rules */
	struct strv mllvm;     /* -mllvm options; [0] is a program name */
	/* dependency files */
	bool dep_md, dep_mmd, dep_mp;
	const char *dep_file;
	struct strv dep_targets; /* "-MT"/"-MQ" pairs, flattened */
	bool show_help, show_version;
};

/* Parses argv[1..argc-1]; returns 0, or DRV_EXIT_USAGE after reporting through sink. */
int drv_parse(int argc, char **argv, struct drv_options *o, struct diag_sink *sink);
void drv_options_free(struct drv_options *o);
void drv_print_help(void);

/* True for a -W name that is one of bpfcc's rule ids rather than clang's. */
bool drv_is_bpfcc_rule(const char *name);

#endif
