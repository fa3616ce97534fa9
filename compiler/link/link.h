/*
 * link.h - the link stage: each program of an object as libbpf would hand it to
 * bpf(BPF_PROG_LOAD).
 *
 * Models libbpf's bpf_object__relocate(): the entry program's instructions, then every
 * .text subprogram it reaches (directly, by pseudo call, or by address for callbacks)
 * appended once, with pseudo-call and function-address offsets fixed; ld_imm64 of a map
 * or of global data rewritten to the kernel's index form (src_reg BPF_PSEUDO_MAP_IDX or
 * BPF_PSEUDO_MAP_IDX_VALUE, imm = index into link_prog.maps); extern variables and kfunc
 * calls resolved as libbpf resolves them; CO-RE relocations applied against the target
 * BTF when one is given (an unresolvable one is reported with its access string and the
 * instruction poisoned as libbpf does).
 */
#ifndef BPFCC_LINK_H
#define BPFCC_LINK_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>

#include "diag/diag.h"

struct obj_file;
struct obj_prog;
struct btf;
struct check_core_index;

/* A map the linked program references: an object map, or a global data section. */
struct link_map {
	const char *name; /* owned by the object */
	uint32_t type;    /* BPF_MAP_TYPE_* (global data: BPF_MAP_TYPE_ARRAY) */
	uint32_t key_size, value_size, max_entries, map_flags;
	int obj_map;  /* index into obj->maps, or -1 */
	int obj_data; /* index into obj->datas, or -1 */
	/* .kconfig: the values libbpf writes before freezing the map (value_size bytes,
	 * owned by the link_prog), when every one is known for the target; NULL otherwise */
	const uint8_t *kconfig_value;
};

struct link_prog {
	const struct obj_prog *prog; /* the entry program */
	struct bpf_insn *insns;      /* owned */
	size_t insn_cnt;
	/* Where each linked instruction came from, for source locations: the program or
	 * subprogram and the instruction index inside it. */
	const struct obj_prog **origin_prog; /* owned array of insn_cnt pointers */
	uint32_t *origin_insn;               /* owned array of insn_cnt indexes */
	struct link_map *maps;               /* owned */
	size_t nr_maps;
	uint8_t *kconfig_data;        /* owned; see link_map.kconfig_value */
	uint32_t prog_type;           /* enum bpf_prog_type from the section name, 0 unknown */
	int32_t expected_attach_type; /* enum bpf_attach_type, -1 none */
};

struct check_kconfig;
struct check_kernel_btf;

struct link_options {
	const struct btf *target_btf; /* kernel BTF for CO-RE; NULL: relocations left as is */
	/* the target kernel's config: fills the .kconfig map's values; NULL: unknown */
	const struct check_kconfig *kconfig;
	/* target_btf with module BTFs (check_kernel_btf_new): kfuncs and ksyms vmlinux lacks
	 * are searched there as libbpf does; a module kfunc's call gets off = module index + 1
	 * (libbpf's fd_array slot) and imm its id in the module's split BTF.  NULL: vmlinux */
	struct check_kernel_btf *kernel;
	const struct check_core_index *core_index; /* candidates in target_btf, or NULL */
};

/*
 * Links `prog` (an entry program of `obj`).  Returns 0 and fills *out, -EINVAL after
 * reporting what libbpf would refuse, or -ENOMEM.  Free with link_prog_free().
 */
int link_program(const struct obj_file *obj, const struct obj_prog *prog,
                 const struct link_options *opts, struct link_prog *out, struct diag_sink *sink);

void link_prog_free(struct link_prog *lp);

/* Source location of linked instruction `insn` (a vrf_loc_fn: ctx is the link_prog). */
bool link_loc(void *ctx, size_t insn, struct diag_loc *out);

#endif
