/*
 * link.c - link_program(): one entry program as libbpf's bpf_object__relocate() would
 * load it.
 *
 * libbpf works on a copy of each function's instructions in three passes, and so do we:
 *
 *  1. CO-RE (bpf_object__relocate_core): each relocated instruction gets the target
 *     kernel's value (ALU imm, load/store offset and size, ld_imm64 value), or is poisoned
 *     when nothing matched (link_core.c).
 *  2. data (bpf_object__relocate_data): ld_imm64 of a map becomes a map reference, of
 *     global data a map-value reference with the variable's offset in the second half,
 *     of a __kconfig extern a map-value reference into the .kconfig map, of a typed
 *     __ksym variable a BTF id of the kernel; calls of __ksym functions become kfunc calls
 *     with the kernel's BTF id.  libbpf puts map fds in the instructions
 *     (BPF_PSEUDO_MAP_FD/_VALUE); we put indexes into link_prog.maps
 *     (BPF_PSEUDO_MAP_IDX/_IDX_VALUE), the form libbpf's light skeleton loader uses.
 *  3. code (bpf_object__reloc_code): the .text subprograms the program reaches are
 *     appended, each once, depth-first in order of first reference, and every call and
 *     function address gets its offset relative to the instruction (imm = target - pc - 1).
 *
 * link_prog.maps lists the object's maps in libbpf's order (bpf_object__init_maps):
 * the .maps definitions in the order of the BTF DATASEC ".maps" (not the symbols'), then
 * one array map per global data section in section order,
 * then the .kconfig map if there are __kconfig externs.  So a map index here is the
 * position of the map in bpf_object__for_each_map().
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "elf/object.h"
#include "link/link.h"
#include "link/link_int.h"

/*
 * libbpf creates the .maps definitions in the order of the variables of the BTF DATASEC
 * ".maps" (not of the symbols); maps no DATASEC variable names (none in practice) follow.
 */
static void order_user_maps(struct link_ctx *c)
{
	const struct obj_file *obj = c->obj;
	size_t n = 0;
	int sec = obj->btf ? btf__find_by_name_kind(obj->btf, ".maps", BTF_KIND_DATASEC) : -1;

	for (size_t i = 0; i < obj->nr_maps; i++)
		c->map_index[i] = -1;
	if (sec > 0) {
		const struct btf_type *t = btf__type_by_id(obj->btf, (uint32_t)sec);
		const struct btf_var_secinfo *vi = btf_var_secinfos(t);

		for (unsigned k = 0; k < btf_vlen(t); k++, vi++)
			for (size_t i = 0; i < obj->nr_maps; i++)
				if (c->map_index[i] < 0 && obj->maps[i].btf_var_id == vi->type)
					c->map_index[i] = (int)n++;
	}
	for (size_t i = 0; i < obj->nr_maps; i++)
		if (c->map_index[i] < 0)
			c->map_index[i] = (int)n++;
}

static int add_maps(struct link_ctx *c)
{
	const struct obj_file *obj = c->obj;
	size_t n = obj->nr_maps + obj->nr_datas + 1;
	struct link_map *m = calloc(n, sizeof(*m));

	c->map_index = calloc(obj->nr_maps + 1, sizeof(*c->map_index));
	if (!m || !c->map_index) {
		free(m);
		return -ENOMEM;
	}
	c->out->maps = m;
	order_user_maps(c);
	for (size_t i = 0; i < obj->nr_maps; i++) {
		const struct obj_map *om = &obj->maps[i];

		m[c->map_index[i]] = (struct link_map){.name = om->name,
		                                       .type = om->type,
		                                       .key_size = om->key_size,
		                                       .value_size = om->value_size,
		                                       .max_entries = om->max_entries,
		                                       .map_flags = om->map_flags,
		                                       .obj_map = (int)i,
		                                       .obj_data = -1};
	}
	m += obj->nr_maps;
	for (size_t i = 0; i < obj->nr_datas; i++, m++) {
		const struct obj_data *d = &obj->datas[i];
		uint32_t flags = CHECK_F_MMAPABLE;

		if (d->kind == OBJ_DATA_RODATA)
			flags |= CHECK_F_RDONLY_PROG;
		*m = (struct link_map){.name = d->name,
		                       .type = BPF_MAP_TYPE_ARRAY,
		                       .key_size = 4,
		                       .value_size = (uint32_t)d->size,
		                       .max_entries = 1,
		                       .map_flags = flags,
		                       .obj_map = -1,
		                       .obj_data = (int)i};
	}
	c->out->nr_maps = obj->nr_maps + obj->nr_datas;
	c->kconfig_map = -1;
	if (link_kconfig_layout(c) > 0) {
		c->kconfig_map = (int)c->out->nr_maps;
		*m = (struct link_map){.name = ".kconfig",
		                       .type = BPF_MAP_TYPE_ARRAY,
		                       .key_size = 4,
		                       .value_size = c->kconfig_size,
		                       .max_entries = 1,
		                       .map_flags = CHECK_F_MMAPABLE | CHECK_F_RDONLY_PROG,
		                       .obj_map = -1,
		                       .obj_data = -1};
		m->kconfig_value = c->out->kconfig_data = link_kconfig_values(c);
		c->out->nr_maps++;
	}
	return 0;
}

