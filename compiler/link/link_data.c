/*
 * link_data.c - map, global data and extern references, as libbpf's
 * bpf_object__relocate_data() rewrites them.
 *
 *  - ld_imm64 of a .maps variable: src_reg BPF_PSEUDO_MAP_IDX, imm the map's index;
 *  - ld_imm64 of global data: src_reg BPF_PSEUDO_MAP_IDX_VALUE, imm the data map's index,
 *    the second half's imm the offset inside the section (the addend clang left in the
 *    first half plus the symbol's value);
 *  - __kconfig variables: the same, into the .kconfig map, at the offset libbpf gives the
 *    extern: externs sorted by alignment (largest first), then size (smallest first),
 *    then name, each placed at the next multiple of its alignment;
 *  - typed __ksym variables: src_reg BPF_PSEUDO_BTF_ID, imm the kernel's BTF id of the
 *    variable (second half 0: vmlinux); typeless ones take their kallsyms address, which
 *    only the live kernel knows (left 0 here); weak ones the kernel lacks read as 0;
 *  - calls of __ksym functions: src_reg BPF_PSEUDO_KFUNC_CALL, imm the kernel's BTF id of
 *    the function, off 0 (vmlinux); a weak one the kernel lacks becomes imm 0, off 0.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "link/link_int.h"

struct kcfg_ext {
	size_t idx;
	const char *name;
	int64_t size, align;
};

static int cmp_kcfg(const void *a, const void *b)
{
	const struct kcfg_ext *x = a, *y = b;

	if (x->align != y->align)
		return x->align > y->align ? -1 : 1;
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * The alignment of BTF type `id`, as libbpf's btf__align_of() computes it (ints and enums
 * by size up to 8, pointers 8, arrays by element, structs and unions by their most aligned
 * member, 1 when packed), but safe on an untrusted object's BTF: libbpf 1.1's version
 * follows member and element ids without checking them (a fuzzed .BTF crashed it), and
 * this one also bounds the modifier and array chains.  0 when it cannot tell.
 */
static int64_t link_btf_align(const struct btf *btf, uint32_t id, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	int64_t max = 1;

	if (!t || depth > 32)
		return 0;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return t->size >= 1 && t->size <= 8 ? t->size : t->size > 8 ? 8 : 0;
	case BTF_KIND_PTR:
		return 8;
	case BTF_KIND_ARRAY:
		return link_btf_align(btf, btf_array(t)->type, depth + 1);
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return link_btf_align(btf, t->type, depth + 1);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const struct btf_member *m = btf_members(t);

		for (unsigned i = 0; i < btf_vlen(t); i++, m++) {
			int64_t a = link_btf_align(btf, m->type, depth + 1);

			if (a <= 0)
				return 0;
			if (btf_member_bit_offset(t, i) % (a * 8))
				return 1; /* packed */
			if (a > max)
				max = a;
		}
		return t->size % max ? 1 : max;
	}
	default:
		return 0;
	}
}

int link_kconfig_layout(struct link_ctx *c)
{
	const struct obj_file *obj = c->obj;
	struct kcfg_ext *v;
	size_t n = 0;
	uint64_t off = 0;

	c->kconfig_size = 0;
	if (!obj->nr_externs || !obj->btf)
		return 0;
	c->kconfig_off = calloc(obj->nr_externs, sizeof(*c->kconfig_off));
	v = calloc(obj->nr_externs, sizeof(*v));
	if (!c->kconfig_off || !v) {
		free(v);
		return -ENOMEM;
	}
	for (size_t i = 0; i < obj->nr_externs; i++) {
		const struct obj_extern *e = &obj->externs[i];
		int64_t sz, al;

		if (e->kind != OBJ_EXTERN_KCONFIG || !e->type_id)
			continue;
		al = link_btf_align(obj->btf, e->type_id, 0); /* checks the ids first */
		if (al <= 0)
			continue;
		sz = btf__resolve_size(obj->btf, e->type_id);
		if (sz <= 0)
			continue;
		v[n++] = (struct kcfg_ext){i, e->name, sz, al};
	}
	qsort(v, n, sizeof(*v), cmp_kcfg);
	for (size_t i = 0; i < n; i++) {
		off =
		    (off + (uint64_t)v[i].align - 1) / (uint64_t)v[i].align * (uint64_t)v[i].align;
		c->kconfig_off[v[i].idx] = (uint32_t)off;
		off += (uint64_t)v[i].size;
	}
	c->kconfig_size = (uint32_t)off;
	free(v);
	return (int)n;
}

