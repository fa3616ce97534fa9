/*
 * externs.c - the externs of an object as libbpf 1.1 resolves them when it opens and
 * loads it (bpf_object__collect_externs, bpf_object__resolve_externs).
 *
 *  - Every undefined symbol must be described by BTF in DATASEC .kconfig or .ksyms; an
 *    object built without -g has none, and libbpf's open fails on the first extern
 *    ("failed to find BTF for extern").
 *  - __kconfig: the C type must be one libbpf stores values in (check_kcfg_type), and the
 *    value the target kernel's config gives must fit it (check_kcfg_resolve); a strong
 *    CONFIG_ extern the config does not set fails the load, a weak one reads 0.
 *  - __ksym functions (kfuncs) must be BTF functions of the kernel with a compatible
 *    prototype (libbpf's bpf_core_types_are_compat), unless weak and missing;
 *  - typed __ksym variables must be BTF variables of the kernel (weak ones may be missing)
 *    whose type is compatible with the declared one; typeless ones come from kallsyms and
 *    are not looked at here.
 * Each finding points at the first instruction that uses the extern, when one does.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check/check.h"
#include "check/check_int.h"
#include "elf/object.h"

int check_kernel_find(const struct check_ctx *c, const char *name, unsigned kind,
                      const struct btf **btf, const char **module)
{
	const struct btf *tb = c->opts ? c->opts->target_btf : NULL;
	int id;

	if (c->opts && c->opts->kernel)
		return check_kernel_btf_find(c->opts->kernel, name, kind, btf, module);
	*btf = tb;
	if (module)
		*module = NULL;
	id = tb ? btf__find_by_name_kind(tb, name, kind) : -ENOENT;
	return id > 0 ? id : -ENOENT;
}

/* Where extern `idx` is first used: the source line of the first instruction naming it. */
static struct diag_loc extern_loc(const struct check_ctx *c, size_t idx, const char **prog)
{
	const struct obj_file *obj = c->obj;
	struct diag_loc none = {.file = obj->name};

	*prog = NULL;
	for (size_t i = 0; i < obj->nr_progs + obj->nr_subprogs; i++) {
		const struct obj_prog *p =
		    i < obj->nr_progs ? &obj->progs[i] : &obj->subprogs[i - obj->nr_progs];

		for (size_t k = 0; k < p->nr_relocs; k++) {
			const struct obj_reloc *r = &p->relocs[k];

			if ((r->kind == OBJ_RELOC_EXTERN_VAR || r->kind == OBJ_RELOC_EXTERN_FUNC) &&
			    r->target == (int)idx) {
				*prog = p->name;
				return check_insn_loc(c, p, r->insn_idx);
			}
		}
	}
	return none;
}

static void report(struct check_ctx *c, size_t idx, const char *rule, const char *msg,
                   const char *kmsg, const char *explanation, const char *hint)
{
	struct diag d = {
	    .level = DIAG_ERROR,
	    .rule = rule,
	    .insn = -1,
	    .message = msg,
	    .kernel_msg = kmsg,
	    .explanation = explanation,
	    .hint = hint,
	};

	d.loc = extern_loc(c, idx, &d.program);
	diag_emit(c->sink, &d);
}

/* Externs no BTF describes: libbpf's open fails on the first one. */
static bool check_unknown_externs(struct check_ctx *c)
{
	const struct obj_file *obj = c->obj;
	size_t first = obj->nr_externs, more = 0;
	char msg[384], kmsg[256];

	for (size_t i = 0; i < obj->nr_externs; i++) {
		if (obj->externs[i].kind != OBJ_EXTERN_UNKNOWN)
			continue;
		if (first == obj->nr_externs)
			first = i;
		else
			more++;
	}
	if (first == obj->nr_externs)
		return false;
	snprintf(msg, sizeof(msg), "extern '%.128s'%s has no BTF %s: libbpf cannot open the object",
	         obj->externs[first].name, more ? " (and others)" : "",
	         obj->btf ? "in DATASEC '.kconfig' or '.ksyms'" : "(the object has no .BTF)");
	snprintf(kmsg, sizeof(kmsg), "failed to find BTF for extern '%.128s'",
	         obj->externs[first].name);
	report(c, first, "check-extern-no-btf", msg, obj->btf ? NULL : kmsg,
	       "libbpf learns what an extern is (__kconfig value, __ksym variable or kfunc) from "
	       "the object's BTF, and refuses externs it cannot classify",
	       obj->btf ? "declare it with __kconfig or __ksym (bpf_helpers.h)"
	                : "compile with -g so that the object carries BTF");
	return true;
}

