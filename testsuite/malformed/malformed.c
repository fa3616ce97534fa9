/*
 * malformed.c - malformed-object tests for the ELF reader (compiler/elf/object.h).
 *
 * `malformed OBJDIR DEFECT [OUT]` takes a good object built at test time (from
 * testsuite/unit/elf/progs), corrupts one field as defect_<DEFECT>() says, writes the
 * result to OUT if given (to look at it with `bpfcc inspect`), and opens it with
 * obj_open_mem().  The test passes when the reader gives exactly one error (or, for
 * "warn:" rules, one warning and still an object) whose text is the message the defect
 * function computed, and the expected rule id.  "check:" rules are defects the reader
 * accepts (no diagnostic) and check_object() must report with exactly one error, the
 * message and the rule given.  The defect list is defects.def; DEFECT
 * "none" opens the unmodified object and expects no diagnostic at all.
 *
 * Exit status: 0 pass, 1 fail, 77 the base object is missing (skip).
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>
#include <bpf/btf.h>

#include "check/check.h"
#include "diag/diag.h"
#include "elf/object.h"

struct img {
	uint8_t *b;
	size_t len;
	char msg[512]; /* the expected message */
};

static Elf64_Ehdr *ehdr(struct img *m)
{
	return (Elf64_Ehdr *)m->b;
}

static Elf64_Shdr *shdr(struct img *m, size_t i)
{
	return (Elf64_Shdr *)(m->b + ehdr(m)->e_shoff) + i;
}

static const char *sec_name(struct img *m, size_t i)
{
	return (const char *)m->b + shdr(m, ehdr(m)->e_shstrndx)->sh_offset + shdr(m, i)->sh_name;
}

static size_t sec(struct img *m, const char *name)
{
	for (size_t i = 1; i < ehdr(m)->e_shnum; i++)
		if (strcmp(sec_name(m, i), name) == 0)
			return i;
	fprintf(stderr, "malformed: base object has no section '%s'\n", name);
	exit(1);
}

static void *sec_data(struct img *m, const char *name)
{
	return m->b + shdr(m, sec(m, name))->sh_offset;
}

static size_t nsyms(struct img *m)
{
	return shdr(m, sec(m, ".symtab"))->sh_size / sizeof(Elf64_Sym);
}

static Elf64_Sym *sym(struct img *m, const char *name)
{
	Elf64_Shdr *st = shdr(m, sec(m, ".symtab"));
	Elf64_Sym *s = sec_data(m, ".symtab");
	const char *strs = (const char *)m->b + shdr(m, st->sh_link)->sh_offset;

	for (size_t i = 0; i < nsyms(m); i++)
		if (strcmp(strs + s[i].st_name, name) == 0)
			return &s[i];
	fprintf(stderr, "malformed: base object has no symbol '%s'\n", name);
	exit(1);
}

static Elf64_Rel *rel0(struct img *m)
{
	return sec_data(m, ".relxdp");
}

static struct btf_header *btf_hdr(struct img *m)
{
	return sec_data(m, ".BTF");
}

static struct btf_type *btf_type1(struct img *m)
{
	struct btf_header *h = btf_hdr(m);
	return (struct btf_type *)((uint8_t *)h + h->hdr_len + h->type_off);
}

/* Name of a string in the (unmodified) BTF of the image. */
static const char *btf_string(struct img *m, uint32_t off)
{
	static char buf[256];
	Elf64_Shdr *s = shdr(m, sec(m, ".BTF"));
	struct btf *btf = btf__new(m->b + s->sh_offset, (uint32_t)s->sh_size);
	const char *n = btf ? btf__name_by_offset(btf, off) : NULL;

	snprintf(buf, sizeof(buf), "%s", n ? n : "?");
	btf__free(btf);
	return buf;
}

/* The first block of BTF.ext part `part` (0 func_info, 1 line_info, 2 core_relo):
 * returns its first record and sets *sec_name_off. */
static uint32_t *ext_first_rec(struct img *m, int part, uint32_t **rec_size, uint32_t *sec_name_off)
{
	uint8_t *ext = sec_data(m, ".BTF.ext");
	uint32_t *h = (uint32_t *)ext;
	uint32_t *p = (uint32_t *)(ext + h[1] + h[2 + 2 * part]);

	*rec_size = p;
	*sec_name_off = p[1];
	return p + 3;
}

static void expect(struct img *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void expect(struct img *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->msg, sizeof(m->msg), fmt, ap);
	va_end(ap);
}

