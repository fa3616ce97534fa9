/*
 * object.c - check_object(): the object checks of check.h applied to a whole object read
 * by compiler/elf/, in the order libbpf's bpf_object__open() and load meet them.
 *
 * What libbpf refuses while opening (a legacy "maps" section, a section name without a
 * program type, a relocation it cannot classify) and what the kernel refuses before the
 * verifier proper starts (a map definition BPF_MAP_CREATE rejects, a helper the program
 * type does not offer, a GPL-only helper or a kfunc called from a program whose license is
 * not GPL-compatible) are reported here, each at the source line of the instruction or
 * the definition involved.  A call is judged for the program type of every entry program
 * that reaches it (a .text subprogram shared by an XDP and a socket program is checked
 * for both), as the kernel verifies the subprogram as part of each program.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/check_int.h"
#include "elf/object.h"

struct diag_loc check_insn_loc(const struct check_ctx *c, const struct obj_prog *p, size_t insn)
{
	struct diag_loc loc = obj_line_for_insn(p, insn);

	if (!loc.line)
		loc = (struct diag_loc){.file = c->obj->name};
	return loc;
}

static bool selected(const struct check_ctx *c, const char *name)
{
	if (!c->opts || !c->opts->programs)
		return true;
	for (size_t i = 0; i < c->opts->nr_programs; i++)
		if (c->opts->programs[i] && strcmp(c->opts->programs[i], name) == 0)
			return true;
	return false;
}

/* A license section without a NUL is already reported by the reader
 * (elf-license-unterminated): it is not reported a second time here. */
static void check_license_section(struct check_ctx *c)
{
	struct diag_loc loc = {.file = c->obj->name};

	check_license(c->obj->license, c->obj->license_size, true, &loc, c->sink, &c->gpl);
}

/* libbpf's adjustments before BPF_MAP_CREATE that change the kernel's verdict. */
static void map_def_from(const struct obj_map *m, const struct obj_file *obj,
                         struct check_map_def *d)
{
	memset(d, 0, sizeof(*d));
	d->name = m->name;
	d->type = m->type;
	d->key_size = m->key_size;
	d->value_size = m->value_size;
	d->max_entries = m->max_entries;
	d->map_flags = m->map_flags;
	d->map_extra = m->map_extra;
	d->has_btf = m->key_type_id || m->value_type_id;
	switch (m->type) {
	case CHECK_MAP_PERF_EVENT_ARRAY:
		if (!d->max_entries)
			d->max_entries = 1; /* libbpf uses the number of possible CPUs */
		                            /* fall through */
	case CHECK_MAP_PROG_ARRAY:
	case CHECK_MAP_CGROUP_ARRAY:
	case CHECK_MAP_STACK_TRACE:
	case CHECK_MAP_ARRAY_OF_MAPS:
	case CHECK_MAP_HASH_OF_MAPS:
	case CHECK_MAP_DEVMAP:
	case CHECK_MAP_DEVMAP_HASH:
	case CHECK_MAP_CPUMAP:
	case CHECK_MAP_XSKMAP:
	case CHECK_MAP_SOCKMAP:
	case CHECK_MAP_SOCKHASH:
	case CHECK_MAP_QUEUE:
	case CHECK_MAP_STACK:
	case CHECK_MAP_RINGBUF:
	case CHECK_MAP_USER_RINGBUF:
		d->has_btf = false; /* libbpf drops the key/value BTF ids for these */
		break;
	default:
		break;
	}
	d->loc = m->loc.line ? m->loc : (struct diag_loc){.file = obj->name};
}

/*
 * libbpf (adjust_ringbuf_sz) rounds a ring buffer's size up to a power-of-two multiple of
 * the page size before creating it, so the kernel never sees the size written; 0 if it
 * stays as is (or is 0: then the kernel refuses it).
 */
static uint32_t ringbuf_adjusted(uint32_t sz)
{
	const uint32_t page = 4096;

	if (!sz || (sz % page == 0 && ((sz / page) & (sz / page - 1)) == 0))
		return 0;
	for (uint64_t mul = 1; mul * page <= UINT32_MAX; mul <<= 1)
		if (mul * page > sz)
			return (uint32_t)(mul * page);
	return 0;
}

