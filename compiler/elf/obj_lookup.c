/*
 * obj_lookup.c - queries on a read object: source lines for instructions (the nearest
 * preceding line_info record, as the kernel's verifier log and bpftool do when they
 * print a source line before an instruction), lookups by name, and the name tables used
 * when printing an object.
 */
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "elf/object.h"

const struct obj_line *obj_line_rec_for_insn(const struct obj_prog *prog, size_t insn_idx)
{
	size_t lo = 0, hi;

	if (!prog || !prog->nr_lines || prog->lines[0].insn > insn_idx)
		return NULL;
	hi = prog->nr_lines; /* invariant: lines[lo].insn <= insn_idx, answer in [lo, hi) */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (prog->lines[mid].insn <= insn_idx)
			lo = mid;
		else
			hi = mid;
	}
	return &prog->lines[lo];
}

struct diag_loc obj_line_for_insn(const struct obj_prog *prog, size_t insn_idx)
{
	const struct obj_line *l = obj_line_rec_for_insn(prog, insn_idx);
	struct diag_loc loc = {0};

	if (l && l->line) {
		loc.file = l->file;
		loc.line = l->line;
		loc.col = l->col;
	}
	return loc;
}

const struct obj_prog *obj_find_prog(const struct obj_file *obj, const char *name)
{
	for (size_t i = 0; i < obj->nr_progs; i++)
		if (strcmp(obj->progs[i].name, name) == 0)
			return &obj->progs[i];
	for (size_t i = 0; i < obj->nr_subprogs; i++)
		if (strcmp(obj->subprogs[i].name, name) == 0)
			return &obj->subprogs[i];
	return NULL;
}

const struct obj_map *obj_find_map(const struct obj_file *obj, const char *name)
{
	for (size_t i = 0; i < obj->nr_maps; i++)
		if (strcmp(obj->maps[i].name, name) == 0)
			return &obj->maps[i];
	return NULL;
}

const char *obj_core_relo_kind_name(uint32_t kind)
{
	static const char *const names[] = {
#define CORE_RELO_KIND(v, n) [v] = n,
#include "elf/core_relo_kinds.def"
#undef CORE_RELO_KIND
	};

	if (kind < sizeof(names) / sizeof(names[0]) && names[kind])
		return names[kind];
	return "unknown";
}

const char *obj_map_type_name(uint32_t type)
{
	const char *n = libbpf_bpf_map_type_str((enum bpf_map_type)type);

	return n ? n : "unknown";
}

const char *obj_reloc_kind_name(enum obj_reloc_kind kind)
{
	static const char *const names[] = {
	    [OBJ_RELOC_UNKNOWN] = "unknown",
	    [OBJ_RELOC_MAP] = "map",
	    [OBJ_RELOC_DATA] = "data",
	    [OBJ_RELOC_CALL] = "call",
	    [OBJ_RELOC_SUBPROG_ADDR] = "func_addr",
	    [OBJ_RELOC_EXTERN_VAR] = "extern_var",
	    [OBJ_RELOC_EXTERN_FUNC] = "kfunc",
	};

	if ((unsigned)kind < sizeof(names) / sizeof(names[0]))
		return names[kind];
	return "unknown";
}

const char *obj_data_kind_name(enum obj_data_kind kind)
{
	switch (kind) {
	case OBJ_DATA_DATA:
		return "data";
	case OBJ_DATA_RODATA:
		return "rodata";
	case OBJ_DATA_BSS:
		return "bss";
	}
	return "unknown";
}

const char *obj_extern_kind_name(enum obj_extern_kind kind)
{
	switch (kind) {
	case OBJ_EXTERN_KCONFIG:
		return "kconfig";
	case OBJ_EXTERN_KSYM:
		return "ksym";
	case OBJ_EXTERN_UNKNOWN:
		break;
	}
	return "unknown";
}
