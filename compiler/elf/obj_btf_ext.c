/*
 * obj_btf_ext.c - `.BTF.ext`: func_info, line_info and CO-RE relocation records.
 *
 * Layout (as libbpf's btf_ext__new() and the kernel's bpf_prog_load() expect it): a
 * header {magic 0xeB9F, version 1, flags, hdr_len, func_info off/len, line_info off/len,
 * and since hdr_len >= 32 core_relo off/len}, offsets relative to the end of the header.
 * Each part starts with a u32 record size (a multiple of 4, at least the size of the
 * record this reader knows; larger records are newer formats and their extra bytes are
 * skipped), then blocks of {u32 section name offset in .BTF strings, u32 record count,
 * records}.  In a `.o` file the records' insn_off are byte offsets within the named
 * section; libbpf divides them by 8 and splits them per program, and so do we.
 */
#include <errno.h>
#include <elf.h>
#include <stdlib.h>
#include <bpf/btf.h>

#include "elf/obj_int.h"

enum ext_part {
	EXT_FUNC,
	EXT_LINE,
	EXT_CORE,
};

static const struct {
	const char *name;
	uint32_t min_rec;
} ext_parts[] = {
    [EXT_FUNC] = {"func_info", 8},
    [EXT_LINE] = {"line_info", 16},
    [EXT_CORE] = {"CO-RE relocation", 16},
};

/* One record, decoded, before it is sorted into its program. */
struct ext_rec {
	struct obj_prog *prog;
	uint32_t insn;
	uint32_t w[3]; /* the record's words after insn_off */
};

static struct obj_prog *prog_at(struct obj_file *obj, unsigned sec, uint64_t off)
{
	struct obj_prog *lists[2] = {obj->progs, obj->subprogs};
	size_t counts[2] = {obj->nr_progs, obj->nr_subprogs};

	for (int l = 0; l < 2; l++)
		for (size_t i = 0; i < counts[l]; i++) {
			struct obj_prog *p = &lists[l][i];
			if (p->sec_idx == sec && off >= p->sec_off &&
			    off - p->sec_off < p->insn_cnt * sizeof(struct bpf_insn))
				return p;
		}
	return NULL;
}

static const char *btf_str(const struct obj_file *obj, uint32_t off)
{
	return off < obj->btf_str_len ? btf__name_by_offset(obj->btf, off) : NULL;
}

/* Checks one record's fields that refer to BTF. */
static int check_rec(struct obj_ctx *ctx, enum ext_part part, const char *sec, size_t idx,
                     const uint32_t *w)
{
	const struct obj_file *obj = ctx->obj;
	const struct btf_type *t;

	switch (part) {
	case EXT_FUNC:
		t = w[0] < obj->btf_type_cnt ? btf__type_by_id(obj->btf, w[0]) : NULL;
		if (!t || !btf_is_func(t))
			return obj_err(ctx, "elf-bad-btf-ext",
			               "section '.BTF.ext': func_info record %zu for section '%s': "
			               "type_id %u is not a BTF FUNC",
			               idx, sec, w[0]);
		return 0;
	case EXT_LINE:
		if (!btf_str(obj, w[0]) || !btf_str(obj, w[1]))
			return obj_err(ctx, "elf-bad-btf-ext",
			               "section '.BTF.ext': line_info record %zu for section '%s': "
			               "file_name_off %#x or line_off %#x outside the BTF strings",
			               idx, sec, w[0], w[1]);
		return 0;
	case EXT_CORE:
		if (w[0] == 0 || w[0] >= obj->btf_type_cnt)
			return obj_err(ctx, "elf-bad-btf-ext",
			               "section '.BTF.ext': CO-RE relocation %zu for section '%s': "
			               "type_id %u out of range",
			               idx, sec, w[0]);
		if (!btf_str(obj, w[1]))
			return obj_err(ctx, "elf-bad-btf-ext",
			               "section '.BTF.ext': CO-RE relocation %zu for section '%s': "
			               "access_str_off %#x outside the BTF strings",
			               idx, sec, w[1]);
		if (w[2] > BPF_CORE_TYPE_MATCHES)
			return obj_err(ctx, "elf-bad-btf-ext",
			               "section '.BTF.ext': CO-RE relocation %zu for section '%s': "
			               "unknown kind %u",
			               idx, sec, w[2]);
		return 0;
	}
	return 0;
}

