/*
 * cmd_inspect.c - `bpfcc inspect OBJ [--format=text|json]`: what libbpf would see in a BPF
 * object, read with the elf stage (compiler/elf/object.h): programs and subprograms with
 * their sections, relocations and BTF.ext records, maps, global data, externs, license,
 * kernel version and a BTF summary; each program's type, expected attach type and attach
 * target as libbpf derives them from the section name (compiler/check/sections.def).  Text for people, JSON (one document on stdout) for
 * tools, like bpftool's `-j`.  A malformed object gets its diagnostic on stderr and exit
 * status 1; usage errors exit with 2.
 */
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>

#include "check/check.h"
#include "diag/diag.h"
#include "driver/commands.h"
#include "driver/driver.h"
#include "elf/object.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: bpfcc inspect OBJECT [--format=text|json]\n");
}

/* A name for BTF type `id` such as "struct task_struct", or "[id]" when unnamed. */
static void btf_type_label(const struct obj_file *obj, uint32_t id, char *buf, size_t len)
{
	const struct btf_type *t = obj->btf ? btf__type_by_id(obj->btf, id) : NULL;
	const char *n = t ? btf__name_by_offset(obj->btf, t->name_off) : NULL;
	const char *k = "";

	if (t && btf_is_struct(t))
		k = "struct ";
	else if (t && btf_is_union(t))
		k = "union ";
	else if (t && (btf_is_enum(t) || btf_is_enum64(t)))
		k = "enum ";
	if (n && n[0])
		snprintf(buf, len, "%s%s", k, n);
	else
		snprintf(buf, len, "%s[%u]", k, id);
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void json_kv_str(FILE *f, const char *k, const char *v, bool comma)
{
	fprintf(f, "%s\"%s\":", comma ? "," : "", k);
	json_str(f, v);
}

/* The symbol a relocation names; for section symbols, the section's name. */
static const char *reloc_sym_name(const struct obj_file *obj, const struct obj_reloc *r)
{
	if (r->sym->name[0] || r->sym->shndx >= obj->nr_sections)
		return r->sym->name;
	return obj->sections[r->sym->shndx].name;
}

/* What libbpf makes of a program's section name; NULL for what does not apply. */
struct prog_kind {
	const char *type;   /* "xdp", "kprobe" */
	const char *attach; /* expected attach type, "TRACE_FENTRY" */
	const char *target; /* the part after the pattern: "do_unlinkat" */
};

static struct prog_kind prog_kind_of(const struct obj_prog *p)
{
	struct prog_kind k = {0};
	const struct check_section *s;
	const char *sec;
	size_t n;

	if (check_section_lookup(p->section, &s))
		return k;
	k.type = check_prog_type_name(s->prog_type);
	if (s->attach_type != CHECK_ATTACH_NONE)
		k.attach = check_attach_type_name(s->attach_type);
	n = strlen(s->pattern);
	sec = check_section_base(p->section);
	if (!strncmp(sec, s->pattern, n) && sec[n] == '/' && sec[n + 1])
		k.target = sec + n + 1;
	return k;
}

/* --- text ------------------------------------------------------------------------------ */

static void text_prog(FILE *f, const struct obj_file *obj, const struct obj_prog *p)
{
	char label[128];

	fprintf(f, "  %-24s section %-20s offset %-6llu insns %-5zu %s\n", p->name, p->section,
	        (unsigned long long)p->sec_off, p->insn_cnt, p->global ? "global" : "static");
	if (!p->subprog) {
		struct prog_kind k = prog_kind_of(p);

		fprintf(f, "    type %s", k.type ? k.type : "unknown (section name not known)");
		if (k.attach)
			fprintf(f, ", attach type %s", k.attach);
		if (k.target)
			fprintf(f, ", attach target %s", k.target);
		fprintf(f, "\n");
	}
	if (p->nr_lines)
		fprintf(f, "    source: %s:%u\n", p->lines[0].file, p->lines[0].line);
	fprintf(f, "    func_info %zu, line_info %zu\n", p->nr_funcs, p->nr_lines);
	for (size_t i = 0; i < p->nr_relocs; i++) {
		const struct obj_reloc *r = &p->relocs[i];
		fprintf(f, "    reloc insn %-5u %-10s %s\n", r->insn_idx,
		        obj_reloc_kind_name(r->kind), reloc_sym_name(obj, r));
	}
	for (size_t i = 0; i < p->nr_core_relos; i++) {
		const struct obj_core_relo *c = &p->core_relos[i];
		btf_type_label(obj, c->type_id, label, sizeof(label));
		fprintf(f, "    CO-RE insn %-5u %-14s %s \"%s\"\n", c->insn,
		        obj_core_relo_kind_name(c->kind), label, c->access);
	}
}

static void text_map(FILE *f, const struct obj_map *m, const char *indent)
{
	fprintf(f, "%s%-24s type %s", indent, m->name,
	        m->has_type ? obj_map_type_name(m->type) : "(none)");
	fprintf(f, " key %u value %u max_entries %u", m->key_size, m->value_size, m->max_entries);
	if (m->map_flags)
		fprintf(f, " flags %#x", m->map_flags);
	if (m->has_numa_node)
		fprintf(f, " numa_node %u", m->numa_node);
	if (m->pinning)
		fprintf(f, " pinning %s", m->pinning == 1 ? "by_name" : "unknown");
	if (m->has_map_extra)
		fprintf(f, " map_extra %llu", (unsigned long long)m->map_extra);
	fprintf(f, "\n");
	if (m->inner)
		text_map(f, m->inner, "    inner ");
}

static void print_text(FILE *f, const struct obj_file *obj)
{
	fprintf(f, "object %s: %zu sections, %zu symbols\n", obj->name, obj->nr_sections,
	        obj->nr_symbols);
	if (obj->license)
		fprintf(f, "license \"%s\"%s\n", obj->license,
		        obj->license_nul ? "" : " (not NUL-terminated)");
	else
		fprintf(f, "license (none)\n");
	if (obj->has_version)
		fprintf(f, "kern_version %#x\n", obj->kern_version);
	fprintf(f, "\nprograms (%zu):\n", obj->nr_progs);
	for (size_t i = 0; i < obj->nr_progs; i++)
		text_prog(f, obj, &obj->progs[i]);
	fprintf(f, "\nsubprograms (%zu):\n", obj->nr_subprogs);
	for (size_t i = 0; i < obj->nr_subprogs; i++)
		text_prog(f, obj, &obj->subprogs[i]);
	fprintf(f, "\nmaps (%zu):\n", obj->nr_maps);
	for (size_t i = 0; i < obj->nr_maps; i++)
		text_map(f, &obj->maps[i], "  ");
	fprintf(f, "\nglobal data (%zu):\n", obj->nr_datas);
	for (size_t i = 0; i < obj->nr_datas; i++)
		fprintf(f, "  %-24s %-6s %llu bytes\n", obj->datas[i].name,
		        obj_data_kind_name(obj->datas[i].kind),
		        (unsigned long long)obj->datas[i].size);
	fprintf(f, "\nexterns (%zu):\n", obj->nr_externs);
	for (size_t i = 0; i < obj->nr_externs; i++) {
		const struct obj_extern *e = &obj->externs[i];
		fprintf(f, "  %-24s %-7s %s%s btf [%u]\n", e->name, obj_extern_kind_name(e->kind),
		        e->is_func ? "func" : "var", e->weak ? " weak" : "", e->btf_id);
	}
	if (obj->btf)
		fprintf(f, "\nBTF: %u types, %u bytes of strings; BTF.ext: %s\n",
		        obj->btf_type_cnt - 1, obj->btf_str_len, obj->has_btf_ext ? "yes" : "no");
	else
		fprintf(f, "\nBTF: none\n");
	if (obj->has_legacy_maps)
		fprintf(f, "legacy 'maps' section present\n");
}

/* --- JSON ------------------------------------------------------------------------------ */

static void json_prog(FILE *f, const struct obj_file *obj, const struct obj_prog *p)
{
	char label[128];

	fprintf(f, "{");
	json_kv_str(f, "name", p->name, false);
	json_kv_str(f, "section", p->section, true);
	fprintf(f, ",\"sec_idx\":%u,\"offset\":%llu,\"insns\":%zu,\"global\":%s", p->sec_idx,
	        (unsigned long long)p->sec_off, p->insn_cnt, p->global ? "true" : "false");
	if (!p->subprog) {
		struct prog_kind k = prog_kind_of(p);

		json_kv_str(f, "type", k.type ? k.type : "", true);
		json_kv_str(f, "attach_type", k.attach ? k.attach : "", true);
		json_kv_str(f, "attach_target", k.target ? k.target : "", true);
	}
	fprintf(f, ",\"func_info\":%zu,\"line_info\":%zu", p->nr_funcs, p->nr_lines);
	if (p->nr_lines) {
		json_kv_str(f, "file", p->lines[0].file, true);
		fprintf(f, ",\"line\":%u", p->lines[0].line);
	}
	fprintf(f, ",\"relocations\":[");
	for (size_t i = 0; i < p->nr_relocs; i++) {
		const struct obj_reloc *r = &p->relocs[i];
		fprintf(f, "%s{\"insn\":%u,\"type\":%u", i ? "," : "", r->insn_idx, r->type);
		json_kv_str(f, "kind", obj_reloc_kind_name(r->kind), true);
		json_kv_str(f, "symbol", reloc_sym_name(obj, r), true);
		fprintf(f, ",\"target\":%d}", r->target);
	}
	fprintf(f, "],\"core_relocations\":[");
	for (size_t i = 0; i < p->nr_core_relos; i++) {
		const struct obj_core_relo *c = &p->core_relos[i];
		btf_type_label(obj, c->type_id, label, sizeof(label));
		fprintf(f, "%s{\"insn\":%u,\"type_id\":%u", i ? "," : "", c->insn, c->type_id);
		json_kv_str(f, "type", label, true);
		json_kv_str(f, "access", c->access, true);
		json_kv_str(f, "kind", obj_core_relo_kind_name(c->kind), true);
		fprintf(f, "}");
	}
	fprintf(f, "]}");
}

static void json_map(FILE *f, const struct obj_map *m)
{
	fprintf(f, "{");
	json_kv_str(f, "name", m->name, false);
	json_kv_str(f, "type", m->has_type ? obj_map_type_name(m->type) : "", true);
	fprintf(f,
	        ",\"type_id\":%u,\"key_size\":%u,\"value_size\":%u,\"key_type_id\":%u,"
	        "\"value_type_id\":%u,\"max_entries\":%u,\"map_flags\":%u,\"numa_node\":%u,"
	        "\"pinning\":%u,\"map_extra\":%llu",
	        m->type, m->key_size, m->value_size, m->key_type_id, m->value_type_id,
	        m->max_entries, m->map_flags, m->numa_node, m->pinning,
	        (unsigned long long)m->map_extra);
	if (m->inner) {
		fprintf(f, ",\"inner\":");
		json_map(f, m->inner);
	}
	fprintf(f, "}");
}

static void print_json(FILE *f, const struct obj_file *obj)
{
	fprintf(f, "{");
	json_kv_str(f, "file", obj->name, false);
	fprintf(f, ",\"license\":");
	if (obj->license)
		json_str(f, obj->license);
	else
		fprintf(f, "null");
	fprintf(f, ",\"license_nul_terminated\":%s", obj->license_nul ? "true" : "false");
	if (obj->has_version)
		fprintf(f, ",\"kern_version\":%u", obj->kern_version);
	fprintf(f, ",\"programs\":[");
	for (size_t i = 0; i < obj->nr_progs; i++) {
		fprintf(f, "%s", i ? "," : "");
		json_prog(f, obj, &obj->progs[i]);
	}
	fprintf(f, "],\"subprograms\":[");
	for (size_t i = 0; i < obj->nr_subprogs; i++) {
		fprintf(f, "%s", i ? "," : "");
		json_prog(f, obj, &obj->subprogs[i]);
	}
	fprintf(f, "],\"maps\":[");
	for (size_t i = 0; i < obj->nr_maps; i++) {
		fprintf(f, "%s", i ? "," : "");
		json_map(f, &obj->maps[i]);
	}
	fprintf(f, "],\"data\":[");
	for (size_t i = 0; i < obj->nr_datas; i++) {
		fprintf(f, "%s{", i ? "," : "");
		json_kv_str(f, "name", obj->datas[i].name, false);
		json_kv_str(f, "kind", obj_data_kind_name(obj->datas[i].kind), true);
		fprintf(f, ",\"size\":%llu}", (unsigned long long)obj->datas[i].size);
	}
	fprintf(f, "],\"externs\":[");
	for (size_t i = 0; i < obj->nr_externs; i++) {
		const struct obj_extern *e = &obj->externs[i];
		fprintf(f, "%s{", i ? "," : "");
		json_kv_str(f, "name", e->name, false);
		json_kv_str(f, "kind", obj_extern_kind_name(e->kind), true);
		fprintf(f, ",\"weak\":%s,\"func\":%s,\"btf_id\":%u}", e->weak ? "true" : "false",
		        e->is_func ? "true" : "false", e->btf_id);
	}
	fprintf(f, "]");
	if (obj->btf)
		fprintf(f, ",\"btf\":{\"types\":%u,\"str_len\":%u,\"ext\":%s}",
		        obj->btf_type_cnt - 1, obj->btf_str_len,
		        obj->has_btf_ext ? "true" : "false");
	else
		fprintf(f, ",\"btf\":null");
	fprintf(f, "}\n");
}

int cmd_inspect(int argc, char **argv)
{
	const char *path = NULL;
	bool json = false;
	struct diag_sink *sink;
	struct obj_file *obj;
	int status;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format=json") == 0 || strcmp(argv[i], "-j") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--format=text") == 0) {
			json = false;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return DRV_EXIT_OK;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "bpfcc: error: inspect: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return DRV_EXIT_USAGE;
		} else if (path) {
			fprintf(stderr, "bpfcc: error: inspect: more than one object given\n");
			return DRV_EXIT_USAGE;
		} else {
			path = argv[i];
		}
	}
	if (!path) {
		usage(stderr);
		return DRV_EXIT_USAGE;
	}
	sink = diag_sink_new(stderr, DIAG_FORMAT_TEXT);
	if (!sink) {
		fprintf(stderr, "bpfcc: error: out of memory\n");
		return DRV_EXIT_USAGE;
	}
	diag_sink_set_tool(sink, "bpfcc");
	obj = obj_open_file(path, sink);
	if (obj) {
		if (json)
			print_json(stdout, obj);
		else
			print_text(stdout, obj);
	}
	status = obj && diag_error_count(sink) == 0 ? DRV_EXIT_OK : DRV_EXIT_DIAG;
	obj_free(obj);
	diag_sink_free(sink);
	if (fflush(stdout) != 0)
		status = DRV_EXIT_USAGE;
	return status;
}