static void check_maps(struct check_ctx *c)
{
	for (size_t i = 0; i < c->obj->nr_maps; i++) {
		const struct obj_map *m = &c->obj->maps[i];
		struct check_map_def d, inner;
		uint32_t rb;

		map_def_from(m, c->obj, &d);
		if ((m->type == CHECK_MAP_RINGBUF || m->type == CHECK_MAP_USER_RINGBUF) &&
		    (rb = ringbuf_adjusted(m->max_entries))) {
			diag_warnf(
			    c->sink, "check-map-ringbuf-size", &d.loc,
			    "ring buffer '%s': max_entries %u is not a power-of-two multiple "
			    "of the page size; libbpf creates it with %u (other loaders pass "
			    "it as is and the kernel refuses it)",
			    m->name, m->max_entries, rb);
			d.max_entries = rb;
		}
		if (m->inner) {
			map_def_from(m->inner, c->obj, &inner);
			d.inner = &inner;
		}
		check_map_def(&d, c->sink);
	}
}

static const char *reloc_sym_name(const struct obj_reloc *r)
{
	return r->sym->name && *r->sym->name ? r->sym->name : "<unnamed>";
}

static bool has_unknown_reloc(const struct obj_prog *p, size_t insn)
{
	for (size_t i = 0; i < p->nr_relocs; i++)
		if (p->relocs[i].insn_idx == insn && p->relocs[i].kind != OBJ_RELOC_CALL &&
		    p->relocs[i].kind != OBJ_RELOC_SUBPROG_ADDR)
			return true;
	return false;
}

/* Relocations libbpf could not classify, and calls/addresses that lead nowhere. */
static void check_relocs(struct check_ctx *c, const struct obj_prog *p)
{
	for (size_t i = 0; i < p->nr_relocs; i++) {
		const struct obj_reloc *r = &p->relocs[i];
		struct diag_loc loc = check_insn_loc(c, p, r->insn_idx);

		if (r->kind != OBJ_RELOC_UNKNOWN && (r->target >= 0 || r->kind == OBJ_RELOC_CALL ||
		                                     r->kind == OBJ_RELOC_SUBPROG_ADDR))
			continue;
		struct diag d = {
		    .level = DIAG_ERROR,
		    .rule = "check-reloc-unknown",
		    .loc = loc,
		    .program = p->name,
		    .section = p->section,
		    .insn = (int)r->insn_idx,
		    .message = NULL,
		    .explanation = "libbpf resolves a relocation only against a map in .maps, "
		                   "global data, a .text function or a __kconfig/__ksym extern; "
		                   "anything else fails bpf_object__open()",
		};
		char msg[320];

		snprintf(msg, sizeof(msg),
		         "instruction %u of '%s' refers to '%.128s', which is not a map, global "
		         "data, a subprogram or a declared extern",
		         r->insn_idx, p->name, reloc_sym_name(r));
		d.message = msg;
		diag_emit(c->sink, &d);
	}
	for (size_t i = 0; i < p->insn_cnt; i++) {
		const struct obj_prog *callee;

		if (check_find_callee(c->obj, p, i, &callee) != -EINVAL || has_unknown_reloc(p, i))
			continue; /* fine, or reported above */
		struct diag_loc loc = check_insn_loc(c, p, i);

		diag_errorf(
		    c->sink, "check-reloc-call", &loc,
		    "instruction %zu of '%s' calls or takes the address of something that is "
		    "not the start of a .text function",
		    i, p->name);
	}
}

static void report_kfunc_gpl(struct check_ctx *c, const struct obj_prog *entry,
                             const struct obj_prog *p, size_t base, size_t insn, const char *name)
{
	char msg[256];

	snprintf(msg, sizeof(msg),
	         "kfunc %.128s called from '%s', whose license is not GPL-compatible", name,
	         entry->name);
	struct diag d = {
	    .level = DIAG_ERROR,
	    .rule = "check-kfunc-gpl",
	    .loc = check_insn_loc(c, p, insn),
	    .program = entry->name,
	    .section = entry->section,
	    .insn = (int)(base + insn),
	    .message = msg,
	    .kernel_msg = "cannot call kernel function from non-GPL compatible program",
	    .explanation = "the kernel lets only GPL-compatible programs call kernel functions",
	    .hint = "use a GPL-compatible license: char LICENSE[] SEC(\"license\") = \"GPL\";",
	};
	diag_emit(c->sink, &d);
}

static const char *kfunc_name(const struct obj_prog *p, size_t insn)
{
	for (size_t i = 0; i < p->nr_relocs; i++)
		if (p->relocs[i].insn_idx == insn && p->relocs[i].kind == OBJ_RELOC_EXTERN_FUNC)
			return reloc_sym_name(&p->relocs[i]);
	return NULL;
}