/* Decodes one part into *recs (allocated, *nr records). */
static int read_part(struct obj_ctx *ctx, enum ext_part part, const uint8_t *d, uint32_t len,
                     struct ext_rec **recs, size_t *nr)
{
	struct obj_file *obj = ctx->obj;
	const char *pname = ext_parts[part].name;
	uint32_t rec_size, pos;
	size_t cap, idx = 0;

	*recs = NULL;
	*nr = 0;
	if (len == 0)
		return 0;
	if (len < 4)
		return obj_err(ctx, "elf-bad-btf-ext", "section '.BTF.ext': %s part too short",
		               pname);
	rec_size = obj_rd32(d);
	if (rec_size < ext_parts[part].min_rec || rec_size % 4)
		return obj_err(ctx, "elf-bad-btf-ext",
		               "section '.BTF.ext': %s record size %u, expected a multiple of 4 "
		               "and at least %u",
		               pname, rec_size, ext_parts[part].min_rec);
	cap = (len - 4) / rec_size;
	*recs = calloc(cap ? cap : 1, sizeof(**recs));
	if (!*recs)
		return -ENOMEM;
	for (pos = 4; pos < len;) {
		uint32_t name_off, num;
		const char *sname;
		int sec;

		if (len - pos < 8)
			return obj_err(ctx, "elf-bad-btf-ext",
			               "section '.BTF.ext': %s block header truncated at offset %u",
			               pname, pos);
		name_off = obj_rd32(d + pos);
		num = obj_rd32(d + pos + 4);
		pos += 8;
		sname = btf_str(obj, name_off);
		if (!sname)
			return obj_err(ctx, "elf-bad-btf-ext",
			               "section '.BTF.ext': %s block: sec_name_off %#x outside the "
			               "BTF strings",
			               pname, name_off);
		if (num == 0 || (uint64_t)num * rec_size > len - pos)
			return obj_err(ctx, "elf-bad-btf-ext",
			               "section '.BTF.ext': %s block for section '%s': %u records "
			               "of %u bytes do not fit",
			               pname, sname, num, rec_size);
		sec = obj_find_section(obj, sname);
		if (sec < 0 || !(obj->sections[sec].flags & SHF_EXECINSTR))
			return obj_err(ctx, "elf-bad-btf-ext",
			               "section '.BTF.ext': %s for '%s', which is not a program "
			               "section",
			               pname, sname);
		for (uint32_t i = 0; i < num; i++, pos += rec_size, idx++) {
			const struct obj_section *s = &obj->sections[sec];
			struct ext_rec *r = &(*recs)[*nr];
			uint32_t off = obj_rd32(d + pos);
			int err;

			if (off % 8 || off >= s->size)
				return obj_err(
				    ctx, "elf-bad-btf-ext",
				    "section '.BTF.ext': %s record %zu for section '%s': "
				    "insn_off %u beyond the section (%llu bytes) or not "
				    "on an instruction",
				    pname, idx, sname, off, (unsigned long long)s->size);
			for (int k = 0; k < 3; k++)
				r->w[k] = 4u * (k + 1) < ext_parts[part].min_rec
				              ? obj_rd32(d + pos + 4 * (k + 1))
				              : 0;
			err = check_rec(ctx, part, sname, idx, r->w);
			if (err)
				return err;
			r->prog = prog_at(obj, (unsigned)sec, off);
			if (!r->prog)
				return obj_err(
				    ctx, "elf-bad-btf-ext",
				    "section '.BTF.ext': %s record %zu for section '%s': "
				    "insn_off %u is not inside any function",
				    pname, idx, sname, off);
			r->insn = (uint32_t)((off - r->prog->sec_off) / sizeof(struct bpf_insn));
			(*nr)++;
		}
	}
	return 0;
}

static int cmp_rec(const void *a, const void *b)
{
	const struct ext_rec *x = a, *y = b;

	if (x->prog != y->prog)
		return (uintptr_t)x->prog < (uintptr_t)y->prog ? -1 : 1;
	if (x->insn != y->insn)
		return x->insn < y->insn ? -1 : 1;
	return 0;
}

