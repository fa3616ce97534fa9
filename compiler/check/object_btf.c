/*
 * object_btf.c - the BTF side of check_object(): the object's own BTF and BTF.ext, and
 * everything that is looked up in the target kernel's BTF.
 *
 *  - No .BTF: libbpf cannot read BTF-defined maps (it fails the open when there is a
 *    .maps section) and has nothing to apply CO-RE with; programs still load otherwise.
 *  - func_info: the kernel wants exactly one record per function, at the function's first
 *    instruction ("number of funcs in func_info doesn't match number of subprogs").
 *  - line_info: the first record at the function's first instruction, offsets strictly
 *    increasing, never on the second half of an ld_imm64 ("Invalid line_info").
 *  - BTF-attached programs (fentry, fexit, fmod_ret, lsm, tp_btf, iter) are loaded against
 *    a kernel BTF id libbpf looks up by name (lsm: "bpf_lsm_<hook>", tp_btf: the typedef
 *    "btf_trace_<tp>", iter: "bpf_iter_<name>"); a missing one fails the load.
 *  - (externs are checked in externs.c)
 *  - CO-RE relocations that no type of the target BTF satisfies.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/check_int.h"
#include "elf/object.h"

#define NAME_MAX_CMP 128

/* Optimal string alignment distance, capped: both strings shorter than NAME_MAX_CMP. */
static unsigned name_distance(const char *a, const char *b)
{
	unsigned rows[3][NAME_MAX_CMP + 1];
	unsigned *p2 = rows[0], *p1 = rows[1], *cur = rows[2];
	size_t la = strlen(a), lb = strlen(b);

	if (la >= NAME_MAX_CMP || lb >= NAME_MAX_CMP)
		return ~0u;
	for (size_t j = 0; j <= lb; j++)
		p1[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned *t;

		cur[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned v = p1[j] + 1, cost = a[i - 1] != b[j - 1];

			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (p1[j - 1] + cost < v)
				v = p1[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    p2[j - 2] + 1 < v)
				v = p2[j - 2] + 1;
			cur[j] = v;
		}
		t = p2;
		p2 = p1;
		p1 = cur;
		cur = t;
	}
	return p1[lb];
}

int check_btf_closest(const struct btf *btf, unsigned kind, const char *prefix, const char *name,
                      char *buf, size_t size)
{
	enum { KEEP = 3 };
	const char *best[KEEP] = {0};
	unsigned best_d[KEEP] = {~0u, ~0u, ~0u};
	size_t plen = prefix ? strlen(prefix) : 0, nlen = strlen(name);
	unsigned limit = nlen / 3 + 1, n = 0;

	if (size)
		buf[0] = '\0';
	for (uint32_t id = 1; btf && id < btf__type_cnt(btf); id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *tn;
		unsigned d;

		if (!t || btf_kind(t) != kind)
			continue;
		tn = btf__name_by_offset(btf, t->name_off);
		if (!tn || strncmp(tn, prefix ? prefix : "", plen) != 0)
			continue;
		tn += plen;
		if ((size_t)labs((long)strlen(tn) - (long)nlen) > limit)
			continue;
		d = name_distance(name, tn);
		if (d > limit || d == 0)
			continue;
		for (int k = 0; k < KEEP; k++) {
			if (d < best_d[k]) {
				memmove(&best[k + 1], &best[k], (KEEP - 1 - k) * sizeof(best[0]));
				memmove(&best_d[k + 1], &best_d[k],
				        (KEEP - 1 - k) * sizeof(best_d[0]));
				best[k] = tn;
				best_d[k] = d;
				break;
			}
		}
	}
	for (int k = 0; k < KEEP && best[k]; k++, n++) {
		size_t len = strlen(buf);

		if (len < size)
			snprintf(buf + len, size - len, "%s'%s'", k ? ", " : "", best[k]);
	}
	return (int)n;
}

static void check_func_info(struct check_ctx *c, const struct obj_prog *p)
{
	struct diag_loc loc = check_insn_loc(c, p, 0);

	if (p->nr_funcs == 1 && p->funcs[0].insn == 0)
		return;
	if (p->nr_funcs == 0)
		diag_errorf(c->sink, "check-btf-func-info", &loc,
		            "function '%s' has no func_info record in .BTF.ext: the kernel refuses "
		            "the program (\"number of funcs in func_info doesn't match number of "
		            "subprogs\")",
		            p->name);
	else
		diag_errorf(c->sink, "check-btf-func-info", &loc,
		            "function '%s' has %zu func_info records, the first at instruction %u; "
		            "the kernel wants exactly one, at the function's first instruction",
		            p->name, p->nr_funcs, p->funcs[0].insn);
}