static const char *kcfg_type_name(enum check_kcfg_type t)
{
	switch (t) {
	case CHECK_KCFG_CHAR:
		return "char";
	case CHECK_KCFG_BOOL:
		return "bool";
	case CHECK_KCFG_INT:
		return "integer";
	case CHECK_KCFG_TRISTATE:
		return "tristate";
	case CHECK_KCFG_CHAR_ARR:
		return "char array";
	case CHECK_KCFG_UNKNOWN:
		break;
	}
	return "unsupported";
}

static void check_kconfig_extern(struct check_ctx *c, size_t idx)
{
	const struct obj_extern *e = &c->obj->externs[idx];
	const struct check_kconfig *kc = c->opts ? c->opts->kconfig : NULL;
	struct check_kcfg_ext ext = {.name = e->name, .weak = e->weak};
	char why[160], msg[512], kmsg[320];
	int r;

	if (e->is_func) {
		snprintf(msg, sizeof(msg), "__kconfig extern '%.128s' is a function", e->name);
		snprintf(kmsg, sizeof(kmsg),
		         "extern function %.128s is unsupported under .kconfig "
		         "section",
		         e->name);
		report(c, idx, "check-kconfig-type", msg, kmsg,
		       "only variables can be __kconfig externs", NULL);
		return;
	}
	if (check_kcfg_type(c->obj->btf, e->type_id, &ext)) {
		snprintf(
		    msg, sizeof(msg),
		    "__kconfig extern '%.128s' has a type libbpf cannot store a config value in",
		    e->name);
		snprintf(kmsg, sizeof(kmsg), "extern (kcfg) '%.128s': type is unsupported",
		         e->name);
		report(
		    c, idx, "check-kconfig-type", msg, kmsg,
		    "libbpf fills __kconfig externs of type bool, char, a 2, 4 or 8-byte integer, "
		    "enum libbpf_tristate or a char array, and fails to open the object otherwise",
		    "use one of those types");
		return;
	}
	r = check_kcfg_resolve(&ext, kc, NULL, why, sizeof(why));
	if (r == 1 && !e->weak && strncmp(e->name, "CONFIG_", 7) == 0) {
		snprintf(msg, sizeof(msg),
		         "the target kernel's config does not set '%.128s' and the extern is not "
		         "__weak",
		         e->name);
		snprintf(kmsg, sizeof(kmsg), "extern '%.128s' (strong): not resolved", e->name);
		report(c, idx, "check-kconfig-unknown", msg, kmsg,
		       "libbpf reads CONFIG_ values from the kernel's config (/proc/config.gz) and "
		       "fails the load when a non-weak one is missing",
		       "declare it __weak: it then reads 0 (n) where the option is not set");
		return;
	}
	if (r >= 0)
		return;
	if (strcmp(why, "unrecognized virtual extern") == 0) {
		snprintf(msg, sizeof(msg),
		         "__kconfig extern '%.128s' is neither a CONFIG_ option nor a value libbpf "
		         "provides (LINUX_KERNEL_VERSION, LINUX_HAS_BPF_COOKIE, "
		         "LINUX_HAS_SYSCALL_WRAPPER)",
		         e->name);
		snprintf(kmsg, sizeof(kmsg), "extern (kcfg) '%.128s': unrecognized virtual extern",
		         e->name);
		report(c, idx, "check-kconfig-unknown", msg, kmsg,
		       "libbpf fills only CONFIG_ options and its own LINUX_ values; other weak "
		       "LINUX_ "
		       "names read 0, anything else fails the load",
		       NULL);
		return;
	}
	snprintf(msg, sizeof(msg),
	         "__kconfig extern '%.128s' (%s, %u bytes) cannot hold the %s: %s", e->name,
	         kcfg_type_name(ext.type), ext.size,
	         strncmp(e->name, "CONFIG_", 7) == 0 ? "target kernel's config value"
	                                             : "value libbpf computes",
	         why);
	snprintf(kmsg, sizeof(kmsg), "extern (kcfg) '%.128s': %s", e->name, why);
	report(c, idx, "check-kconfig-value", msg, kmsg,
	       "libbpf stores y/n in bool, tristate or char, m in tristate or char, numbers in an "
	       "integer or char they fit, strings in char arrays; it fails the load otherwise",
	       "declare the extern with a type that holds the value (tristate: enum "
	       "libbpf_tristate; numbers: int or u64; strings: char[N])");
}