/* Moves the records of each program into the program's own array. */
static int distribute(struct obj_file *obj, enum ext_part part, struct ext_rec *recs, size_t nr)
{
	if (nr)
		qsort(recs, nr, sizeof(*recs), cmp_rec);
	for (size_t i = 0, j; i < nr; i = j) {
		struct obj_prog *p = recs[i].prog;
		size_t n;

		for (j = i; j < nr && recs[j].prog == p; j++)
			;
		n = j - i;
		if (part == EXT_FUNC) {
			struct obj_func_info *f = calloc(n, sizeof(*f));
			if (!f)
				return -ENOMEM;
			for (size_t k = 0; k < n; k++)
				f[k] = (struct obj_func_info){recs[i + k].insn, recs[i + k].w[0]};
			p->funcs = f;
			p->nr_funcs = n;
		} else if (part == EXT_LINE) {
			struct obj_line *l = calloc(n, sizeof(*l));
			if (!l)
				return -ENOMEM;
			for (size_t k = 0; k < n; k++) {
				const uint32_t *w = recs[i + k].w;
				l[k] = (struct obj_line){
				    .insn = recs[i + k].insn,
				    .file = btf_str(obj, w[0]),
				    .text = btf_str(obj, w[1]),
				    .line = BPF_LINE_INFO_LINE_NUM(w[2]),
				    .col = BPF_LINE_INFO_LINE_COL(w[2]),
				};
			}
			p->lines = l;
			p->nr_lines = n;
		} else {
			struct obj_core_relo *c = calloc(n, sizeof(*c));
			if (!c)
				return -ENOMEM;
			for (size_t k = 0; k < n; k++) {
				const uint32_t *w = recs[i + k].w;
				c[k] = (struct obj_core_relo){recs[i + k].insn, w[0],
				                              btf_str(obj, w[1]), w[2]};
			}
			p->core_relos = c;
			p->nr_core_relos = n;
		}
	}
	return 0;
}

int obj_read_btf_ext(struct obj_ctx *ctx)
{
	struct obj_file *obj = ctx->obj;
	const struct obj_section *s;
	uint32_t h[8] = {0}, hdr_len, meta;
	uint16_t magic;

	if (obj->btf_ext_sec < 0)
		return 0;
	s = &obj->sections[obj->btf_ext_sec];
	if (!obj->btf)
		return obj_err(ctx, "elf-bad-btf-ext",
		               "section '.BTF.ext' needs BTF but the object has no .BTF section");
	if (!s->data || s->size < 24)
		return obj_err(ctx, "elf-bad-btf-ext",
		               "section '.BTF.ext': size %llu too small for its header (24)",
		               (unsigned long long)s->size);
	memcpy(&magic, s->data, 2);
	hdr_len = obj_rd32(s->data + 4);
	if (magic != 0xeB9F)
		return obj_err(ctx, "elf-bad-btf-ext",
		               "section '.BTF.ext': bad magic %#x (expected 0xeb9f)", magic);
	if (s->data[2] != 1)
		return obj_err(ctx, "elf-bad-btf-ext", "section '.BTF.ext': version %u, expected 1",
		               s->data[2]);
	if (hdr_len < 24 || hdr_len > s->size || hdr_len % 4)
		return obj_err(ctx, "elf-bad-btf-ext",
		               "section '.BTF.ext': hdr_len %u outside [24, section size %llu]",
		               hdr_len, (unsigned long long)s->size);
	memcpy(h, s->data, hdr_len < sizeof(h) ? hdr_len : sizeof(h));
	meta = (uint32_t)(s->size - hdr_len);
	obj->has_btf_ext = true;
	for (int part = EXT_FUNC; part <= EXT_CORE; part++) {
		uint32_t off = h[2 + 2 * part], len = h[3 + 2 * part];
		struct ext_rec *recs = NULL;
		size_t nr = 0;
		int err;

		if (part == EXT_CORE && hdr_len < 32)
			break;
		if (!obj_range_ok(off, len, meta) || (len && off % 4)) {
			return obj_err(ctx, "elf-bad-btf-ext",
			               "section '.BTF.ext': %s_off %u + %s_len %u outside the data "
			               "(%u bytes after the header)",
			               part == EXT_CORE ? "core_relo" : ext_parts[part].name, off,
			               part == EXT_CORE ? "core_relo" : ext_parts[part].name, len,
			               meta);
		}
		err = read_part(ctx, part, s->data + hdr_len + off, len, &recs, &nr);
		if (!err)
			err = distribute(obj, part, recs, nr);
		free(recs);
		if (err)
			return err;
	}
	return 0;
}