/* --- the defects, one per line of defects.def ------------------------------------------ */

static void defect_truncated_header(struct img *m)
{
	m->len = 40;
	expect(m, "file too short for an ELF header (40 bytes, need 64)");
}

static void defect_truncated_file(struct img *m)
{
	m->len = ehdr(m)->e_shoff + 100;
	expect(m, "section header table (e_shoff %#llx, %u entries) beyond end of file (%zu bytes)",
	       (unsigned long long)ehdr(m)->e_shoff, ehdr(m)->e_shnum, m->len);
}

static void defect_bad_magic(struct img *m)
{
	m->b[EI_MAG1] = 'X';
	expect(m, "not an ELF file (bad magic in e_ident)");
}

static void defect_wrong_class(struct img *m)
{
	m->b[EI_CLASS] = ELFCLASS32;
	expect(m, "e_ident[EI_CLASS] is 1, BPF objects are ELFCLASS64");
}

static void defect_wrong_machine(struct img *m)
{
	ehdr(m)->e_machine = EM_X86_64;
	expect(m, "e_machine is 62, not EM_BPF (247)");
}

static void defect_bad_shentsize(struct img *m)
{
	ehdr(m)->e_shentsize = 40;
	expect(m, "e_shentsize is 40, expected 64");
}

static void defect_shstrndx_out_of_range(struct img *m)
{
	unsigned n = ehdr(m)->e_shnum;
	ehdr(m)->e_shstrndx = (uint16_t)(n + 3);
	expect(m, "e_shstrndx %u out of range (%u sections)", n + 3, n);
}

static void defect_section_out_of_bounds(struct img *m)
{
	size_t i = sec(m, "xdp");
	shdr(m, i)->sh_offset = m->len - 8;
	expect(m,
	       "section 'xdp' (index %zu): sh_offset %#llx + sh_size %#llx beyond end of file "
	       "(%zu bytes)",
	       i, (unsigned long long)(m->len - 8), (unsigned long long)shdr(m, i)->sh_size,
	       m->len);
}

static void defect_section_name_out_of_range(struct img *m)
{
	size_t i = sec(m, "xdp");
	shdr(m, i)->sh_name = 0xfffffff;
	expect(m, "section index %zu: sh_name 0xfffffff outside the section name table", i);
}

static void defect_no_symtab(struct img *m)
{
	shdr(m, sec(m, ".symtab"))->sh_type = SHT_PROGBITS;
	expect(m, "the object has no symbol table (.symtab)");
}

static void defect_symtab_size(struct img *m)
{
	Elf64_Shdr *s = shdr(m, sec(m, ".symtab"));
	s->sh_size -= 1;
	expect(m, "section '.symtab': size %llu is not a multiple of 24 (Elf64_Sym)",
	       (unsigned long long)s->sh_size);
}

static void defect_symbol_outside_section(struct img *m)
{
	Elf64_Sym *s = sym(m, "second");
	uint64_t size = shdr(m, sec(m, "xdp"))->sh_size;
	s->st_value = size;
	expect(m,
	       "symbol 'second': st_value %#llx + st_size %#llx beyond section 'xdp' (size %llu)",
	       (unsigned long long)size, (unsigned long long)s->st_size, (unsigned long long)size);
}

static void defect_symbol_shndx_out_of_range(struct img *m)
{
	unsigned n = ehdr(m)->e_shnum;
	sym(m, "second")->st_shndx = (uint16_t)(n + 3);
	expect(m, "symbol 'second': st_shndx %u out of range (%u sections)", n + 3, n);
}

static void defect_symbol_name_out_of_range(struct img *m)
{
	Elf64_Sym *s = sec_data(m, ".symtab");
	s[1].st_name = 0xffffff;
	expect(m, "symbol 1: st_name 0xffffff outside string table '%s'",
	       sec_name(m, shdr(m, sec(m, ".symtab"))->sh_link));
}

static void defect_prog_size_not_insn_multiple(struct img *m)
{
	Elf64_Shdr *s = shdr(m, sec(m, "xdp"));
	s->sh_size -= 4;
	expect(m, "section 'xdp': size %llu is not a multiple of 8 (the instruction size)",
	       (unsigned long long)s->sh_size);
}

static void defect_func_size_not_insn_multiple(struct img *m)
{
	Elf64_Sym *s = sym(m, "second");
	s->st_size -= 4;
	expect(m,
	       "function 'second' in section 'xdp': st_value %#llx / st_size %llu not a non-empty "
	       "multiple of 8",
	       (unsigned long long)s->st_value, (unsigned long long)s->st_size);
}

