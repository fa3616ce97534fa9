/*
 * obj_open.c - the constructor of the object model: ELF header, section table, symbol
 * table, then the steps that build programs, maps, data, externs and BTF on top.
 *
 * It accepts what libbpf's bpf_object__open() accepts: a 64-bit relocatable (or
 * executable) ELF for EM_BPF in the host's byte order, with one SHT_SYMTAB.  Like uBPF's
 * loader, every field read from the file is checked before it is used and the first bad
 * one stops the reader with a message that names it.  libelf is used for the header and
 * the section table (it knows extended section numbering); section contents are read
 * from our own copy of the bytes once their range has been checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/btf.h>

#include "elf/obj_int.h"

int obj_err(struct obj_ctx *ctx, const char *rule, const char *fmt, ...)
{
	struct diag_loc loc = {.file = ctx->obj->name};
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(ctx->sink, DIAG_ERROR, rule, &loc, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void obj_warn(struct obj_ctx *ctx, const char *rule, const char *fmt, ...)
{
	struct diag_loc loc = {.file = ctx->obj->name};
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(ctx->sink, DIAG_WARNING, rule, &loc, fmt, ap);
	va_end(ap);
}

int obj_find_section(const struct obj_file *obj, const char *name)
{
	for (size_t i = 1; i < obj->nr_sections; i++)
		if (strcmp(obj->sections[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The fixed part of the header, checked on the raw bytes before libelf sees them. */
