/*
 * link_int.h - internal interface of the link stage: the state of one link_program() call
 * shared by link.c (layout, calls), link_data.c (maps, global data, externs) and
 * link_core.c (CO-RE).
 */
#ifndef BPFCC_LINK_INT_H
#define BPFCC_LINK_INT_H

#include "elf/object.h"
#include "link/link.h"

struct link_ctx {
	const struct obj_file *obj;
	const struct link_options *opts;
	const struct btf *target; /* kernel BTF or NULL */
	struct diag_sink *sink;
	struct link_prog *out;
	size_t cap; /* allocated instruction slots */
	/* the functions placed so far (entry program first) and where each starts */
	const struct obj_prog **funcs;
	size_t *func_off;
	size_t nr_funcs;
	int *map_index; /* obj->maps[i] is out->maps[map_index[i]] */
	/* the .kconfig map: its index in out->maps (-1: none), size, each extern's offset */
	int kconfig_map;
	uint32_t kconfig_size;
	uint32_t *kconfig_off; /* indexed like obj->externs */
};

/* Lays the .kconfig externs out as libbpf does; their number (0: no .kconfig map). */
int link_kconfig_layout(struct link_ctx *c);
/* The .kconfig map's contents as libbpf fills them for the target kernel (malloc'ed,
 * kconfig_size bytes), or NULL when a value is unknown (no config, a value libbpf probes
 * on the loading machine) or would fail the load. */
uint8_t *link_kconfig_values(struct link_ctx *c);
/* Pass 2 for function `p` placed at `base`. */
int link_data_relocs(struct link_ctx *c, const struct obj_prog *p, size_t base);
/* Pass 1: the CO-RE relocations of `p` applied to its copy `insns`. */
int link_core_apply(struct link_ctx *c, const struct obj_prog *p, struct bpf_insn *insns);

#endif