static void defect_reloc_offset_out_of_range(struct img *m)
{
	rel0(m)->r_offset = 0x100000;
	expect(m,
	       "relocation section '.relxdp' entry 0: r_offset 0x100000 beyond section 'xdp' (size "
	       "%llu)",
	       (unsigned long long)shdr(m, sec(m, "xdp"))->sh_size);
}

static void defect_reloc_offset_misaligned(struct img *m)
{
	rel0(m)->r_offset += 4;
	expect(m,
	       "relocation section '.relxdp' entry 0: r_offset %#llx is not on an instruction "
	       "boundary",
	       (unsigned long long)rel0(m)->r_offset);
}

static void defect_reloc_symbol_out_of_range(struct img *m)
{
	size_t n = nsyms(m);
	rel0(m)->r_info = ELF64_R_INFO(n + 10, ELF64_R_TYPE(rel0(m)->r_info));
	expect(m,
	       "relocation section '.relxdp' entry 0: symbol index %zu out of range (%zu symbols)",
	       n + 10, n);
}

static void defect_reloc_link_not_symtab(struct img *m)
{
	shdr(m, sec(m, ".relxdp"))->sh_link = 0;
	expect(m, "relocation section '.relxdp': sh_link 0 is not the symbol table");
}

static void defect_btf_bad_magic(struct img *m)
{
	btf_hdr(m)->magic = 0x1234;
	expect(m, "section '.BTF': bad magic 0x1234 (expected 0xeb9f)");
}

static void defect_btf_str_len_lies(struct img *m)
{
	struct btf_header *h = btf_hdr(m);
	uint64_t meta = shdr(m, sec(m, ".BTF"))->sh_size - h->hdr_len;
	h->str_len += 0x1000;
	expect(m,
	       "section '.BTF': str_off %u + str_len %u beyond the data (%llu bytes after the "
	       "header)",
	       h->str_off, h->str_len, (unsigned long long)meta);
}

static void defect_btf_type_len_lies(struct img *m)
{
	struct btf_header *h = btf_hdr(m);
	uint64_t meta = shdr(m, sec(m, ".BTF"))->sh_size - h->hdr_len;
	h->type_len = 0xfffff000;
	expect(m,
	       "section '.BTF': type_off %u + type_len %u beyond the data (%llu bytes after the "
	       "header)",
	       h->type_off, h->type_len, (unsigned long long)meta);
}

static void defect_btf_bad_kind(struct img *m)
{
	struct btf_type *t = btf_type1(m);
	t->info = (t->info & ~(0x1fu << 24)) | (31u << 24);
	expect(m, "section '.BTF': type [1] has kind 31");
}

static void defect_btf_name_off_out_of_range(struct img *m)
{
	struct btf_type *t = btf_type1(m);
	t->name_off = btf_hdr(m)->str_len + 5;
	expect(m, "section '.BTF': type [1] (kind %u): name_off out of range",
	       BTF_INFO_KIND(t->info));
}

static void defect_btf_ext_rec_size(struct img *m)
{
	uint32_t *rec_size, name;
	ext_first_rec(m, 0, &rec_size, &name);
	*rec_size = 7;
	expect(m, "section '.BTF.ext': func_info record size 7, expected a multiple of 4 and at "
	          "least 8");
}

/* Renames .BTF (its name's second byte) so that the object has no BTF. */
static void rename_btf(struct img *m)
{
	m->b[shdr(m, ehdr(m)->e_shstrndx)->sh_offset + shdr(m, sec(m, ".BTF"))->sh_name + 1] = 'X';
}

static void defect_btf_ext_without_btf(struct img *m)
{
	rename_btf(m);
	expect(m, "section '.BTF.ext' needs BTF but the object has no .BTF section");
}

static void defect_line_info_beyond_program(struct img *m)
{
	uint32_t *rec_size, name;
	uint32_t *r = ext_first_rec(m, 1, &rec_size, &name);
	const char *s = btf_string(m, name);
	r[0] = 0x10000;
	expect(m,
	       "section '.BTF.ext': line_info record 0 for section '%s': insn_off 65536 beyond the "
	       "section (%llu bytes) or not on an instruction",
	       s, (unsigned long long)shdr(m, sec(m, s))->sh_size);
}