static void report_ksym(struct check_ctx *c, size_t idx, unsigned kind)
{
	const struct obj_extern *e = &c->obj->externs[idx];
	const struct btf *tb = c->opts->target_btf;
	char msg[384], hint[640], near[512];

	snprintf(msg, sizeof(msg), "the target kernel has no %s '%.128s' (extern __ksym)",
	         kind == BTF_KIND_FUNC ? "kfunc" : "variable", e->name);
	if (check_btf_closest(tb, kind, "", e->name, near, sizeof(near)) > 0)
		snprintf(hint, sizeof(hint), "closest names: %s; or declare it __weak", near);
	else
		snprintf(hint, sizeof(hint), "declare it __weak if the program can do without it");
	report(c, idx, "check-ksym-unknown", msg, NULL,
	       "libbpf resolves __ksym externs in the kernel's BTF and fails the load when a "
	       "non-weak one is missing",
	       hint);
}

static const char *btf_kind_word(const struct btf_type *t)
{
	switch (t ? btf_kind(t) : BTF_KIND_UNKN) {
	case BTF_KIND_INT:
		return "int";
	case BTF_KIND_PTR:
		return "ptr";
	case BTF_KIND_ARRAY:
		return "array";
	case BTF_KIND_STRUCT:
		return "struct";
	case BTF_KIND_UNION:
		return "union";
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return "enum";
	case BTF_KIND_FWD:
		return "fwd";
	case BTF_KIND_FUNC_PROTO:
		return "func_proto";
	case BTF_KIND_FLOAT:
		return "float";
	default:
		return "type";
	}
}

/* Skips modifiers and typedefs (bounded); the type and its id. */
static const struct btf_type *skip_mods(const struct btf *btf, uint32_t id, uint32_t *out)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	for (int i = 0; t && (btf_is_mod(t) || btf_is_typedef(t)) && i < 32; i++) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	*out = id;
	return t;
}

static void check_ksym_var(struct check_ctx *c, size_t idx, const struct btf *tb)
{
	const struct obj_extern *e = &c->obj->externs[idx];
	const struct btf_type *lt, *kv, *kt;
	uint32_t lid, kid;
	int id;
	char msg[512], kmsg[512];

	lt = skip_mods(c->obj->btf, e->type_id, &lid);
	if (!lt || btf_is_void(lt) || lid == 0) {
		/* typeless: libbpf takes the address from the running kernel's kallsyms */
		if (!e->weak && c->opts && c->opts->kernel &&
		    check_kernel_kallsyms_has(c->opts->kernel, e->name) == 0) {
			snprintf(msg, sizeof(msg),
			         "the target kernel's kallsyms has no '%.128s' (typeless extern "
			         "__ksym)",
			         e->name);
			snprintf(kmsg, sizeof(kmsg), "extern '%.128s' (strong): not resolved",
			         e->name);
			report(
			    c, idx, "check-ksym-unknown", msg, kmsg,
			    "libbpf resolves a typeless __ksym from /proc/kallsyms and fails the "
			    "load when a non-weak one is missing; kallsyms lists variables only "
			    "on kernels built with CONFIG_KALLSYMS_ALL",
			    "declare it __weak, or give it its BTF type (vmlinux.h)");
		}
		return;
	}
	if (!tb)
		return;
	id = check_kernel_find(c, e->name, BTF_KIND_VAR, &tb, NULL);
	if (id <= 0) {
		if (!e->weak)
			report_ksym(c, idx, BTF_KIND_VAR);
		return;
	}
	kv = btf__type_by_id(tb, (uint32_t)id);
	kt = kv ? skip_mods(tb, kv->type, &kid) : NULL;
	if (!kt || check_btf_types_compat(c->obj->btf, lid, tb, kid))
		return;
	snprintf(msg, sizeof(msg),
	         "__ksym variable '%.128s' is declared as %s %.96s, but the target kernel's is "
	         "%s %.96s",
	         e->name, btf_kind_word(lt), btf__name_by_offset(c->obj->btf, lt->name_off),
	         btf_kind_word(kt), btf__name_by_offset(tb, kt->name_off));
	snprintf(kmsg, sizeof(kmsg), "extern (var ksym) '%.128s': incompatible types", e->name);
	report(c, idx, "check-ksym-type", msg, kmsg,
	       "libbpf compares the declared type with the kernel variable's (as for CO-RE: same "
	       "kind after typedefs and modifiers, pointers and arrays compared through) and fails "
	       "the load when they differ, even for a __weak declaration",
	       "declare the variable with the kernel's type (vmlinux.h)");
}