static int check_ident(struct obj_ctx *ctx)
{
	const uint8_t *b = ctx->obj->bytes;
	size_t size = ctx->obj->size;
	Elf64_Ehdr eh;

	if (size < EI_NIDENT || memcmp(b, ELFMAG, SELFMAG) != 0)
		return obj_err(ctx, "elf-bad-header", "not an ELF file (bad magic in e_ident)");
	if (b[EI_CLASS] != ELFCLASS64)
		return obj_err(ctx, "elf-bad-header",
		               "e_ident[EI_CLASS] is %u, BPF objects are ELFCLASS64", b[EI_CLASS]);
	if (b[EI_DATA] != ELFDATA2LSB && b[EI_DATA] != ELFDATA2MSB)
		return obj_err(ctx, "elf-bad-header", "e_ident[EI_DATA] %u is not a byte order",
		               b[EI_DATA]);
	if ((b[EI_DATA] == ELFDATA2LSB) != (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__))
		return obj_err(ctx, "elf-bad-header",
		               "object byte order (e_ident[EI_DATA] %u) differs from the host's",
		               b[EI_DATA]);
	if (size < sizeof(eh))
		return obj_err(ctx, "elf-bad-header",
		               "file too short for an ELF header (%zu bytes, need %zu)", size,
		               sizeof(eh));
	memcpy(&eh, b, sizeof(eh));
	ctx->obj->ei_data = b[EI_DATA];
	ctx->obj->e_type = eh.e_type;
	if (eh.e_machine != EM_BPF)
		return obj_err(ctx, "elf-bad-header", "e_machine is %u, not EM_BPF (%u)",
		               eh.e_machine, EM_BPF);
	if (eh.e_type != ET_REL && eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return obj_err(ctx, "elf-bad-header", "e_type %u is not a relocatable object",
		               eh.e_type);
	if (eh.e_shoff == 0)
		return obj_err(ctx, "elf-bad-header", "no section header table (e_shoff is 0)");
	if (eh.e_shentsize != sizeof(Elf64_Shdr))
		return obj_err(ctx, "elf-bad-header", "e_shentsize is %u, expected %zu",
		               eh.e_shentsize, sizeof(Elf64_Shdr));
	/* e_shnum == 0 means the count is in section 0's sh_size: at least one header */
	uint64_t n = eh.e_shnum ? eh.e_shnum : 1;
	if (!obj_range_ok(eh.e_shoff, n * sizeof(Elf64_Shdr), size))
		return obj_err(ctx, "elf-bad-header",
		               "section header table (e_shoff %#llx, %llu entries) beyond end of "
		               "file (%zu bytes)",
		               (unsigned long long)eh.e_shoff, (unsigned long long)n, size);
	if (eh.e_shnum == 0) {
		Elf64_Shdr s0;
		memcpy(&s0, b + eh.e_shoff, sizeof(s0));
		if (!obj_range_ok(eh.e_shoff, s0.sh_size * sizeof(Elf64_Shdr), size) ||
		    s0.sh_size > 0xffffffffu)
			return obj_err(ctx, "elf-bad-header",
			               "section header table (e_shoff %#llx, %llu entries) beyond "
			               "end of file (%zu bytes)",
			               (unsigned long long)eh.e_shoff,
			               (unsigned long long)s0.sh_size, size);
	}
	return 0;
}

/* A NUL-terminated string at `off` inside string table section `strsec`, or NULL. */
static const char *strtab_at(const struct obj_file *obj, unsigned strsec, uint64_t off)
{
	const struct obj_section *s = &obj->sections[strsec];

	if (!s->data || off >= s->size)
		return NULL;
	if (!memchr(s->data + off, '\0', s->size - off))
		return NULL;
	return (const char *)s->data + off;
}

static int read_section(struct obj_ctx *ctx, Elf *elf, size_t shstrndx, size_t i)
{
	struct obj_file *obj = ctx->obj;
	struct obj_section *s = &obj->sections[i];
	Elf_Scn *scn = elf_getscn(elf, i);
	GElf_Shdr sh;
	const char *name;

	if (!scn || !gelf_getshdr(scn, &sh))
		return obj_err(ctx, "elf-bad-section", "section index %zu: unreadable header: %s",
		               i, elf_errmsg(-1));
	name = strtab_at(obj, (unsigned)shstrndx, sh.sh_name);
	if (!name)
		return obj_err(ctx, "elf-bad-section",
		               "section index %zu: sh_name %#x outside the section name table", i,
		               sh.sh_name);
	s->name = name;
	s->index = (unsigned)i;
	s->type = sh.sh_type;
	s->flags = sh.sh_flags;
	s->offset = sh.sh_offset;
	s->size = sh.sh_size;
	s->align = sh.sh_addralign;
	s->link = sh.sh_link;
	s->info = sh.sh_info;
	if (sh.sh_type == SHT_NOBITS || sh.sh_type == SHT_NULL)
		return 0;
	if (!obj_range_ok(sh.sh_offset, sh.sh_size, obj->size))
		return obj_err(ctx, "elf-bad-section",
		               "section '%s' (index %zu): sh_offset %#llx + sh_size %#llx beyond "
		               "end of file (%zu bytes)",
		               name, i, (unsigned long long)sh.sh_offset,
		               (unsigned long long)sh.sh_size, obj->size);
	s->data = obj->bytes + sh.sh_offset;
	return 0;
}

int obj_read_sections(struct obj_ctx *ctx)
{
	struct obj_file *obj = ctx->obj;
	size_t shnum, shstrndx;
	Elf *elf = NULL;
	int err;

	err = check_ident(ctx);
	if (err)
		return err;
	elf_version(EV_CURRENT);
	elf = elf_memory((char *)obj->bytes, obj->size);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		err = obj_err(ctx, "elf-bad-header", "libelf cannot read the file: %s",
		              elf_errmsg(-1));
		goto out;
	}
	if (elf_getshdrnum(elf, &shnum) || elf_getshdrstrndx(elf, &shstrndx)) {
		err = obj_err(ctx, "elf-bad-header", "bad section count or e_shstrndx: %s",
		              elf_errmsg(-1));
		goto out;
	}
	if (shnum == 0) {
		err = obj_err(ctx, "elf-bad-header", "the object has no sections");
		goto out;
	}
	if (shstrndx == 0 || shstrndx >= shnum) {
		err = obj_err(ctx, "elf-bad-header", "e_shstrndx %zu out of range (%zu sections)",
		              shstrndx, shnum);
		goto out;
	}
	obj->sections = calloc(shnum, sizeof(*obj->sections));
	if (!obj->sections) {
		err = -ENOMEM;
		goto out;
	}
	obj->nr_sections = shnum;
	obj->sections[0].name = "";
	{
		/* the section name table first: every other header's name is read from it */
		Elf_Scn *scn = elf_getscn(elf, shstrndx);
		GElf_Shdr sh;
		if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_type != SHT_STRTAB ||
		    !obj_range_ok(sh.sh_offset, sh.sh_size, obj->size)) {
			err =
			    obj_err(ctx, "elf-bad-header",
			            "e_shstrndx %zu: not a string table inside the file", shstrndx);
			goto out;
		}
		obj->sections[shstrndx].data = obj->bytes + sh.sh_offset;
		obj->sections[shstrndx].size = sh.sh_size;
	}
	for (size_t i = 1; i < shnum; i++) {
		err = read_section(ctx, elf, shstrndx, i);
		if (err)
			goto out;
	}
	/* program sections are arrays of 8-byte instructions (checked before symbols) */
	for (size_t i = 1; i < shnum; i++) {
		const struct obj_section *s = &obj->sections[i];
		if (s->type != SHT_PROGBITS || !(s->flags & SHF_EXECINSTR))
			continue;
		if (s->size % sizeof(struct bpf_insn)) {
			err = obj_err(ctx, "elf-bad-program",
			              "section '%s': size %llu is not a multiple of 8 (the "
			              "instruction size)",
			              s->name, (unsigned long long)s->size);
			goto out;
		}
		if (s->offset % 8) {
			err = obj_err(ctx, "elf-bad-program",
			              "section '%s': sh_offset %#llx is not 8-byte aligned",
			              s->name, (unsigned long long)s->offset);
			goto out;
		}
	}
	obj->maps_sec = obj_find_section(obj, ".maps");
	obj->text_sec = obj_find_section(obj, ".text");
	obj->btf_sec = obj_find_section(obj, ".BTF");
	obj->btf_ext_sec = obj_find_section(obj, ".BTF.ext");
	obj->has_legacy_maps = obj_find_section(obj, "maps") >= 0;
	for (size_t i = 1; i < shnum; i++) {
		if (obj->sections[i].type != SHT_SYMTAB)
			continue;
		if (obj->symtab_sec >= 0) {
			err = obj_err(ctx, "elf-bad-section",
			              "more than one symbol table (sections %d and %zu)",
			              obj->symtab_sec, i);
			goto out;
		}
		obj->symtab_sec = (int)i;
	}
	err = 0;