static void defect_line_info_file_name_off(struct img *m)
{
	uint32_t *rec_size, name;
	uint32_t *r = ext_first_rec(m, 1, &rec_size, &name);
	r[1] = 0x7fffffff;
	expect(m,
	       "section '.BTF.ext': line_info record 0 for section '%s': file_name_off 0x7fffffff "
	       "or line_off %#x outside the BTF strings",
	       btf_string(m, name), r[2]);
}

static void defect_core_relo_bad_kind(struct img *m)
{
	uint32_t *rec_size, name;
	uint32_t *r = ext_first_rec(m, 2, &rec_size, &name);
	r[3] = 77;
	expect(m, "section '.BTF.ext': CO-RE relocation 0 for section '%s': unknown kind 77",
	       btf_string(m, name));
}

static void defect_core_relo_bad_type_id(struct img *m)
{
	uint32_t *rec_size, name;
	uint32_t *r = ext_first_rec(m, 2, &rec_size, &name);
	r[1] = 0x7fff;
	expect(m,
	       "section '.BTF.ext': CO-RE relocation 0 for section '%s': type_id 32767 out of "
	       "range",
	       btf_string(m, name));
}

static void defect_maps_without_btf(struct img *m)
{
	rename_btf(m);
	expect(m, "section '.maps' needs BTF but the object has no .BTF section");
}

static void defect_maps_symbol_without_btf_var(struct img *m)
{
	sym(m, "stats")->st_name = sym(m, "first")->st_name;
	expect(m, "map 'first': no BTF variable in DATASEC '.maps' describes it");
}

static void defect_extern_without_btf(struct img *m)
{
	sym(m, "CONFIG_HZ")->st_name = sym(m, "counter")->st_name;
	expect(m, "extern 'counter' has no BTF in DATASEC '.kconfig' or '.ksyms': libbpf cannot "
	          "open the object");
}

static void defect_version_bad_size(struct img *m)
{
	shdr(m, sec(m, "version"))->sh_size = 8;
	expect(m, "section 'version': size 8, expected 4");
}

static void defect_license_unterminated(struct img *m)
{
	Elf64_Shdr *s = shdr(m, sec(m, "license"));
	m->b[s->sh_offset + s->sh_size - 1] = 'x';
	expect(m, "section 'license' (%llu bytes) is not NUL-terminated",
	       (unsigned long long)s->sh_size);
}

/* --- defects the reader accepts and check_object() must report ("check:" rules) --------- */

/* The first instruction of section `name` that calls helper `id`. */
static struct bpf_insn *helper_call(struct img *m, const char *name, int32_t id)
{
	Elf64_Shdr *s = shdr(m, sec(m, name));
	struct bpf_insn *in = sec_data(m, name);

	for (size_t i = 0; i < s->sh_size / sizeof(*in); i++)
		if (in[i].code == (BPF_JMP | BPF_CALL) && in[i].src_reg == 0 && in[i].imm == id)
			return &in[i];
	fprintf(stderr, "malformed: no call of helper %d in '%s'\n", id, name);
	exit(1);
}

/* Name of the function starting at byte `off` of section `name`. */
static const char *func_at(struct img *m, const char *name, uint32_t off)
{
	Elf64_Shdr *st = shdr(m, sec(m, ".symtab"));
	Elf64_Sym *sy = sec_data(m, ".symtab");
	const char *strs = (const char *)m->b + shdr(m, st->sh_link)->sh_offset;
	size_t si = sec(m, name);

	for (size_t i = 0; i < nsyms(m); i++)
		if (ELF64_ST_TYPE(sy[i].st_info) == STT_FUNC && sy[i].st_shndx == si &&
		    sy[i].st_value == off)
			return strs + sy[i].st_name;
	return "?";
}

static void defect_check_license_not_gpl(struct img *m)
{
	memcpy(sec_data(m, "license"), "BSD", 3);
	expect(m, "bpf_trace_printk is GPL-only and the program's license is not GPL-compatible");
}

static void defect_check_helper_unknown(struct img *m)
{
	helper_call(m, "xdp", 6)->imm = 250;
	expect(m, "invalid func unknown#250");
}

static void defect_check_helper_prog_type(struct img *m)
{
	helper_call(m, "xdp", 6)->imm = 26;
	expect(m, "program of this type cannot use helper bpf_skb_load_bytes#26");
}