static void check_ksym_func(struct check_ctx *c, size_t idx, const struct btf *tb)
{
	const struct obj_extern *e = &c->obj->externs[idx];
	int id = check_kernel_find(c, e->name, BTF_KIND_FUNC, &tb, NULL);
	const struct btf_type *kt = id > 0 ? btf__type_by_id(tb, (uint32_t)id) : NULL;
	char msg[384], kmsg[256];

	if (!kt) {
		if (!e->weak)
			report_ksym(c, idx, BTF_KIND_FUNC);
		return;
	}
	if (!e->type_id || check_btf_types_compat(c->obj->btf, e->type_id, tb, kt->type))
		return;
	snprintf(msg, sizeof(msg),
	         "kfunc '%.128s' is declared with a prototype incompatible with the kernel's "
	         "(BTF [%u] vs kernel [%u]): libbpf refuses to load the object, even for a __weak "
	         "declaration",
	         e->name, e->type_id, kt->type);
	snprintf(kmsg, sizeof(kmsg), "extern (func ksym) '%.128s': func_proto [%u] incompatible",
	         e->name, e->type_id);
	report(c, idx, "check-ksym-signature", msg, kmsg,
	       "libbpf compares the declared prototype with the kernel's parameter by parameter",
	       "declare the kfunc as the kernel does (vmlinux.h or the kernel's header)");
}

/*
 * The kernel finds the address of a typed __ksym variable with kallsyms_lookup_name()
 * when it loads the program (check_pseudo_btf_id); without CONFIG_KALLSYMS_ALL kallsyms
 * holds functions only, so every program that names a kernel variable is refused, weak
 * or not, once libbpf found the variable in the kernel's BTF.
 */
void check_obj_ksym_addr(struct check_ctx *c, const struct obj_prog *entry,
                         const struct obj_prog *p, size_t base)
{
	const struct check_kconfig *kc = c->opts ? c->opts->kconfig : NULL;
	const struct btf *tb = c->opts ? c->opts->target_btf : NULL;
	const char *all = check_kconfig_get(kc, "CONFIG_KALLSYMS_ALL");
	char msg[384], kmsg[256];

	if (!kc || !tb || (all && strcmp(all, "y") == 0))
		return;
	for (size_t k = 0; k < p->nr_relocs; k++) {
		const struct obj_reloc *r = &p->relocs[k];
		const struct obj_extern *e;
		const struct btf_type *lt, *kv;
		uint32_t lid, kid;
		int id;

		if (r->kind != OBJ_RELOC_EXTERN_VAR || r->target < 0 ||
		    (size_t)r->target >= c->obj->nr_externs)
			continue;
		e = &c->obj->externs[r->target];
		if (e->kind != OBJ_EXTERN_KSYM || e->is_func || !e->type_id)
			continue;
		lt = skip_mods(c->obj->btf, e->type_id, &lid);
		if (!lt || btf_is_void(lt) || lid == 0)
			continue;
		id = check_kernel_find(c, e->name, BTF_KIND_VAR, &tb, NULL);
		kv = id > 0 ? btf__type_by_id(tb, (uint32_t)id) : NULL;
		/* an incompatible type fails in libbpf first (check-ksym-type) */
		if (!kv || !skip_mods(tb, kv->type, &kid) ||
		    !check_btf_types_compat(c->obj->btf, lid, tb, kid))
			continue;
		snprintf(msg, sizeof(msg),
		         "__ksym variable '%.128s' has no address on the target kernel: its "
		         "kallsyms lists functions only (CONFIG_KALLSYMS_ALL is not set)",
		         e->name);
		snprintf(kmsg, sizeof(kmsg),
		         "ldimm64 failed to find the address for kernel symbol '%.128s'.", e->name);
		diag_emit(c->sink,
		          &(struct diag){
		              .level = DIAG_ERROR,
		              .rule = "check-ksym-address",
		              .loc = check_insn_loc(c, p, r->insn_idx),
		              .program = entry->name,
		              .section = entry->section,
		              .insn = (int)(base + r->insn_idx),
		              .message = msg,
		              .kernel_msg = kmsg,
		              .explanation = "the kernel looks a BTF-typed kernel variable up in "
		                             "kallsyms when it loads the program and refuses it "
		                             "with ENOENT when kallsyms does not have it",
		              .hint = "read the value another way (a helper, a kfunc, a field of "
		                      "a BTF pointer), or target kernels built with "
		                      "CONFIG_KALLSYMS_ALL=y",
		          });
	}
}

void check_obj_externs(struct check_ctx *c)
{
	const struct btf *tb = c->opts ? c->opts->target_btf : NULL;

	if (check_unknown_externs(c))
		return; /* the open fails: nothing else is looked at */
	for (size_t i = 0; i < c->obj->nr_externs; i++) {
		const struct obj_extern *e = &c->obj->externs[i];

		if (e->kind == OBJ_EXTERN_KCONFIG)
			check_kconfig_extern(c, i);
		else if (e->kind == OBJ_EXTERN_KSYM && tb && e->is_func)
			check_ksym_func(c, i, tb);
		else if (e->kind == OBJ_EXTERN_KSYM)
			check_ksym_var(c, i, tb);
	}
}
