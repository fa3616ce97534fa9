/*
 * obj_maps.c - BTF-defined maps: the variables of section `.maps`.
 *
 * A map definition is a struct variable whose members carry the attributes in their
 * BTF types, as libbpf's bpf_object__init_user_btf_map()/parse_btf_map_def() read them:
 * `__uint(name, N)` is a pointer to an array of N elements (type, max_entries, map_flags,
 * numa_node, key_size, value_size, pinning, map_extra), `__type(key, T)` is a pointer to
 * T (key and value), and `__array(values, struct {...})` is an array of pointers to the
 * inner map's definition (map-in-map) or to a function prototype (prog arrays).  libbpf
 * refuses to open objects with unknown fields, sizes that contradict the key/value types,
 * or nested inner maps; so does this reader.  The offset of each map comes from its ELF
 * symbol, because the DATASEC in a `.o` still has zero offsets (libbpf fixes them up).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <gelf.h>
#include <bpf/btf.h>

#include "elf/obj_int.h"

/* The type behind `id` with modifiers and typedefs skipped, and its id in *out. */
static const struct btf_type *btf_resolved(const struct obj_file *obj, uint32_t id, uint32_t *out)
{
	uint32_t r = obj_btf_skip_mods(obj, id);

	if (out)
		*out = r;
	return r ? btf__type_by_id(obj->btf, r) : NULL;
}

/* __uint(name, N): pointer to array[N].  Returns false if the member is not shaped so. */
static bool btf_uint_field(const struct obj_file *obj, uint32_t type_id, uint32_t *val)
{
	const struct btf_type *t = btf_resolved(obj, type_id, NULL);

	if (!t || !btf_is_ptr(t))
		return false;
	t = btf_resolved(obj, t->type, NULL);
	if (!t || !btf_is_array(t))
		return false;
	*val = btf_array(t)->nelems;
	return true;
}

static int parse_map_def(struct obj_ctx *ctx, struct obj_map *m, uint32_t def_id, bool inner);

static int parse_values(struct obj_ctx *ctx, struct obj_map *m, uint32_t type_id, bool inner)
{
	const struct obj_file *obj = ctx->obj;
	const struct btf_type *t = btf_resolved(obj, type_id, NULL);
	uint32_t def_id;
	struct obj_map *im;
	size_t len;

	if (!t || !btf_is_array(t))
		return obj_err(ctx, "elf-bad-maps", "map '%s': field 'values' is not an array",
		               m->name);
	t = btf_resolved(obj, btf_array(t)->type, NULL);
	if (!t || !btf_is_ptr(t))
		return obj_err(ctx, "elf-bad-maps",
		               "map '%s': field 'values' is not an array of pointers", m->name);
	t = btf_resolved(obj, t->type, &def_id);
	if (t && btf_is_func_proto(t))
		return 0; /* prog array: the values are programs */
	if (!t || !btf_is_struct(t))
		return obj_err(ctx, "elf-bad-maps",
		               "map '%s': field 'values' must point to a map definition or a "
		               "function",
		               m->name);
	if (inner)
		return obj_err(ctx, "elf-bad-maps",
		               "map '%s': inner map definitions cannot be nested", m->name);
	if (m->inner)
		return obj_err(ctx, "elf-bad-maps", "map '%s': more than one inner map definition",
		               m->name);
	len = strlen(m->name) + sizeof(".inner");
	im = calloc(1, sizeof(*im) + len);
	if (!im)
		return -ENOMEM;
	snprintf((char *)(im + 1), len, "%s.inner", m->name);
	im->name = (const char *)(im + 1);
	m->inner = im;
	return parse_map_def(ctx, im, def_id, true);
}

/* __type(key, T): pointer to T.  Sets *id and *size. */
static int parse_type_field(struct obj_ctx *ctx, const struct obj_map *m, const char *field,
                            uint32_t type_id, uint32_t *id, uint32_t *size)
{
	const struct btf_type *t = btf_resolved(ctx->obj, type_id, NULL);
	long long sz;

	if (!t || !btf_is_ptr(t))
		return obj_err(ctx, "elf-bad-maps",
		               "map '%s': field '%s' is not __type(%s, T) (a pointer)", m->name,
		               field, field);
	sz = btf__resolve_size(ctx->obj->btf, t->type);
	if (sz < 0 || sz > UINT32_MAX)
		return obj_err(ctx, "elf-bad-maps", "map '%s': cannot size the %s type [%u]",
		               m->name, field, t->type);
	*id = t->type;
	*size = (uint32_t)sz;
	return 0;
}

