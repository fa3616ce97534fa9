/*
 * obj_progs.c - programs, subprograms and their relocations.
 *
 * As in libbpf's bpf_object__add_programs(), every STT_FUNC symbol in an executable
 * section is a function; those in `.text` are subprograms (called, or referenced as
 * callbacks), the others are entry programs whose section name decides the program type.
 * A `.rel<sec>` section relocates the instructions of <sec>; each entry must land on an
 * instruction inside the section and name an existing symbol.  Entries are classified as
 * libbpf's bpf_program__record_reloc() does (map, global data, bpf-to-bpf call, function
 * address, extern variable or kfunc) and given to the program whose range contains them.
 * Relocations of non-executable sections (`.rel.BTF`, `.rel.BTF.ext`, `.rel.maps`) carry
 * debug-info or map-in-map fix-ups and are not modelled.
 */
#include <errno.h>
#include <stdlib.h>
#include <gelf.h>

#include "elf/obj_int.h"

static bool is_exec(const struct obj_section *s)
{
	return s->type == SHT_PROGBITS && (s->flags & SHF_EXECINSTR);
}

static int cmp_sym_value(const void *a, const void *b)
{
	const struct obj_symbol *x = *(const struct obj_symbol *const *)a;
	const struct obj_symbol *y = *(const struct obj_symbol *const *)b;

	if (x->shndx != y->shndx)
		return x->shndx < y->shndx ? -1 : 1;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int obj_read_progs(struct obj_ctx *ctx)
{
	struct obj_file *obj = ctx->obj;
	const struct obj_symbol **funcs;
	size_t n = 0, np = 0, ns = 0;

	funcs = calloc(obj->nr_symbols ? obj->nr_symbols : 1, sizeof(*funcs));
	if (!funcs)
		return -ENOMEM;
	for (size_t i = 1; i < obj->nr_symbols; i++) {
		const struct obj_symbol *sym = &obj->symbols[i];
		if (sym->type != STT_FUNC || sym->shndx == SHN_UNDEF || sym->shndx >= SHN_LORESERVE)
			continue;
		if (!is_exec(&obj->sections[sym->shndx]))
			continue;
		funcs[n++] = sym;
		if ((int)sym->shndx == obj->text_sec)
			ns++;
		else
			np++;
	}
	qsort(funcs, n, sizeof(*funcs), cmp_sym_value);
	obj->progs = calloc(np ? np : 1, sizeof(*obj->progs));
	obj->subprogs = calloc(ns ? ns : 1, sizeof(*obj->subprogs));
	if (!obj->progs || !obj->subprogs) {
		free(funcs);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const struct obj_symbol *sym = funcs[i];
		const struct obj_section *s = &obj->sections[sym->shndx];
		bool sub = (int)sym->shndx == obj->text_sec;
		struct obj_prog *p;

		if (sym->value % 8 || sym->size % 8 || sym->size == 0) {
			int err = obj_err(ctx, "elf-bad-program",
			                  "function '%s' in section '%s': st_value %#llx / st_size "
			                  "%llu not a non-empty multiple of 8",
			                  sym->name, s->name, (unsigned long long)sym->value,
			                  (unsigned long long)sym->size);
			free(funcs);
			return err;
		}
		p = sub ? &obj->subprogs[obj->nr_subprogs++] : &obj->progs[obj->nr_progs++];
		p->name = sym->name;
		p->section = s->name;
		p->sec_idx = sym->shndx;
		p->sec_off = sym->value;
		p->insns = (const struct bpf_insn *)(s->data + sym->value);
		p->insn_cnt = sym->size / sizeof(struct bpf_insn);
		p->global = sym->bind == STB_GLOBAL || sym->bind == STB_WEAK;
		p->subprog = sub;
		p->sym = sym;
	}
	free(funcs);
	return 0;
}

static int cmp_reloc(const void *a, const void *b)
{
	const struct obj_reloc *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return 0;
}

static int find_target(const struct obj_file *obj, enum obj_reloc_kind kind,
                       const struct obj_symbol *sym)
{
	switch (kind) {
	case OBJ_RELOC_MAP:
		for (size_t i = 0; i < obj->nr_maps; i++)
			if (obj->maps[i].sym_idx == sym->index)
				return (int)i;
		return -1;
	case OBJ_RELOC_DATA:
		for (size_t i = 0; i < obj->nr_datas; i++)
			if (obj->datas[i].sec_idx == sym->shndx)
				return (int)i;
		return -1;
	case OBJ_RELOC_EXTERN_VAR:
	case OBJ_RELOC_EXTERN_FUNC:
		for (size_t i = 0; i < obj->nr_externs; i++)
			if (obj->externs[i].sym_idx == sym->index)
				return (int)i;
		return -1;
	default:
		return -1;
	}
}

static enum obj_reloc_kind classify(const struct obj_file *obj, const struct obj_section *s,
                                    const struct obj_reloc *r)
{
	uint8_t code = s->data[r->offset], src = s->data[r->offset + 1] >> 4;
	const struct obj_symbol *sym = r->sym;
	const struct obj_section *ts = NULL;

	if (sym->shndx != SHN_UNDEF && sym->shndx < obj->nr_sections)
		ts = &obj->sections[sym->shndx];
	if (code == (BPF_JMP | BPF_CALL)) {
		if (sym->shndx == SHN_UNDEF)
			return OBJ_RELOC_EXTERN_FUNC;
		if (src == BPF_PSEUDO_CALL && ts && is_exec(ts))
			return OBJ_RELOC_CALL;
		return OBJ_RELOC_UNKNOWN;
	}
	if (code != (BPF_LD | BPF_IMM | BPF_DW))
		return OBJ_RELOC_UNKNOWN;
	if (sym->shndx == SHN_UNDEF)
		return OBJ_RELOC_EXTERN_VAR;
	if (!ts)
		return OBJ_RELOC_UNKNOWN;
	if (is_exec(ts))
		return OBJ_RELOC_SUBPROG_ADDR;
	if ((int)sym->shndx == obj->maps_sec)
		return OBJ_RELOC_MAP;
	for (size_t i = 0; i < obj->nr_datas; i++)
		if (obj->datas[i].sec_idx == sym->shndx)
			return OBJ_RELOC_DATA;
	return OBJ_RELOC_UNKNOWN;
}

static int read_rel_section(struct obj_ctx *ctx, const struct obj_section *rs)
{
	struct obj_file *obj = ctx->obj;
	struct obj_section *s;
	size_t n;

	if (rs->info == 0 || rs->info >= obj->nr_sections)
		return obj_err(ctx, "elf-bad-reloc",
		               "relocation section '%s': sh_info %u is not a section index",
		               rs->name, rs->info);
	s = &obj->sections[rs->info];
	if (!is_exec(s))
		return 0;
	if ((int)rs->link != obj->symtab_sec)
		return obj_err(ctx, "elf-bad-reloc",
		               "relocation section '%s': sh_link %u is not the symbol table",
		               rs->name, rs->link);
	if (rs->size % sizeof(Elf64_Rel))
		return obj_err(ctx, "elf-bad-reloc",
		               "relocation section '%s': size %llu is not a multiple of %zu",
		               rs->name, (unsigned long long)rs->size, sizeof(Elf64_Rel));
	if (s->relocs)
		return obj_err(ctx, "elf-bad-reloc",
		               "relocation section '%s': section '%s' already has relocations",
		               rs->name, s->name);
	n = rs->size / sizeof(Elf64_Rel);
	if (!n)
		return 0;
	s->relocs = calloc(n, sizeof(*s->relocs));
	if (!s->relocs)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct obj_reloc *r = &s->relocs[i];
		Elf64_Rel er;
		size_t symi;

		memcpy(&er, rs->data + i * sizeof(er), sizeof(er));
		symi = ELF64_R_SYM(er.r_info);
		if (symi == 0 || symi >= obj->nr_symbols)
			return obj_err(ctx, "elf-bad-reloc",
			               "relocation section '%s' entry %zu: symbol index %zu out of "
			               "range (%zu symbols)",
			               rs->name, i, symi, obj->nr_symbols);
		if (!obj_range_ok(er.r_offset, sizeof(struct bpf_insn), s->size))
			return obj_err(ctx, "elf-bad-reloc",
			               "relocation section '%s' entry %zu: r_offset %#llx beyond "
			               "section '%s' (size %llu)",
			               rs->name, i, (unsigned long long)er.r_offset, s->name,
			               (unsigned long long)s->size);
		if (er.r_offset % sizeof(struct bpf_insn))
			return obj_err(
			    ctx, "elf-bad-reloc",
			    "relocation section '%s' entry %zu: r_offset %#llx is not on "
			    "an instruction boundary",
			    rs->name, i, (unsigned long long)er.r_offset);
		r->offset = er.r_offset;
		r->insn_idx = (uint32_t)(er.r_offset / sizeof(struct bpf_insn));
		r->type = (uint32_t)ELF64_R_TYPE(er.r_info);
		r->sym = &obj->symbols[symi];
		if (s->data[r->offset] == (BPF_LD | BPF_IMM | BPF_DW) &&
		    !obj_range_ok(r->offset, 2 * sizeof(struct bpf_insn), s->size))
			return obj_err(ctx, "elf-bad-reloc",
			               "relocation section '%s' entry %zu: ld_imm64 at r_offset "
			               "%#llx is cut by the end of section '%s'",
			               rs->name, i, (unsigned long long)er.r_offset, s->name);
		r->kind = classify(obj, s, r);
		r->target = find_target(obj, r->kind, r->sym);
	}
	s->nr_relocs = n;
	qsort(s->relocs, n, sizeof(*s->relocs), cmp_reloc);
	return 0;
}