/* Helper and kfunc calls of `p` (the entry program or one it reaches, placed at `base` in
 * the linked program). */
static void check_calls(struct check_ctx *c, const struct obj_prog *entry,
                        const struct check_section *sec, const struct obj_prog *p, size_t base)
{
	for (size_t i = 0; i < p->insn_cnt; i++) {
		const struct bpf_insn *in = &p->insns[i];
		const char *kf;

		if (in->code != (BPF_JMP | BPF_CALL))
			continue;
		kf = kfunc_name(p, i);
		if (in->src_reg == 0 && !kf) {
			struct diag where = {.loc = check_insn_loc(c, p, i),
			                     .program = entry->name,
			                     .section = entry->section,
			                     .insn = (int)(base + i)};
			const struct check_helper *h = check_helper_by_id((uint32_t)in->imm);

			if (sec)
				check_helper_call_in(sec->prog_type, sec->attach_type,
				                     (uint32_t)in->imm, c->gpl, &where, c->sink);
			else if (!c->gpl && h && h->gpl_only == 1)
				check_helper_call_in(0, CHECK_ATTACH_NONE, (uint32_t)in->imm, false,
				                     &where, c->sink);
		} else if ((in->src_reg == BPF_PSEUDO_KFUNC_CALL || kf) && !c->gpl) {
			report_kfunc_gpl(c, entry, p, base, i, kf ? kf : "(by BTF id)");
		}
	}
}

static bool reached_by_selected(const struct check_ctx *c, const struct obj_prog *sub)
{
	const struct obj_prog **reached = calloc(c->obj->nr_subprogs + 1, sizeof(*reached));
	bool found = false;

	if (!reached)
		return true;
	for (size_t i = 0; i < c->obj->nr_progs && !found; i++) {
		size_t n;

		if (!selected(c, c->obj->progs[i].name))
			continue;
		n = check_reached_subprogs(c->obj, &c->obj->progs[i], reached);
		for (size_t k = 0; k < n; k++)
			found |= reached[k] == sub;
	}
	free(reached);
	return found;
}

static int check_program(struct check_ctx *c, const struct obj_prog *p)
{
	const struct check_section *sec = NULL;
	const struct obj_prog **reached;
	struct diag_loc loc = check_insn_loc(c, p, 0);
	size_t n;

	check_section_name(p->section, p->name, &loc, c->sink, &sec);
	if (sec)
		check_obj_attach_target(c, p, sec);
	reached = calloc(c->obj->nr_subprogs + 1, sizeof(*reached));
	if (!reached)
		return -ENOMEM;
	n = check_reached_subprogs(c->obj, p, reached);
	/* instruction numbers as in the linked program (subprograms appended in this order) */
	check_calls(c, p, sec, p, 0);
	check_obj_ksym_addr(c, p, p, 0);
	for (size_t i = 0, base = p->insn_cnt; i < n; base += reached[i]->insn_cnt, i++) {
		check_calls(c, p, sec, reached[i], base);
		check_obj_ksym_addr(c, p, reached[i], base);
	}
	free(reached);
	return 0;
}

int check_object(const struct obj_file *obj, const struct check_options *opts,
                 struct diag_sink *sink)
{
	struct check_ctx c = {.obj = obj, .opts = opts, .sink = sink};
	unsigned errors;
	int err = 0;

	if (!obj || !sink)
		return -EINVAL;
	errors = diag_error_count(sink);
	if (obj->has_legacy_maps) {
		struct diag_loc loc = {.file = obj->name};

		check_legacy_maps_section(&loc, sink);
	}
	check_license_section(&c);
	check_obj_btf(&c);
	check_maps(&c);
	check_obj_externs(&c);
	for (size_t i = 0; i < obj->nr_progs && !err; i++) {
		if (!selected(&c, obj->progs[i].name))
			continue;
		check_relocs(&c, &obj->progs[i]);
		err = check_program(&c, &obj->progs[i]);
		check_obj_core(&c, &obj->progs[i]);
	}
	/* libbpf relocates every .text function; with a program filter, only those the
	 * selected programs reach are theirs to answer for */
	for (size_t i = 0; i < obj->nr_subprogs && !err; i++) {
		if (opts && opts->programs && !reached_by_selected(&c, &obj->subprogs[i]))
			continue;
		check_relocs(&c, &obj->subprogs[i]);
		check_obj_core(&c, &obj->subprogs[i]);
	}
	if (err)
		return err;
	return diag_error_count(sink) > errors ? -EINVAL : 0;
}