static int parse_map_def(struct obj_ctx *ctx, struct obj_map *m, uint32_t def_id, bool inner)
{
	const struct obj_file *obj = ctx->obj;
	const struct btf_type *def = btf__type_by_id(obj->btf, def_id);
	const struct btf_member *mb;
	uint32_t key_size = 0, value_size = 0;
	bool key_type = false, value_type = false;
	int err;

	if (!def || !btf_is_struct(def))
		return obj_err(ctx, "elf-bad-maps", "map '%s': definition is not a struct",
		               m->name);
	mb = btf_members(def);
	for (unsigned i = 0; i < btf_vlen(def); i++) {
		const char *f = btf__name_by_offset(obj->btf, mb[i].name_off);
		struct {
			const char *name;
			uint32_t *val;
			bool *has;
		} ints[] = {
		    {"type", &m->type, &m->has_type},
		    {"max_entries", &m->max_entries, &m->has_max_entries},
		    {"map_flags", &m->map_flags, &m->has_map_flags},
		    {"numa_node", &m->numa_node, &m->has_numa_node},
		    {"key_size", &m->key_size, &m->has_key_size},
		    {"value_size", &m->value_size, &m->has_value_size},
		    {"pinning", &m->pinning, &m->has_pinning},
		};
		size_t k;

		if (!f || !f[0])
			return obj_err(ctx, "elf-bad-maps", "map '%s': member %u has no name",
			               m->name, i);
		for (k = 0; k < sizeof(ints) / sizeof(ints[0]); k++)
			if (strcmp(f, ints[k].name) == 0)
				break;
		if (k < sizeof(ints) / sizeof(ints[0])) {
			if (!btf_uint_field(obj, mb[i].type, ints[k].val))
				return obj_err(ctx, "elf-bad-maps",
				               "map '%s': field '%s' is not __uint(%s, N)", m->name,
				               f, f);
			*ints[k].has = true;
		} else if (strcmp(f, "map_extra") == 0) {
			uint32_t v;
			if (!btf_uint_field(obj, mb[i].type, &v))
				return obj_err(ctx, "elf-bad-maps",
				               "map '%s': field '%s' is not __uint(%s, N)", m->name,
				               f, f);
			m->map_extra = v;
			m->has_map_extra = true;
		} else if (strcmp(f, "key") == 0) {
			err = parse_type_field(ctx, m, f, mb[i].type, &m->key_type_id, &key_size);
			if (err)
				return err;
			key_type = true;
		} else if (strcmp(f, "value") == 0) {
			err =
			    parse_type_field(ctx, m, f, mb[i].type, &m->value_type_id, &value_size);
			if (err)
				return err;
			value_type = true;
		} else if (strcmp(f, "values") == 0) {
			/* the values of map-in-maps and prog arrays are 4-byte fds / ids */
			if (m->has_value_size && m->value_size != 4)
				return obj_err(
				    ctx, "elf-bad-maps",
				    "map '%s': value_size %u conflicts with 'values' (4)", m->name,
				    m->value_size);
			err = parse_values(ctx, m, mb[i].type, inner);
			if (err)
				return err;
			m->value_size = 4;
			m->has_value_size = true;
		} else {
			return obj_err(ctx, "elf-bad-maps", "map '%s': unknown field '%s'", m->name,
			               f);
		}
	}
	if (key_type) {
		if (m->has_key_size && m->key_size != key_size)
			return obj_err(
			    ctx, "elf-bad-maps",
			    "map '%s': key_size %u conflicts with the key type's size %u", m->name,
			    m->key_size, key_size);
		m->key_size = key_size;
		m->has_key_size = true;
	}
	if (value_type) {
		if (m->has_value_size && m->value_size != value_size)
			return obj_err(ctx, "elf-bad-maps",
			               "map '%s': value_size %u conflicts with the value type's "
			               "size %u",
			               m->name, m->value_size, value_size);
		m->value_size = value_size;
		m->has_value_size = true;
	}
	return 0;
}

int obj_read_maps(struct obj_ctx *ctx)
{
	struct obj_file *obj = ctx->obj;
	const struct obj_section *sec;
	uint32_t datasec;
	size_t n = 0;
	int err;

	if (obj->maps_sec < 0)
		return 0;
	sec = &obj->sections[obj->maps_sec];
	if (!obj->btf)
		return obj_err(ctx, "elf-bad-maps",
		               "section '.maps' needs BTF but the object has no .BTF section");
	datasec = obj_btf_find_datasec(obj, ".maps");
	if (!datasec)
		return obj_err(ctx, "elf-bad-maps",
		               "section '.maps': the BTF has no DATASEC '.maps' describing it");
	for (size_t i = 1; i < obj->nr_symbols; i++)
		if (obj->symbols[i].shndx == sec->index && obj->symbols[i].type == STT_OBJECT)
			n++;
	obj->maps = calloc(n ? n : 1, sizeof(*obj->maps));
	if (!obj->maps)
		return -ENOMEM;
	for (size_t i = 1; i < obj->nr_symbols; i++) {
		const struct obj_symbol *sym = &obj->symbols[i];
		struct obj_map *m;
		const struct btf_type *var;
		uint32_t var_id, def_id;

		if (sym->shndx != sec->index || sym->type != STT_OBJECT)
			continue;
		m = &obj->maps[obj->nr_maps++];
		m->name = sym->name;
		m->sym_idx = (unsigned)i;
		m->sec_off = sym->value;
		var_id = obj_btf_datasec_member(obj, datasec, sym->name);
		var = var_id ? btf__type_by_id(obj->btf, var_id) : NULL;
		if (!var || !btf_is_var(var))
			return obj_err(ctx, "elf-bad-maps",
			               "map '%s': no BTF variable in DATASEC '.maps' describes it",
			               sym->name);
		m->btf_var_id = var_id;
		if (!btf_resolved(obj, var->type, &def_id))
			return obj_err(ctx, "elf-bad-maps", "map '%s': bad BTF type [%u]",
			               sym->name, var->type);
		err = parse_map_def(ctx, m, def_id, false);
		if (err)
			return err;
	}
	return 0;
}