out:
	elf_end(elf);
	return err;
}

int obj_read_symbols(struct obj_ctx *ctx)
{
	struct obj_file *obj = ctx->obj;
	const struct obj_section *st, *str;

	if (obj->symtab_sec < 0)
		return obj_err(ctx, "elf-bad-section", "the object has no symbol table (.symtab)");
	st = &obj->sections[obj->symtab_sec];
	if (st->size % sizeof(Elf64_Sym) != 0)
		return obj_err(ctx, "elf-bad-section",
		               "section '%s': size %llu is not a multiple of %zu (Elf64_Sym)",
		               st->name, (unsigned long long)st->size, sizeof(Elf64_Sym));
	if (st->link == 0 || st->link >= obj->nr_sections ||
	    obj->sections[st->link].type != SHT_STRTAB)
		return obj_err(ctx, "elf-bad-section",
		               "section '%s': sh_link %u is not a string table", st->name,
		               st->link);
	str = &obj->sections[st->link];
	obj->nr_symbols = st->size / sizeof(Elf64_Sym);
	obj->symbols = calloc(obj->nr_symbols ? obj->nr_symbols : 1, sizeof(*obj->symbols));
	if (!obj->symbols)
		return -ENOMEM;
	for (size_t i = 0; i < obj->nr_symbols; i++) {
		struct obj_symbol *sym = &obj->symbols[i];
		Elf64_Sym es;

		memcpy(&es, st->data + i * sizeof(es), sizeof(es));
		sym->name = strtab_at(obj, st->link, es.st_name);
		if (!sym->name)
			return obj_err(ctx, "elf-bad-symbol",
			               "symbol %zu: st_name %#x outside string table '%s'", i,
			               es.st_name, str->name);
		sym->index = (unsigned)i;
		sym->value = es.st_value;
		sym->size = es.st_size;
		sym->bind = ELF64_ST_BIND(es.st_info);
		sym->type = ELF64_ST_TYPE(es.st_info);
		sym->visibility = ELF64_ST_VISIBILITY(es.st_other);
		sym->shndx = es.st_shndx;
		if (es.st_shndx == SHN_UNDEF || es.st_shndx >= SHN_LORESERVE)
			continue;
		if (es.st_shndx >= obj->nr_sections)
			return obj_err(ctx, "elf-bad-symbol",
			               "symbol '%s': st_shndx %u out of range (%zu sections)",
			               sym->name, es.st_shndx, obj->nr_sections);
		const struct obj_section *s = &obj->sections[es.st_shndx];
		if ((sym->type == STT_FUNC || sym->type == STT_OBJECT) && (s->flags & SHF_ALLOC) &&
		    !obj_range_ok(es.st_value, es.st_size, s->size))
			return obj_err(ctx, "elf-bad-symbol",
			               "symbol '%s': st_value %#llx + st_size %#llx beyond section "
			               "'%s' (size %llu)",
			               sym->name, (unsigned long long)es.st_value,
			               (unsigned long long)es.st_size, s->name,
			               (unsigned long long)s->size);
	}
	return 0;
}

