/*
 * check_int.h - internal interface between the pieces of check_object() (object.c,
 * object_btf.c): the per-object context and the BTF-side checks.
 */
#ifndef BPFCC_CHECK_INT_H
#define BPFCC_CHECK_INT_H

#include "check/check.h"
#include "elf/object.h"

struct check_ctx {
	const struct obj_file *obj;
	const struct check_options *opts;
	struct diag_sink *sink;
	bool gpl; /* the kernel will find the license GPL-compatible */
};

/* A kernel name of BTF kind `kind` in the target's vmlinux, then its modules (when
 * opts->kernel is given): the id and *btf, *module (NULL: vmlinux), or -ENOENT. */
int check_kernel_find(const struct check_ctx *c, const char *name, unsigned kind,
                      const struct btf **btf, const char **module);

/* Where instruction `insn` of `p` comes from; the object file when line_info says nothing. */
struct diag_loc check_insn_loc(const struct check_ctx *c, const struct obj_prog *p, size_t insn);

/* BTF and BTF.ext sanity (no BTF, func_info, line_info). */
void check_obj_btf(struct check_ctx *c);
/* The attach target of a BTF-attached program (fentry/..., lsm, tp_btf, iter). */
void check_obj_attach_target(struct check_ctx *c, const struct obj_prog *p,
                             const struct check_section *sec);
/* .kconfig and .ksyms externs (the kfuncs and variables against the target BTF). */
void check_obj_externs(struct check_ctx *c);
/* Typed __ksym variables named by `p` (entry `entry`, placed at `base`) that the target
 * kernel cannot give an address for (no CONFIG_KALLSYMS_ALL). */
void check_obj_ksym_addr(struct check_ctx *c, const struct obj_prog *entry,
                         const struct obj_prog *p, size_t base);
/* CO-RE relocations of `p` against the target BTF. */
void check_obj_core(struct check_ctx *c, const struct obj_prog *p);

#endif
