/*
 * cmd_verify.h - pieces of `bpfcc verify` (private to the driver): the command line, what
 * was found per object and program, and the renderers (text and CSV in cmd_verify.c,
 * JSON in cmd_verify_json.c) and the kernel side of --against-kernel
 * (cmd_verify_kernel.c).
 */
#ifndef BPFCC_DRIVER_CMD_VERIFY_H
#define BPFCC_DRIVER_CMD_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag/diag.h"
#include "driver/objcheck.h"

enum vfy_format {
	VFY_FORMAT_TEXT,
	VFY_FORMAT_JSON,
	VFY_FORMAT_CSV,
	VFY_FORMAT_SARIF,
};

struct vfy_cmd {
	const char **paths;
	size_t nr_paths;
	const char **programs; /* --program=NAME, repeatable */
	size_t nr_programs;
	const char *target_btf; /* --target-btf=FILE */
	const char *kconfig;    /* --kconfig=FILE: the target kernel's config */
	enum vfy_format format;
	bool against_kernel;
	bool verifier_log; /* --verifier-log: the verifier's state trace on stdout */
};

/* How bpfcc's prediction and the kernel's verdict compare. */
enum vfy_agree {
	VFY_NOT_COMPARED, /* no kernel verdict, or one of the two could not decide */
	VFY_AGREE,
	VFY_DISAGREE,
};

/* The kernel's word on one program (a copy of what the runtime loader returned). */
struct vfy_kernel {
	bool asked;
	char *verdict;  /* "accepted", "rejected", "failed" */
	char *step;     /* loading step that failed ("prog-load", "map-create"...), or NULL */
	int err;        /* negative errno, 0 when accepted */
	char *message;  /* the verifier's message, or libbpf's for other failures */
	int insn;       /* -1 when unknown */
	char *src_file; /* NULL when unknown */
	unsigned src_line;
	long processed_insns, total_states, peak_states, verification_usec; /* -1: unknown */
	bool before_verifier; /* EPERM before the verifier ran (lockdown): no verdict */
	/* Both verifiers refused it: does the kernel's log hold bpfcc's kernel message? */
	bool message_compared, same_message;
};

struct vfy_prog {
	struct objcheck_prog bp; /* bpfcc's prediction */
	struct vfy_kernel kernel;
	enum vfy_agree agree;
};

struct vfy_file {
	const char *path;
	bool unreadable; /* reported; nothing else is valid */
	struct obj_file *obj;
	struct vfy_prog *progs;
	size_t nr_progs;
	char *kernel_error; /* the runtime could not open the object at all, or NULL */
};

struct vfy_run {
	const struct vfy_cmd *cmd;
	struct vfy_file *files;
	size_t nr_files;
	char kernel_release[128];            /* uname -r, "" without --against-kernel */
	const struct check_kconfig *kconfig; /* for __kconfig values, or NULL */
	struct check_kernel_btf *kernel;     /* target BTF with module BTFs, or NULL */
	size_t agree, disagree, not_compared;
};

/* bpfcc's verdict in words: "loads", "refused by the verifier"... (static string). */
const char *vfy_bpfcc_verdict(const struct objcheck_prog *p);
const char *vfy_agree_name(enum vfy_agree a);

/*
 * --against-kernel: can the kernel be asked?  0, or a negative errno with the reason in
 * why.  Then fills f->progs[i].kernel and .agree for every program of f.  0 or -ENOMEM.
 */
int vfy_kernel_probe(char *why, size_t why_size);
int vfy_kernel_ask(struct vfy_run *run, struct vfy_file *f);
void vfy_kernel_free(struct vfy_kernel *k);

/* The JSON document: the diagnostics sink's members (`diag_json`, as the sink rendered
 * it) followed by "kernel_release" and "objects". */
int vfy_render_json(FILE *out, const struct vfy_run *run, const char *diag_json);

#endif
