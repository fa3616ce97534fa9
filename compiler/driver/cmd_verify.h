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
#include "driver/output.h"

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
	bool verifier_log;    /* --verifier-log: the verifier's state trace on stdout */
	const char *emit_cfg; /* --emit-cfg=FILE: the control-flow graphs, .dot or .svg */
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
	struct vfy_cfg *cfg; /* --emit-cfg, or NULL */
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

/*
 * --emit-cfg=FILE (cmd_verify_cfg.c): every program's control-flow graph with the failing
 * path highlighted, as DOT, or as SVG through Graphviz's dot when FILE ends in ".svg".
 * vfy_cfg_begin() creates FILE's temporary file (reports and returns -errno if it cannot);
 * vfy_cfg_hook() makes the object pipeline of file index `file` hand its linked programs
 * and failing paths over; vfy_cfg_finish() draws every program of the run and renames the
 * temporary file over FILE, or reports why not and leaves FILE untouched (0 or -errno);
 * vfy_cfg_free() releases everything and removes a temporary file still pending.
 */
struct vfy_cfg_prog;
struct vfy_cfg {
	const char *path;
	bool svg;
	struct out_file out;
	struct vfy_cfg_prog *progs;
	size_t nprogs, cap;
	size_t cur_file;
	/* the failing path of the program being verified, until it is linked_fn's */
	struct vrf_path pending;
	struct vrf_path_jump *pending_jumps;
	bool have_pending;
	bool oom;
};
/* Is Graphviz's `dot` an executable on PATH? */
bool vfy_cfg_find_dot(void);
int vfy_cfg_begin(struct vfy_cfg *c, const char *path, struct diag_sink *sink);
void vfy_cfg_hook(struct vfy_cfg *c, size_t file, struct objcheck_options *o);
int vfy_cfg_finish(struct vfy_cfg *c, const struct vfy_run *run, struct diag_sink *sink);
void vfy_cfg_free(struct vfy_cfg *c);

/* The JSON document: the diagnostics sink's members (`diag_json`, as the sink rendered
 * it) followed by "kernel_release" and "objects". */
int vfy_render_json(FILE *out, const struct vfy_run *run, const char *diag_json);

#endif