static void attach_relocs(struct obj_file *obj, struct obj_prog *p)
{
	const struct obj_section *s = &obj->sections[p->sec_idx];
	uint64_t end = p->sec_off + p->insn_cnt * sizeof(struct bpf_insn);
	size_t i = 0;

	while (i < s->nr_relocs && s->relocs[i].offset < p->sec_off)
		i++;
	p->relocs = s->relocs ? s->relocs + i : NULL;
	for (; i < s->nr_relocs && s->relocs[i].offset < end; i++) {
		s->relocs[i].insn_idx =
		    (uint32_t)((s->relocs[i].offset - p->sec_off) / sizeof(struct bpf_insn));
		p->nr_relocs++;
	}
	if (!p->nr_relocs)
		p->relocs = NULL;
}

int obj_read_relocs(struct obj_ctx *ctx)
{
	struct obj_file *obj = ctx->obj;
	int err;

	for (size_t i = 1; i < obj->nr_sections; i++) {
		if (obj->sections[i].type != SHT_REL)
			continue;
		err = read_rel_section(ctx, &obj->sections[i]);
		if (err)
			return err;
	}
	for (size_t i = 0; i < obj->nr_progs; i++)
		attach_relocs(obj, &obj->progs[i]);
	for (size_t i = 0; i < obj->nr_subprogs; i++)
		attach_relocs(obj, &obj->subprogs[i]);
	return 0;
}