static int grow(struct link_ctx *c, size_t need)
{
	struct link_prog *lp = c->out;
	size_t cap = c->cap ? c->cap : 64;
	void *a, *b, *d;

	if (need <= c->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	a = realloc(lp->insns, cap * sizeof(*lp->insns));
	if (a)
		lp->insns = a;
	b = realloc(lp->origin_prog, cap * sizeof(*lp->origin_prog));
	if (b)
		lp->origin_prog = b;
	d = realloc(lp->origin_insn, cap * sizeof(*lp->origin_insn));
	if (d)
		lp->origin_insn = d;
	if (!a || !b || !d)
		return -ENOMEM;
	c->cap = cap;
	return 0;
}

/* Appends function `p` (a copy, CO-RE applied) and records where it starts. */
static int append(struct link_ctx *c, const struct obj_prog *p, size_t slot)
{
	struct link_prog *lp = c->out;
	size_t base = lp->insn_cnt;
	int err = grow(c, base + p->insn_cnt);

	if (err)
		return err;
	memcpy(lp->insns + base, p->insns, p->insn_cnt * sizeof(*lp->insns));
	for (size_t i = 0; i < p->insn_cnt; i++) {
		lp->origin_prog[base + i] = p;
		lp->origin_insn[base + i] = (uint32_t)i;
	}
	lp->insn_cnt += p->insn_cnt;
	c->funcs[slot] = p;
	c->func_off[slot] = base;
	c->nr_funcs = slot + 1;
	return link_core_apply(c, p, lp->insns + base);
}

static size_t func_offset(const struct link_ctx *c, const struct obj_prog *p, bool *found)
{
	for (size_t i = 0; i < c->nr_funcs; i++)
		if (c->funcs[i] == p) {
			*found = true;
			return c->func_off[i];
		}
	*found = false;
	return 0;
}

/* Pass 3: calls and function addresses, relative to the instruction. */
static int fix_calls(struct link_ctx *c, size_t slot)
{
	const struct obj_prog *p = c->funcs[slot];
	size_t base = c->func_off[slot];

	for (size_t i = 0; i < p->insn_cnt; i++) {
		struct bpf_insn *in = &c->out->insns[base + i];
		const struct obj_prog *callee;
		size_t target;
		bool found;
		int r = check_find_callee(c->obj, p, i, &callee);

		if (r == -ENOENT)
			continue;
		if (r < 0) {
			struct diag_loc loc = obj_line_for_insn(p, i);

			diag_errorf(
			    c->sink, "link-bad-call", &loc,
			    "instruction %zu of '%s' calls or takes the address of something "
			    "that is not the start of a .text function",
			    i, p->name);
			return -EINVAL;
		}
		target = func_offset(c, callee, &found);
		if (!found)
			return -EINVAL; /* the walk below appends every callee first */
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW))
			in->src_reg = BPF_PSEUDO_FUNC;
		in->imm = (int32_t)((int64_t)target - (int64_t)(base + i) - 1);
	}
	return 0;
}

int link_program(const struct obj_file *obj, const struct obj_prog *prog,
                 const struct link_options *opts, struct link_prog *out, struct diag_sink *sink)
{
	struct link_ctx c = {.obj = obj, .opts = opts, .sink = sink, .out = out};
	const struct check_section *sec;
	const struct obj_prog **order = NULL;
	size_t n;
	int err;

	memset(out, 0, sizeof(*out));
	out->prog = prog;
	out->expected_attach_type = -1;
	if (!obj || !prog)
		return -EINVAL;
	c.target = opts ? opts->target_btf : NULL;
	if (check_section_lookup(prog->section, &sec) == 0) {
		out->prog_type = sec->prog_type;
		out->expected_attach_type = sec->attach_type;
	}
	order = calloc(obj->nr_subprogs + 1, sizeof(*order));
	c.funcs = calloc(obj->nr_subprogs + 1, sizeof(*c.funcs));
	c.func_off = calloc(obj->nr_subprogs + 1, sizeof(*c.func_off));
	err = !order || !c.funcs || !c.func_off ? -ENOMEM : 0;
	err = err ?: add_maps(&c);
	if (!err) {
		n = check_reached_subprogs(obj, prog, order);
		err = append(&c, prog, 0);
		for (size_t i = 0; i < n && !err; i++)
			err = append(&c, order[i], i + 1);
	}
	for (size_t i = 0; i < c.nr_funcs && !err; i++)
		err = link_data_relocs(&c, c.funcs[i], c.func_off[i]);
	for (size_t i = 0; i < c.nr_funcs && !err; i++)
		err = fix_calls(&c, i);
	free(order);
	free(c.funcs);
	free(c.func_off);
	free(c.kconfig_off);
	free(c.map_index);
	if (err)
		link_prog_free(out);
	return err;
}

void link_prog_free(struct link_prog *lp)
{
	if (!lp)
		return;
	free(lp->insns);
	free(lp->origin_prog);
	free(lp->origin_insn);
	free(lp->maps);
	free(lp->kconfig_data);
	memset(lp, 0, sizeof(*lp));
}

bool link_loc(void *ctx, size_t insn, struct diag_loc *out)
{
	const struct link_prog *lp = ctx;

	if (!lp || insn >= lp->insn_cnt)
		return false;
	*out = obj_line_for_insn(lp->origin_prog[insn], lp->origin_insn[insn]);
	return out->line != 0;
}