uint8_t *link_kconfig_values(struct link_ctx *c)
{
	const struct obj_file *obj = c->obj;
	const struct check_kconfig *kc = c->opts ? c->opts->kconfig : NULL;
	uint8_t *data;

	if (!kc || !c->kconfig_size || !c->kconfig_off)
		return NULL;
	data = calloc(1, c->kconfig_size);
	for (size_t i = 0; data && i < obj->nr_externs; i++) {
		const struct obj_extern *e = &obj->externs[i];
		struct check_kcfg_ext ext = {.name = e->name, .weak = e->weak};
		char why[160];
		int r;

		if (e->kind != OBJ_EXTERN_KCONFIG)
			continue;
		if (check_kcfg_type(obj->btf, e->type_id, &ext) ||
		    (uint64_t)c->kconfig_off[i] + ext.size > c->kconfig_size) {
			free(data);
			return NULL;
		}
		ext.name = e->name;
		ext.weak = e->weak;
		r = check_kcfg_resolve(&ext, kc, data + c->kconfig_off[i], why, sizeof(why));
		/* 1: unset, zero (weak) or a failed load (strong, reported by the checks) */
		if (r < 0 || r == 2 || (r == 1 && !e->weak)) {
			free(data);
			return NULL;
		}
	}
	return data;
}