static bool is_ldimm64(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static void check_line_info(struct check_ctx *c, const struct obj_prog *p)
{
	struct diag_loc loc = {.file = c->obj->name};

	if (!p->nr_lines) {
		diag_errorf(c->sink, "check-btf-line-info", &loc,
		            "function '%s' has no line_info record: the kernel refuses programs "
		            "whose functions do not all start with one",
		            p->name);
		return;
	}
	if (p->lines[0].insn != 0)
		diag_errorf(c->sink, "check-btf-line-info", &loc,
		            "the first line_info record of '%s' is at instruction %u, not at the "
		            "function's start (the kernel: \"Invalid line_info[0].insn_off\")",
		            p->name, p->lines[0].insn);
	for (size_t i = 0; i < p->nr_lines; i++) {
		uint32_t insn = p->lines[i].insn;

		if (insn >= p->insn_cnt || (i && insn <= p->lines[i - 1].insn)) {
			diag_errorf(c->sink, "check-btf-line-info", &loc,
			            "line_info record %zu of '%s' (instruction %u) is out of order "
			            "or outside the function (%zu instructions)",
			            i, p->name, insn, p->insn_cnt);
			return;
		}
		if (insn > 0 && is_ldimm64(&p->insns[insn - 1]) &&
		    !(insn > 1 && is_ldimm64(&p->insns[insn - 2]))) {
			diag_errorf(c->sink, "check-btf-line-info", &loc,
			            "line_info record %zu of '%s' points into the middle of the "
			            "ld_imm64 at instruction %u",
			            i, p->name, insn - 1);
			return;
		}
	}
}

void check_obj_btf(struct check_ctx *c)
{
	const struct obj_file *obj = c->obj;
	bool any_func = false, any_line = false;
	struct diag_loc loc = {.file = obj->name};

	if (!obj->btf) {
		if (obj->maps_sec >= 0)
			diag_errorf(c->sink, "check-btf-missing", &loc,
			            "the object has BTF-defined maps (.maps) but no .BTF section: "
			            "libbpf cannot read them and refuses the object");
		else if (!obj->nr_externs) /* else check-extern-no-btf says it */
			diag_warnf(
			    c->sink, "check-btf-missing", &loc,
			    "the object has no .BTF section: libbpf will not load BTF-defined "
			    "maps or apply CO-RE relocations without it (compile with -g)");
		return;
	}
	for (size_t i = 0; i < obj->nr_progs; i++) {
		any_func |= obj->progs[i].nr_funcs > 0;
		any_line |= obj->progs[i].nr_lines > 0;
	}
	for (size_t i = 0; i < obj->nr_subprogs; i++) {
		any_func |= obj->subprogs[i].nr_funcs > 0;
		any_line |= obj->subprogs[i].nr_lines > 0;
	}
	/* The kernel checks func_info and line_info only when they are given at all. */
	for (size_t i = 0; i < obj->nr_progs + obj->nr_subprogs; i++) {
		const struct obj_prog *p =
		    i < obj->nr_progs ? &obj->progs[i] : &obj->subprogs[i - obj->nr_progs];

		if (any_func)
			check_func_info(c, p);
		if (any_line)
			check_line_info(c, p);
	}
}

/* The BTF name libbpf looks up for a BTF-attached program, and its kind. */
static const char *attach_prefix(int32_t attach_type, unsigned *kind)
{
	*kind = BTF_KIND_FUNC;
	switch (attach_type) {
	case CHECK_ATTACH_TRACE_RAW_TP:
		*kind = BTF_KIND_TYPEDEF;
		return "btf_trace_";
	case CHECK_ATTACH_LSM_MAC:
	case CHECK_ATTACH_LSM_CGROUP:
		return "bpf_lsm_";
	case CHECK_ATTACH_TRACE_ITER:
		return "bpf_iter_";
	default:
		return "";
	}
}

void check_obj_attach_target(struct check_ctx *c, const struct obj_prog *p,
                             const struct check_section *sec)
{
	const struct btf *tb = c->opts ? c->opts->target_btf : NULL;
	char full[256], near[512];
	const char *tgt, *prefix, *section = check_section_base(p->section);
	unsigned kind;
	size_t plen = strlen(sec->pattern);

	if (!tb || sec->target != CHECK_TGT_BTF || !(sec->flags & CHECK_SEC_KERNEL_BTF) ||
	    !section || strncmp(section, sec->pattern, plen) != 0 || section[plen] != '/')
		return;
	tgt = section + plen + 1;
	if (!*tgt)
		return;
	prefix = attach_prefix(sec->attach_type, &kind);
	snprintf(full, sizeof(full), "%s%s", prefix, tgt);
	if (check_kernel_find(c, full, kind, &tb, NULL) > 0)
		return;
	tb = c->opts->target_btf;

	char msg[512], hint[640];
	struct diag d = {
	    .level = DIAG_ERROR,
	    .rule = "check-attach-target",
	    .loc = check_insn_loc(c, p, 0),
	    .program = p->name,
	    .section = p->section,
	    .insn = -1,
	    .message = msg,
	    .explanation = "libbpf looks the target up by name in the kernel's BTF and fails "
	                   "the load when it is not there (\"failed to find kernel BTF type ID\")",
	    .hint = NULL,
	};
	snprintf(msg, sizeof(msg), "the target kernel has no %s '%s' for SEC(\"%s\")",
	         kind == BTF_KIND_TYPEDEF ? "BTF tracepoint" : "function", full, p->section);
	if (check_btf_closest(tb, kind, prefix, tgt, near, sizeof(near)) > 0) {
		snprintf(hint, sizeof(hint), "closest names: %s", near);
		d.hint = hint;
	}
	diag_emit(c->sink, &d);
}

/*
 * Is the failed relocation `r` guarded, i.e. does the function also ask whether some type,
 * field or enumerator exists?  Then the poisoned instruction is most likely on the branch
 * not taken on this kernel, and only exploring the paths can tell (the kernel rejects the
 * poisoned call only where it can run).  The guard often names another type than the
 * access: `bpf_core_field_exists(t->__state)` on task_struct guards a read through the
 * flavour task_struct___old, so any existence test in the function counts.
 */
static bool core_guarded(const struct obj_prog *p, const struct obj_core_relo *r)
{
	(void)r;
	for (size_t i = 0; i < p->nr_core_relos; i++) {
		const struct obj_core_relo *e = &p->core_relos[i];

		switch (e->kind) {
		case CHECK_CORE_FIELD_EXISTS:
		case CHECK_CORE_TYPE_EXISTS:
		case CHECK_CORE_ENUMVAL_EXISTS:
		case CHECK_CORE_TYPE_MATCHES:
			return true;
		default:
			break;
		}
	}
	return false;
}

void check_obj_core(struct check_ctx *c, const struct obj_prog *p)
{
	const struct btf *tb = c->opts ? c->opts->target_btf : NULL;

	if (!p->nr_core_relos || !c->obj->btf)
		return;
	for (size_t i = 0; i < p->nr_core_relos; i++) {
		const struct obj_core_relo *r = &p->core_relos[i];
		struct check_core_res res;
		const char *why = NULL;
		struct diag_loc loc = check_insn_loc(c, p, r->insn);
		int err = check_core_calc_idx(c->obj->btf, r, tb, c->opts->core_index, &res, &why);

		if (err) {
			diag_errorf(c->sink, "check-core-bad", &loc,
			            "CO-RE relocation %zu of '%s' (%s, access \"%.64s\"): %s", i,
			            p->name, obj_core_relo_kind_name(r->kind), r->access,
			            why ? why : "cannot be resolved");
			continue;
		}
		if (!tb || !res.poison)
			continue;
		bool guarded = core_guarded(p, r);
		char msg[384], kmsg[400];
		struct diag d = {
		    .level = guarded ? DIAG_WARNING : DIAG_ERROR,
		    .rule = "check-core-unresolved",
		    .loc = loc,
		    .program = p->name,
		    .section = p->section,
		    .insn = (int)r->insn,
		    .message = msg,
		    .kernel_msg = res.kernel_spec[0] ? kmsg : NULL,
		    .explanation = "libbpf replaces the instruction with a call of an invalid "
		                   "helper (0xbad2310); the kernel rejects the program if that "
		                   "instruction can run",
		    .hint = guarded ? "the function asks whether this type exists: fine if that "
		                      "check keeps the access from running on this kernel"
		                    : "guard the access with bpf_core_field_exists() or use a "
		                      "field the target kernel has",
		};
		snprintf(kmsg, sizeof(kmsg), "failed to resolve CO-RE relocation %s",
		         res.kernel_spec);
		snprintf(msg, sizeof(msg),
		         "CO-RE relocation '%s' (%s) cannot be resolved on the "
		         "target kernel: no matching type or field",
		         res.spec, obj_core_relo_kind_name(r->kind));
		diag_emit(c->sink, &d);
	}
}