static void defect_check_line_info_order(struct img *m)
{
	uint32_t *rec_size, name;
	uint32_t *r = ext_first_rec(m, 1, &rec_size, &name);
	uint32_t *r1 = (uint32_t *)((uint8_t *)r + *rec_size);

	r1[0] = r[0];
	expect(m,
	       "line_info record 1 of '%s' (instruction %u) is out of order or outside the "
	       "function",
	       func_at(m, btf_string(m, name), r[0]), r[0] / 8);
}

static void defect_check_reloc_unknown(struct img *m)
{
	Elf64_Rel *r = rel0(m);
	Elf64_Sym *lic = sym(m, "LICENSE");
	Elf64_Sym *base = sec_data(m, ".symtab");

	r->r_info = ELF64_R_INFO((uint64_t)(lic - base), ELF64_R_TYPE(r->r_info));
	expect(m,
	       "instruction %llu of '%s' refers to 'LICENSE', which is not a map, global data, "
	       "a subprogram or a declared extern",
	       (unsigned long long)(r->r_offset / 8), func_at(m, "xdp", 0));
}

static const struct defect {
	const char *name, *base, *rule;
	void (*apply)(struct img *m);
} defects[] = {
#define DEFECT(n, b, r) {#n, #b, #r, defect_##n},
#include "defects.def"
#undef DEFECT
};

static int load(const char *path, struct img *m)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return -errno;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	m->b = malloc(n > 0 ? (size_t)n : 1);
	m->len = m->b && n > 0 ? fread(m->b, 1, (size_t)n, f) : 0;
	fclose(f);
	return m->len == (size_t)n ? 0 : -EIO;
}

int main(int argc, char **argv)
{
	const struct defect *d = NULL;
	struct img m = {0};
	char path[1024], *out = NULL, rule[128];
	size_t out_len = 0;
	const char *base = "multi";
	struct obj_file *obj;
	struct diag_sink *sink;
	FILE *mem;
	bool warn, check, ok;

	if (argc < 3) {
		fprintf(stderr, "usage: malformed OBJDIR DEFECT [OUT]\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(defects) / sizeof(defects[0]); i++)
		if (strcmp(defects[i].name, argv[2]) == 0)
			d = &defects[i];
	if (!d && strncmp(argv[2], "none_", 5) != 0) {
		fprintf(stderr, "malformed: unknown defect '%s'\n", argv[2]);
		return 2;
	}
	if (d)
		base = d->base;
	else
		base = argv[2] + 5;
	snprintf(path, sizeof(path), "%s/%s.bpf.o", argv[1], base);
	if (load(path, &m)) {
		printf("SKIP: base object %s cannot be read\n", path);
		return 77;
	}
	if (d)
		d->apply(&m);
	if (argc > 3) {
		FILE *f = fopen(argv[3], "wb");
		if (!f || fwrite(m.b, 1, m.len, f) != m.len || fclose(f)) {
			fprintf(stderr, "malformed: cannot write %s\n", argv[3]);
			return 1;
		}
	}

	mem = open_memstream(&out, &out_len);
	sink = mem ? diag_sink_new(mem, DIAG_FORMAT_TEXT) : NULL;
	if (!sink)
		return 1;
	obj = obj_open_mem(m.b, m.len, argv[2], sink);
	fflush(mem);
	warn = d && strncmp(d->rule, "warn:", 5) == 0;
	check = d && strncmp(d->rule, "check:", 6) == 0;
	if (check) {
		ok = obj && diag_error_count(sink) == 0 &&
		     check_object(obj, NULL, sink) == -EINVAL && diag_error_count(sink) == 1;
		fflush(mem);
		snprintf(rule, sizeof(rule), "[%s]", d->rule + 6);
		ok = ok && strstr(out, m.msg) && strstr(out, rule);
	} else if (!d) {
		ok = obj && diag_error_count(sink) == 0 && diag_warning_count(sink) == 0;
	} else {
		snprintf(rule, sizeof(rule), "%s", warn ? d->rule + 5 : d->rule);
		ok = warn ? obj && diag_error_count(sink) == 0 && diag_warning_count(sink) == 1
		          : !obj && diag_error_count(sink) == 1;
		ok = ok && strstr(out, m.msg) && strstr(out, rule);
	}
	printf("%s: %s\n", argv[2], ok ? "ok" : "FAILED");
	if (d)
		printf("expected: %s %s\n", m.msg, rule);
	printf("got:      %s", out_len ? out : "(no diagnostic)\n");
	obj_free(obj);
	diag_sink_free(sink);
	fclose(mem);
	free(out);
	free(m.b);
	return ok ? 0 : 1;
}
