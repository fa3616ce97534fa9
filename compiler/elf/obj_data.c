/*
 * obj_data.c - global data sections, `license`, `version` and externs.
 *
 * libbpf turns `.data`, `.rodata`, `.bss` and the custom `.data.*` / `.rodata.*` sections
 * into internal array maps (bpf_object__init_global_data_maps), copies the `license`
 * section as a string (it tolerates a missing NUL and truncates to 64 bytes), requires
 * `version` to be exactly 4 bytes, and describes every undefined symbol as an extern
 * that must be found in BTF, in DATASEC `.kconfig` (values from the kernel config) or
 * `.ksyms` (kernel variables and kfuncs), failing to open the object otherwise.  An extern
 * no DATASEC describes (an object built without -g) is kept as OBJ_EXTERN_UNKNOWN: the
 * object is readable, and check_object() reports it as the loader's refusal.
 */
#include <errno.h>
#include <stdlib.h>
#include <gelf.h>
#include <bpf/btf.h>

#include "elf/obj_int.h"

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static bool data_kind(const struct obj_section *s, enum obj_data_kind *kind)
{
	if (!(s->flags & SHF_ALLOC) || (s->flags & SHF_EXECINSTR))
		return false;
	if (s->type == SHT_PROGBITS &&
	    (strcmp(s->name, ".data") == 0 || has_prefix(s->name, ".data.")))
		*kind = OBJ_DATA_DATA;
	else if (s->type == SHT_PROGBITS &&
	         (strcmp(s->name, ".rodata") == 0 || has_prefix(s->name, ".rodata.")))
		*kind = OBJ_DATA_RODATA;
	else if (s->type == SHT_NOBITS &&
	         (strcmp(s->name, ".bss") == 0 || has_prefix(s->name, ".bss.")))
		*kind = OBJ_DATA_BSS;
	else
		return false;
	return true;
}

int obj_read_data(struct obj_ctx *ctx)
{
	struct obj_file *obj = ctx->obj;
	enum obj_data_kind kind;
	int sec;

	obj->datas = calloc(obj->nr_sections, sizeof(*obj->datas));
	if (!obj->datas)
		return -ENOMEM;
	for (size_t i = 1; i < obj->nr_sections; i++) {
		const struct obj_section *s = &obj->sections[i];
		struct obj_data *d;

		if (!data_kind(s, &kind))
			continue;
		d = &obj->datas[obj->nr_datas++];
		d->name = s->name;
		d->sec_idx = (unsigned)i;
		d->kind = kind;
		d->size = s->size;
		d->bytes = s->data;
		d->btf_datasec_id = obj_btf_find_datasec(obj, s->name);
	}

	sec = obj_find_section(obj, "license");
	if (sec >= 0) {
		const struct obj_section *s = &obj->sections[sec];
		if (!s->data || s->size == 0)
			return obj_err(ctx, "elf-bad-license", "section 'license' is empty");
		obj->license = (const char *)s->data;
		obj->license_size = s->size;
		obj->license_nul = memchr(s->data, '\0', s->size) != NULL;
		if (!obj->license_nul) {
			/* keep a terminated copy: make the string safe to use */
			char *copy = malloc(s->size + 1);
			if (!copy)
				return -ENOMEM;
			memcpy(copy, s->data, s->size);
			copy[s->size] = '\0';
			obj->license = copy;
			obj->license_owned = true;
			obj_warn(ctx, "elf-license-unterminated",
			         "section 'license' (%llu bytes) is not NUL-terminated",
			         (unsigned long long)s->size);
		}
	}
	sec = obj_find_section(obj, "version");
	if (sec >= 0) {
		const struct obj_section *s = &obj->sections[sec];
		if (!s->data || s->size != 4)
			return obj_err(ctx, "elf-bad-version",
			               "section 'version': size %llu, expected 4",
			               (unsigned long long)s->size);
		obj->kern_version = obj_rd32(s->data);
		obj->has_version = true;
	}
	return 0;
}

int obj_read_externs(struct obj_ctx *ctx)
{
	struct obj_file *obj = ctx->obj;
	uint32_t kconfig = obj_btf_find_datasec(obj, ".kconfig");
	uint32_t ksyms = obj_btf_find_datasec(obj, ".ksyms");
	size_t n = 0;

	for (size_t i = 1; i < obj->nr_symbols; i++)
		if (obj->symbols[i].shndx == SHN_UNDEF && obj->symbols[i].name[0])
			n++;
	if (!n)
		return 0;
	obj->externs = calloc(n, sizeof(*obj->externs));
	if (!obj->externs)
		return -ENOMEM;
	for (size_t i = 1; i < obj->nr_symbols; i++) {
		const struct obj_symbol *sym = &obj->symbols[i];
		struct obj_extern *e;
		const struct btf_type *t;

		if (sym->shndx != SHN_UNDEF || !sym->name[0])
			continue;
		e = &obj->externs[obj->nr_externs++];
		e->name = sym->name;
		e->sym_idx = (unsigned)i;
		e->weak = sym->bind == STB_WEAK;
		if ((e->btf_id = obj_btf_datasec_member(obj, kconfig, sym->name)))
			e->kind = OBJ_EXTERN_KCONFIG;
		else if ((e->btf_id = obj_btf_datasec_member(obj, ksyms, sym->name)))
			e->kind = OBJ_EXTERN_KSYM;
		else
			continue; /* OBJ_EXTERN_UNKNOWN: libbpf's open fails, check_object() says why */
		t = btf__type_by_id(obj->btf, e->btf_id);
		e->is_func = btf_is_func(t);
		e->type_id = t->type;
	}
	return 0;
}
