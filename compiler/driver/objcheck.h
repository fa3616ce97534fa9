/*
 * objcheck.h - the object pipeline shared by `bpfcc verify` and `bpfcc -c` (private to
 * the driver).
 *
 * An object read by the elf stage goes through what the loader and the kernel do to it,
 * in their order: the object checks (compiler/check/, as libbpf's open and load meet
 * them), then per entry program the link step (compiler/link/, the instructions as
 * libbpf hands them to BPF_PROG_LOAD) and the preflight verifier (compiler/verifier/).
 * Every finding goes to the caller's sink; the result says, per program, whether the
 * kernel is predicted to load it and what the verifier run cost.
 */
#ifndef BPFCC_DRIVER_OBJCHECK_H
#define BPFCC_DRIVER_OBJCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag/diag.h"
#include "verifier/verifier.h"

struct obj_file;
struct btf;
struct check_kconfig;
struct check_kernel_btf;
struct link_prog;

/* Where a program's refusal was found. */
enum objcheck_stage {
	OBJCHECK_OK,       /* predicted to load */
	OBJCHECK_CHECK,    /* object checks (section, license, maps, BTF, relocations) */
	OBJCHECK_LINK,     /* the link step refused it */
	OBJCHECK_VERIFIER, /* the preflight verifier refused it */
	OBJCHECK_INTERNAL, /* bpfcc could not decide (out of memory) */
};

/* The prediction for one entry program. */
struct objcheck_prog {
	const char *name;    /* owned by the object */
	const char *section; /* owned by the object */
	uint32_t prog_type;  /* enum bpf_prog_type, 0 when the section maps to none */
	enum objcheck_stage stage;
	size_t insn_cnt;            /* linked instructions, 0 when not linked */
	struct vrf_verdict verdict; /* valid when the verifier ran */
	struct vrf_stats stats;     /* valid when the verifier ran */
	bool verifier_ran;
};

struct objcheck_options {
	const struct btf *target_btf; /* kernel BTF for attach targets and CO-RE, or NULL */
	/* the target kernel's config for __kconfig values (objcheck_load_kconfig), or NULL */
	const struct check_kconfig *kconfig;
	/* target_btf with the running kernel's module BTFs (objcheck_kernel_btf), or NULL */
	struct check_kernel_btf *kernel;
	const char *const *programs; /* only these entry programs; NULL: all */
	size_t nr_programs;
	/* The verifier's per-instruction state trace (--verifier-log), one line per call;
	 * NULL: none.  Each program's trace starts with a "program NAME (SECTION)" line. */
	void (*trace_fn)(void *ctx, const char *line);
	void *trace_ctx;
	/* Pictures of the failure (verify --emit-cfg): path_fn gets the failing path of each
	 * program the verifier rejects on a path (vrf_options.path_fn); linked_fn is called
	 * for every program that was linked, after its verdict is known and before the linked
	 * instructions are freed (source locations through link_loc(lp)).  NULL: not called. */
	vrf_path_fn path_fn;
	void (*linked_fn)(void *ctx, const struct objcheck_prog *p, const struct link_prog *lp);
	void *cfg_ctx;
};

struct objcheck_result {
	struct objcheck_prog *progs; /* the selected entry programs, in object order; owned */
	size_t nr_progs;
	bool object_ok; /* check_object() found nothing */
};

/*
 * Runs the pipeline on `obj`.  Returns 0 when every selected program is predicted to
 * load, -EINVAL when at least one is not (findings emitted), -ENOMEM.  *res is filled in
 * every case but -ENOMEM and freed with objcheck_result_free() (NULL res: not wanted).
 */
int objcheck_run(const struct obj_file *obj, const struct objcheck_options *opts,
                 struct diag_sink *sink, struct objcheck_result *res);
void objcheck_result_free(struct objcheck_result *res);

/*
 * The kernel BTF to check against: `path`, or /sys/kernel/btf/vmlinux when path is NULL
 * and that file is readable.  NULL when there is none (a given path that cannot be read
 * is reported through sink as an error; *failed is set).  Free with btf__free().
 */
struct btf *objcheck_load_target_btf(const char *path, struct diag_sink *sink, bool *failed);

/*
 * The kernel config __kconfig externs are checked against: `path` (--kconfig=FILE) when
 * given, else the running kernel's (what libbpf reads: /boot/config-$(uname -r), else
 * /proc/config.gz) when `running` (no other target kernel named), else NULL.  A given path
 * that cannot be read is reported as an error and sets *failed.  Free with
 * check_kconfig_free().
 */
/*
 * `target_btf` with the module BTFs libbpf would also search: those of the running kernel
 * (/sys/kernel/btf/<module>) when `running` (no other target kernel named), none
 * otherwise; NULL without a target BTF or memory.  Free with check_kernel_btf_free().
 */
struct check_kernel_btf *objcheck_kernel_btf(const struct btf *target_btf, bool running);

struct check_kconfig *objcheck_load_kconfig(const char *path, bool running, struct diag_sink *sink,
                                            bool *failed);

/*
 * `bpfcc -c`: the same pipeline on an object just emitted to memory, before it is
 * written.  `name` names it in diagnostics, `target_btf_path` as for
 * objcheck_load_target_btf().  0 when the kernel is predicted to load everything in it,
 * -EINVAL after reporting why not, another negative errno on internal failure.
 */
int objcheck_buffer(const void *buf, size_t len, const char *name, const char *target_btf_path,
                    struct diag_sink *sink);

/*
 * The call in the compile pipeline (compile.c): for `-c` output (an object, not -S or
 * -emit-llvm), objcheck_buffer() with the driver's --target-btf.  Returns the driver's
 * exit status: 0 (write the object), DRV_EXIT_DIAG (findings reported: do not write it)
 * or DRV_EXIT_USAGE (internal failure).
 */
struct drv_options;
int objcheck_compiled(const struct drv_options *o, const void *buf, size_t len, const char *name,
                      struct diag_sink *sink);

const char *objcheck_stage_name(enum objcheck_stage stage);

#endif
