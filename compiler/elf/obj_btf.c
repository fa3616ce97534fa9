/*
 * obj_btf.c - the `.BTF` section: validated here, then parsed by libbpf's btf__new().
 *
 * The kernel (kernel/bpf/btf.c, btf_parse_hdr/btf_check_all_metas) and libbpf both reject
 * BTF whose header points outside the section, whose string section does not start and
 * end with a NUL, or whose type records run past the type section.  libbpf 1.1 does not
 * check that type ids and name offsets referenced by a record exist, and it prints its
 * complaints on stderr; so we walk the records ourselves first (header, string section,
 * the size of each record by kind, every referenced type id and name offset) and only
 * hand libbpf bytes it will accept.  Later steps can then follow any type id read from
 * the BTF without re-checking it.
 */
#include <errno.h>
#include <bpf/btf.h>

#include "elf/obj_int.h"

#define OBJ_BTF_MAGIC 0xeB9F

/* Bytes that follow `struct btf_type` for a record of this kind, or -1 for a bad kind. */
static long btf_extra_size(unsigned kind, unsigned vlen)
{
	switch (kind) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return (long)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return (long)vlen * sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO:
		return (long)vlen * sizeof(struct btf_param);
	case BTF_KIND_DATASEC:
		return (long)vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_ENUM64:
		return (long)vlen * sizeof(struct btf_enum64);
	default:
		return -1;
	}
}

/* Does record `t` (extra data at `x`) reference only ids below `cnt` and names below
 * `str_len`?  Sets *what to the offending field. */
static bool btf_refs_ok(const struct btf_type *t, const uint8_t *x, uint32_t cnt, uint32_t str_len,
                        const char **what)
{
	unsigned kind = BTF_INFO_KIND(t->info), vlen = BTF_INFO_VLEN(t->info);

	*what = "name_off";
	if (t->name_off >= str_len)
		return false;
	*what = "type";
	switch (kind) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC_PROTO:
		if (t->type >= cnt)
			return false;
		break;
	default:
		break;
	}
	for (unsigned i = 0; i < vlen || kind == BTF_KIND_ARRAY; i++) {
		uint32_t w[3];
		switch (kind) {
		case BTF_KIND_ARRAY:
			memcpy(w, x, sizeof(w));
			*what = "array type";
			return w[0] < cnt && w[1] < cnt;
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			memcpy(w, x + i * 12, 12);
			*what = "member";
			if (w[0] >= str_len || w[1] >= cnt)
				return false;
			break;
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			memcpy(w, x + i * (kind == BTF_KIND_ENUM ? 8 : 12), 4);
			*what = "enumerator name_off";
			if (w[0] >= str_len)
				return false;
			break;
		case BTF_KIND_FUNC_PROTO:
			memcpy(w, x + i * 8, 8);
			*what = "parameter";
			if (w[0] >= str_len || w[1] >= cnt)
				return false;
			break;
		case BTF_KIND_DATASEC:
			memcpy(w, x + i * 12, 4);
			*what = "variable type";
			if (w[0] >= cnt || w[0] == 0)
				return false;
			break;
		default:
			return true;
		}
	}
	return true;
}