static bool is_ldimm64(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static int reloc_error(struct link_ctx *c, const struct obj_prog *p, const struct obj_reloc *r,
                       const char *what)
{
	struct diag_loc loc = obj_line_for_insn(p, r->insn_idx);

	diag_errorf(c->sink, "link-bad-reloc", &loc,
	            "instruction %u of '%s', relocation against '%.128s': %s", r->insn_idx, p->name,
	            r->sym->name ? r->sym->name : "", what);
	return -EINVAL;
}

/* A kernel name in vmlinux, then the modules; the id, its BTF and the fd_array slot
 * libbpf gives the module (0: vmlinux). */
static int kernel_find(struct link_ctx *c, const char *name, unsigned kind, const struct btf **btf,
                       int *slot)
{
	struct check_kernel_btf *k = c->opts ? c->opts->kernel : NULL;
	const char *module = NULL;
	int id;

	*slot = 0;
	*btf = c->target;
	if (!k)
		return c->target ? btf__find_by_name_kind(c->target, name, kind) : -ENOENT;
	id = check_kernel_btf_find(k, name, kind, btf, &module);
	if (id > 0 && module)
		*slot = check_kernel_btf_module_index(k, module) + 1;
	return id;
}

static int ksym_var(struct link_ctx *c, const struct obj_prog *p, const struct obj_reloc *r,
                    const struct obj_extern *e, struct bpf_insn *in)
{
	const struct btf_type *t = e->type_id ? btf__type_by_id(c->obj->btf, e->type_id) : NULL;
	const struct btf *kb;
	int id, slot;

	if (e->is_func && c->target) {
		/* the address of a kfunc (a __weak one's existence test) */
		id = btf__find_by_name_kind(c->target, e->name, BTF_KIND_FUNC);
		in[0].src_reg = id > 0 ? BPF_PSEUDO_BTF_ID : 0;
		in[0].imm = id > 0 ? id : 0;
		in[1].imm = 0;
		return 0;
	}
	if (!t || btf_is_void(t) || !c->target) {
		in[0].imm = 0; /* typeless: its kallsyms address; unknown here */
		in[1].imm = 0;
		return 0;
	}
	id = kernel_find(c, e->name, BTF_KIND_VAR, &kb, &slot);
	if (id > 0) {
		in[0].src_reg = BPF_PSEUDO_BTF_ID;
		in[0].imm = id;
		in[1].imm = slot; /* the module's BTF fd slot, 0 for vmlinux */
		return 0;
	}
	if (!e->weak)
		return reloc_error(c, p, r, "no such variable in the kernel's BTF");
	in[0].imm = 0;
	in[1].imm = 0;
	return 0;
}

static int kfunc_call(struct link_ctx *c, const struct obj_prog *p, const struct obj_reloc *r,
                      const struct obj_extern *e, struct bpf_insn *in)
{
	const struct btf *kb;
	int slot, id = kernel_find(c, e->name, BTF_KIND_FUNC, &kb, &slot);

	in->src_reg = BPF_PSEUDO_KFUNC_CALL;
	in->off = 0;
	if (id > 0 && e->type_id &&
	    !check_btf_types_compat(c->obj->btf, e->type_id, kb,
	                            btf__type_by_id(kb, (uint32_t)id)->type))
		return reloc_error(c, p, r, "kfunc prototype incompatible with the kernel's");
	if (id > 0) {
		in->imm = id;
		in->off = (int16_t)slot;
		return 0;
	}
	if (c->target && !e->weak)
		return reloc_error(c, p, r, "no such kfunc in the kernel's BTF");
	in->imm = 0;
	return 0;
}

int link_data_relocs(struct link_ctx *c, const struct obj_prog *p, size_t base)
{
	const struct obj_file *obj = c->obj;

	for (size_t i = 0; i < p->nr_relocs; i++) {
		const struct obj_reloc *r = &p->relocs[i];
		struct bpf_insn *in = &c->out->insns[base + r->insn_idx];
		const struct obj_extern *e;
		int err = 0;

		switch (r->kind) {
		case OBJ_RELOC_CALL:
		case OBJ_RELOC_SUBPROG_ADDR:
			continue;
		case OBJ_RELOC_MAP:
		case OBJ_RELOC_DATA:
		case OBJ_RELOC_EXTERN_VAR:
			if (!is_ldimm64(in) || r->insn_idx + 1 >= p->insn_cnt || r->target < 0)
				return reloc_error(c, p, r, "not an ld_imm64 of a known symbol");
			break;
		case OBJ_RELOC_EXTERN_FUNC:
			if (r->target < 0)
				return reloc_error(c, p, r, "unknown extern");
			break;
		default:
			return reloc_error(c, p, r, "not a map, global data, subprogram or extern");
		}
		switch (r->kind) {
		case OBJ_RELOC_MAP:
			in[0].src_reg = BPF_PSEUDO_MAP_IDX;
			in[0].imm = c->map_index[r->target];
			break;
		case OBJ_RELOC_DATA:
			in[1].imm = in[0].imm + (int32_t)r->sym->value;
			in[0].src_reg = BPF_PSEUDO_MAP_IDX_VALUE;
			in[0].imm = (int32_t)obj->nr_maps + r->target;
			break;
		case OBJ_RELOC_EXTERN_VAR:
			e = &obj->externs[r->target];
			if (e->kind == OBJ_EXTERN_KCONFIG) {
				if (c->kconfig_map < 0)
					return reloc_error(c, p, r,
					                   "__kconfig extern without BTF type");
				in[0].src_reg = BPF_PSEUDO_MAP_IDX_VALUE;
				in[0].imm = c->kconfig_map;
				in[1].imm = (int32_t)c->kconfig_off[r->target];
			} else {
				err = ksym_var(c, p, r, e, in);
			}
			break;
		case OBJ_RELOC_EXTERN_FUNC:
			err = kfunc_call(c, p, r, &obj->externs[r->target], in);
			break;
		default:
			break;
		}
		if (err)
			return err;
	}
	return 0;
}