void obj_free(struct obj_file *obj)
{
	if (!obj)
		return;
	btf__free(obj->btf);
	for (size_t i = 0; i < obj->nr_progs; i++) {
		free((void *)obj->progs[i].lines);
		free((void *)obj->progs[i].funcs);
		free((void *)obj->progs[i].core_relos);
	}
	for (size_t i = 0; i < obj->nr_subprogs; i++) {
		free((void *)obj->subprogs[i].lines);
		free((void *)obj->subprogs[i].funcs);
		free((void *)obj->subprogs[i].core_relos);
	}
	if (obj->sections)
		for (size_t i = 0; i < obj->nr_sections; i++)
			free(obj->sections[i].relocs);
	free(obj->progs);
	free(obj->subprogs);
	for (size_t i = 0; i < obj->nr_maps; i++)
		free((void *)obj->maps[i].inner);
	free(obj->maps);
	free(obj->datas);
	free(obj->externs);
	free(obj->sections);
	free(obj->symbols);
	if (obj->license_owned)
		free((void *)obj->license);
	free(obj->bytes);
	free((void *)obj->name);
	free(obj);
}

struct obj_file *obj_open_mem(const void *buf, size_t len, const char *name, struct diag_sink *sink)
{
	struct obj_ctx ctx = {.sink = sink};
	struct obj_file *obj;
	int err = -ENOMEM;

	obj = calloc(1, sizeof(*obj));
	if (!obj)
		goto nomem;
	obj->maps_sec = obj->text_sec = obj->btf_sec = obj->btf_ext_sec = obj->symtab_sec = -1;
	obj->name = strdup(name ? name : "<memory>");
	obj->bytes = malloc(len ? len : 1);
	if (!obj->name || !obj->bytes)
		goto nomem;
	if (len)
		memcpy(obj->bytes, buf, len);
	obj->size = len;
	ctx.obj = obj;

	err = obj_read_sections(&ctx);
	if (!err)
		err = obj_read_symbols(&ctx);
	if (!err)
		err = obj_read_btf(&ctx);
	if (!err)
		err = obj_read_data(&ctx);
	if (!err)
		err = obj_read_externs(&ctx);
	if (!err)
		err = obj_read_maps(&ctx);
	if (!err)
		err = obj_read_progs(&ctx);
	if (!err)
		err = obj_read_relocs(&ctx);
	if (!err)
		err = obj_read_btf_ext(&ctx);
	if (err == -ENOMEM)
		goto nomem;
	if (err)
		goto fail;
	return obj;
nomem:
	diag_errorf(sink, NULL, NULL, "%s: out of memory reading the object",
	            name ? name : "<memory>");
fail:
	obj_free(obj);
	return NULL;
}

struct obj_file *obj_open_file(const char *path, struct diag_sink *sink)
{
	struct obj_file *obj = NULL;
	uint8_t *buf = NULL;
	struct stat st;
	size_t got = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		diag_errorf(sink, NULL, NULL, "cannot open '%s': %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_errorf(sink, NULL, NULL, "'%s' is not a regular file", path);
		goto out;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		diag_errorf(sink, NULL, NULL, "'%s': out of memory", path);
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			diag_errorf(sink, NULL, NULL, "cannot read '%s': %s", path,
			            n < 0 ? strerror(errno) : "file shrank while reading");
			goto out;
		}
		got += (size_t)n;
	}
	obj = obj_open_mem(buf, got, path, sink);
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return obj;
}