static int btf_validate(struct obj_ctx *ctx, const struct obj_section *s)
{
	struct btf_header h;
	const uint8_t *types, *strs;
	uint64_t meta;
	uint32_t cnt = 1, off;

	if (s->size < sizeof(h))
		return obj_err(ctx, "elf-bad-btf",
		               "section '.BTF': size %llu too small for the BTF header (%zu)",
		               (unsigned long long)s->size, sizeof(h));
	memcpy(&h, s->data, sizeof(h));
	if (h.magic != OBJ_BTF_MAGIC)
		return obj_err(ctx, "elf-bad-btf", "section '.BTF': bad magic %#x (expected %#x)",
		               h.magic, OBJ_BTF_MAGIC);
	if (h.version != BTF_VERSION)
		return obj_err(ctx, "elf-bad-btf", "section '.BTF': version %u, expected %u",
		               h.version, BTF_VERSION);
	if (h.hdr_len < sizeof(h) || h.hdr_len > s->size)
		return obj_err(ctx, "elf-bad-btf",
		               "section '.BTF': hdr_len %u outside [%zu, section size %llu]",
		               h.hdr_len, sizeof(h), (unsigned long long)s->size);
	for (uint32_t i = sizeof(h); i < h.hdr_len; i++)
		if (s->data[i])
			return obj_err(ctx, "elf-bad-btf",
			               "section '.BTF': unknown non-zero header byte at offset %u",
			               i);
	meta = s->size - h.hdr_len;
	if (!obj_range_ok(h.type_off, h.type_len, meta))
		return obj_err(ctx, "elf-bad-btf",
		               "section '.BTF': type_off %u + type_len %u beyond the data (%llu "
		               "bytes after the header)",
		               h.type_off, h.type_len, (unsigned long long)meta);
	if (!obj_range_ok(h.str_off, h.str_len, meta))
		return obj_err(ctx, "elf-bad-btf",
		               "section '.BTF': str_off %u + str_len %u beyond the data (%llu "
		               "bytes after the header)",
		               h.str_off, h.str_len, (unsigned long long)meta);
	if ((uint64_t)h.type_off + h.type_len > h.str_off)
		return obj_err(ctx, "elf-bad-btf",
		               "section '.BTF': type data (%u + %u) overlaps the strings at %u",
		               h.type_off, h.type_len, h.str_off);
	if (h.type_off % 4)
		return obj_err(ctx, "elf-bad-btf", "section '.BTF': type_off %u not 4-aligned",
		               h.type_off);
	types = s->data + h.hdr_len + h.type_off;
	strs = s->data + h.hdr_len + h.str_off;
	if (h.str_len == 0 || strs[0] != '\0' || strs[h.str_len - 1] != '\0')
		return obj_err(ctx, "elf-bad-btf",
		               "section '.BTF': string section must start and end with a NUL");
	if (h.str_len > BTF_MAX_NAME_OFFSET)
		return obj_err(ctx, "elf-bad-btf", "section '.BTF': str_len %u too large",
		               h.str_len);

	/* pass 1: record sizes, count types */
	for (off = 0; off < h.type_len; cnt++) {
		struct btf_type t;
		long extra;

		if (h.type_len - off < sizeof(t))
			return obj_err(ctx, "elf-bad-btf",
			               "section '.BTF': type [%u] truncated at type offset %u", cnt,
			               off);
		memcpy(&t, types + off, sizeof(t));
		extra = btf_extra_size(BTF_INFO_KIND(t.info), BTF_INFO_VLEN(t.info));
		if (extra < 0)
			return obj_err(ctx, "elf-bad-btf", "section '.BTF': type [%u] has kind %u",
			               cnt, BTF_INFO_KIND(t.info));
		if ((uint64_t)h.type_len - off - sizeof(t) < (uint64_t)extra)
			return obj_err(ctx, "elf-bad-btf",
			               "section '.BTF': type [%u] (kind %u, vlen %u) runs past the "
			               "type section",
			               cnt, BTF_INFO_KIND(t.info), BTF_INFO_VLEN(t.info));
		off += sizeof(t) + (uint32_t)extra;
		if (cnt >= BTF_MAX_TYPE)
			return obj_err(ctx, "elf-bad-btf", "section '.BTF': too many types");
	}
	/* pass 2: references */
	uint32_t id = 1;
	for (off = 0; off < h.type_len; id++) {
		struct btf_type t;
		const char *what;

		memcpy(&t, types + off, sizeof(t));
		if (!btf_refs_ok(&t, types + off + sizeof(t), cnt, h.str_len, &what))
			return obj_err(ctx, "elf-bad-btf",
			               "section '.BTF': type [%u] (kind %u): %s out of range", id,
			               BTF_INFO_KIND(t.info), what);
		off += sizeof(t) +
		       (uint32_t)btf_extra_size(BTF_INFO_KIND(t.info), BTF_INFO_VLEN(t.info));
	}
	ctx->obj->btf_type_cnt = cnt;
	ctx->obj->btf_str_len = h.str_len;
	return 0;
}

int obj_read_btf(struct obj_ctx *ctx)
{
	struct obj_file *obj = ctx->obj;
	const struct obj_section *s;
	int err;

	if (obj->btf_sec < 0)
		return 0;
	s = &obj->sections[obj->btf_sec];
	if (!s->data)
		return obj_err(ctx, "elf-bad-btf", "section '.BTF' has no contents (type %u)",
		               s->type);
	err = btf_validate(ctx, s);
	if (err)
		return err;
	obj->btf = btf__new(s->data, (uint32_t)s->size);
	if (!obj->btf) {
		err = -errno;
		obj->btf = NULL;
		if (err == -ENOMEM)
			return err;
		return obj_err(ctx, "elf-bad-btf", "section '.BTF': libbpf cannot parse it (%s)",
		               strerror(-err));
	}
	if (btf__type_cnt(obj->btf) != obj->btf_type_cnt)
		return obj_err(ctx, "elf-bad-btf",
		               "section '.BTF': libbpf counts %u types, the header walk %u",
		               btf__type_cnt(obj->btf), obj->btf_type_cnt);
	return 0;
}

uint32_t obj_btf_find_datasec(const struct obj_file *obj, const char *name)
{
	if (!obj->btf)
		return 0;
	for (uint32_t id = 1; id < obj->btf_type_cnt; id++) {
		const struct btf_type *t = btf__type_by_id(obj->btf, id);
		const char *n;
		if (!t || !btf_is_datasec(t))
			continue;
		n = btf__name_by_offset(obj->btf, t->name_off);
		if (n && strcmp(n, name) == 0)
			return id;
	}
	return 0;
}

uint32_t obj_btf_datasec_member(const struct obj_file *obj, uint32_t datasec_id, const char *name)
{
	const struct btf_type *ds;
	const struct btf_var_secinfo *vs;

	if (!obj->btf || !datasec_id)
		return 0;
	ds = btf__type_by_id(obj->btf, datasec_id);
	if (!ds || !btf_is_datasec(ds))
		return 0;
	vs = btf_var_secinfos(ds);
	for (unsigned i = 0; i < btf_vlen(ds); i++) {
		const struct btf_type *v = btf__type_by_id(obj->btf, vs[i].type);
		const char *n;
		if (!v)
			continue;
		n = btf__name_by_offset(obj->btf, v->name_off);
		if (n && strcmp(n, name) == 0)
			return vs[i].type;
	}
	return 0;
}

uint32_t obj_btf_skip_mods(const struct obj_file *obj, uint32_t id)
{
	for (int depth = 0; depth < 32; depth++) {
		const struct btf_type *t = btf__type_by_id(obj->btf, id);
		if (!t || id == 0)
			return 0;
		if (!btf_is_mod(t) && !btf_is_typedef(t))
			return id;
		id = t->type;
	}
	return 0;
}
