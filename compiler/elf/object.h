/*
 * object.h - the BPF ELF object reader: what libbpf sees when it opens a `.bpf.o`.
 *
 * obj_open_mem() reads an ELF object built for EM_BPF the way libbpf's bpf_object__open()
 * does: executable sections hold programs (one per STT_FUNC symbol; functions in `.text`
 * are subprograms), `.rel<sec>` sections hold their relocations, `.maps` holds BTF-defined
 * map definitions (decoded from the BTF of each variable, as libbpf's
 * bpf_object__init_user_btf_maps() does), `.data`/`.rodata*`/`.bss`/`.data.*` are global
 * data, undefined symbols are `.kconfig`/`.ksyms` externs, `license` and `version` are the
 * strings the loader hands to the kernel, `.BTF` is parsed with libbpf's btf__new() after
 * our own header and type-reference validation, and `.BTF.ext` (func_info, line_info, CO-RE
 * relocations) is decoded here.
 *
 * The input is untrusted: every offset, size and index is bounds-checked.  A malformed
 * object makes obj_open_mem() return NULL after exactly one error diagnostic through the
 * sink, naming the bad section or field (rules "elf-bad-header", "elf-bad-section",
 * "elf-bad-symbol", "elf-bad-reloc", "elf-bad-program", "elf-bad-btf", "elf-bad-btf-ext",
 * "elf-bad-maps", "elf-bad-version").  Conditions libbpf tolerates are
 * warnings and the object is still returned (rule "elf-license-unterminated").  Judging
 * whether the kernel will accept what was read (program types, license compatibility, map
 * rules) is the job of compiler/check/, not of this reader.
 *
 * Ownership: everything reachable from a `struct obj_file` (strings, arrays, instruction
 * pointers, the `struct btf`) is owned by it and stays valid until obj_free().  The object
 * keeps its own copy of the input bytes, so the caller's buffer may be freed after
 * obj_open_mem() returns.  All structures are read-only for users.
 *
 * Instruction indexes: `insn` fields in line_info, func_info and CO-RE records and
 * `insn_idx` in relocations are relative to the start of the program they belong to,
 * in 8-byte instruction slots (an ld_imm64 takes two).
 */
#ifndef BPFCC_ELF_OBJECT_H
#define BPFCC_ELF_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

#include "diag/diag.h"

struct btf;
struct obj_map;

struct obj_reloc;

/* One ELF section header, as read (names resolved). */
struct obj_section {
	const char *name; /* "" if unnamed */
	unsigned index;   /* ELF section index */
	uint32_t type;    /* SHT_* */
	uint64_t flags;   /* SHF_* */
	uint64_t offset;  /* in the file */
	uint64_t size;    /* bytes (for SHT_NOBITS: size in memory) */
	uint64_t align;
	uint32_t link, info;
	const uint8_t *data;      /* `size` bytes inside the object's copy, NULL for SHT_NOBITS */
	struct obj_reloc *relocs; /* relocations applying to this section, sorted by offset */
	size_t nr_relocs;
};

/* One ELF symbol. */
struct obj_symbol {
	const char *name; /* "" if unnamed */
	unsigned index;   /* in .symtab */
	uint64_t value;
	uint64_t size;
	uint8_t bind;       /* STB_* */
	uint8_t type;       /* STT_* */
	uint8_t visibility; /* STV_* */
	uint16_t shndx;     /* section index, or SHN_UNDEF / SHN_ABS / SHN_COMMON */
};

/* What a relocation points at, classified as libbpf's bpf_program__record_reloc() does. */
enum obj_reloc_kind {
	OBJ_RELOC_UNKNOWN,      /* none of the below: compiler/check/ decides */
	OBJ_RELOC_MAP,          /* ld_imm64 of a map in .maps; `target` = map index */
	OBJ_RELOC_DATA,         /* ld_imm64 of global data; `target` = data section index */
	OBJ_RELOC_CALL,         /* bpf-to-bpf call (src_reg BPF_PSEUDO_CALL) */
	OBJ_RELOC_SUBPROG_ADDR, /* ld_imm64 of a function's address (callbacks) */
	OBJ_RELOC_EXTERN_VAR,   /* ld_imm64 of a .kconfig/.ksyms variable; `target` = extern */
	OBJ_RELOC_EXTERN_FUNC,  /* call of a kfunc; `target` = extern index */
};

struct obj_reloc {
	uint32_t insn_idx;            /* instruction slot, relative to the program (or section) */
	uint64_t offset;              /* r_offset: byte offset within the section */
	uint32_t type;                /* R_BPF_* */
	const struct obj_symbol *sym; /* the symbol referenced (never NULL) */
	enum obj_reloc_kind kind;
	int target; /* index into maps / datas / externs depending on kind, else -1 */
};

/* A line_info record: instruction → source position. */
struct obj_line {
	uint32_t insn;    /* program-relative instruction slot */
	const char *file; /* file name from BTF strings, "" if empty */
	const char *text; /* the source line text, "" if empty */
	unsigned line;
	unsigned col;
};

/* A func_info record: the BTF FUNC describing the function starting at `insn`. */
struct obj_func_info {
	uint32_t insn;
	uint32_t type_id;
};

/* A CO-RE relocation record (struct bpf_core_relo). */
struct obj_core_relo {
	uint32_t insn;
	uint32_t type_id;   /* root type in the object's BTF */
	const char *access; /* access string, e.g. "0:1:2" */
	uint32_t kind;      /* enum bpf_core_relo_kind */
};

/* A program (function in an executable section) or a subprogram (function in .text). */
struct obj_prog {
	const char *name;
	const char *section; /* section name, e.g. "xdp", "tracepoint/syscalls/sys_enter_open" */
	unsigned sec_idx;    /* ELF section index */
	uint64_t sec_off;    /* byte offset of the first instruction within the section */
	const struct bpf_insn *insns; /* points into the object's copy; may be unaligned-safe */
	size_t insn_cnt;
	bool global;  /* STB_GLOBAL (or weak) symbol, else static */
	bool subprog; /* lives in .text */
	const struct obj_symbol *sym;
	const struct obj_reloc *relocs; /* sorted by offset */
	size_t nr_relocs;
	const struct obj_line *lines; /* sorted by insn */
	size_t nr_lines;
	const struct obj_func_info *funcs;
	size_t nr_funcs;
	const struct obj_core_relo *core_relos;
	size_t nr_core_relos;
};

/* A BTF-defined map in `.maps`. */
struct obj_map {
	const char *name;
	unsigned sym_idx;                    /* its symbol in .symtab */
	uint64_t sec_off;                    /* offset within .maps */
	uint32_t btf_var_id;                 /* the BTF VAR describing it */
	uint32_t type;                       /* BPF_MAP_TYPE_*, 0 if not given */
	uint32_t key_size, value_size;       /* 0 if not given */
	uint32_t key_type_id, value_type_id; /* BTF ids from `key`/`value`, 0 if not given */
	uint32_t max_entries;
	uint32_t map_flags;
	uint32_t numa_node;
	uint32_t pinning; /* LIBBPF_PIN_* */
	uint64_t map_extra;
	bool has_type, has_key_size, has_value_size, has_max_entries, has_map_flags, has_numa_node,
	    has_pinning, has_map_extra;
	const struct obj_map *inner; /* map-in-map: the definition in `values`, else NULL */
	struct diag_loc loc;         /* source location if known (line == 0: unknown) */
};

enum obj_data_kind {
	OBJ_DATA_DATA,   /* .data, .data.* */
	OBJ_DATA_RODATA, /* .rodata, .rodata.* */
	OBJ_DATA_BSS,    /* .bss */
};

/* A global data section (becomes an array map when loaded). */
struct obj_data {
	const char *name;
	unsigned sec_idx;
	enum obj_data_kind kind;
	uint64_t size;
	const uint8_t *bytes;    /* initial contents, NULL for .bss */
	uint32_t btf_datasec_id; /* BTF DATASEC of the same name, 0 if none */
};

enum obj_extern_kind {
	OBJ_EXTERN_UNKNOWN, /* no BTF DATASEC names it (libbpf cannot open the object) */
	OBJ_EXTERN_KCONFIG, /* in DATASEC .kconfig */
	OBJ_EXTERN_KSYM,    /* in DATASEC .ksyms (variable or kfunc) */
};

struct obj_extern {
	const char *name;
	unsigned sym_idx;
	enum obj_extern_kind kind;
	bool weak;
	bool is_func;     /* BTF FUNC (a kfunc), else a variable */
	uint32_t btf_id;  /* BTF VAR or FUNC id, 0 if not found */
	uint32_t type_id; /* VAR: its type; FUNC: its FUNC_PROTO; 0 if none */
};

struct obj_file {
	const char *name; /* as given to obj_open_mem() */
	uint8_t *bytes;   /* the object's copy of the input */
	size_t size;
	uint16_t e_type;
	uint8_t ei_data; /* ELFDATA2LSB / ELFDATA2MSB */

	struct obj_section *sections; /* indexed by ELF section index; [0] is the null section */
	size_t nr_sections;
	struct obj_symbol *symbols; /* indexed by symbol index */
	size_t nr_symbols;

	struct obj_prog *progs; /* entry programs, in section then offset order */
	size_t nr_progs;
	struct obj_prog *subprogs; /* functions in .text */
	size_t nr_subprogs;
	struct obj_map *maps; /* BTF-defined maps, in .maps order */
	size_t nr_maps;
	struct obj_data *datas;
	size_t nr_datas;
	struct obj_extern *externs;
	size_t nr_externs;

	const char *license; /* NULL if no license section; contents up to the first NUL */
	size_t license_size; /* size of the section */
	bool license_nul;    /* the section contains a NUL byte */
	bool license_owned;  /* internal: `license` is a terminated copy we allocated */
	bool has_version;
	uint32_t kern_version;

	struct btf *btf;       /* parsed .BTF (libbpf), NULL if absent */
	uint32_t btf_type_cnt; /* btf__type_cnt(): number of types + 1 (void) */
	uint32_t btf_str_len;
	bool has_btf_ext;
	int maps_sec, text_sec, btf_sec, btf_ext_sec, symtab_sec; /* section indexes, -1 */
	bool has_legacy_maps; /* a "maps" section (libbpf 1.x refuses it) */
};

/* Reads an object from memory.  `name` is used in diagnostics (copied).  NULL on error,
 * after one diagnostic through `sink`.  Free with obj_free(). */
struct obj_file *obj_open_mem(const void *buf, size_t len, const char *name,
                              struct diag_sink *sink);

/* Reads the file at `path`.  NULL on error (I/O errors are reported with rule NULL). */
struct obj_file *obj_open_file(const char *path, struct diag_sink *sink);

/* Frees everything owned by `obj`; NULL and half-built objects are allowed. */
void obj_free(struct obj_file *obj);

/* Source position of instruction `insn_idx` of `prog` from line_info: the nearest record at
 * or before it.  Returns {NULL, 0, 0} when no line_info covers it.  Strings are owned by
 * the object. */
struct diag_loc obj_line_for_insn(const struct obj_prog *prog, size_t insn_idx);

/* The line record used by obj_line_for_insn(), or NULL. */
const struct obj_line *obj_line_rec_for_insn(const struct obj_prog *prog, size_t insn_idx);

/* Looks up a program or subprogram by function name; NULL if none. */
const struct obj_prog *obj_find_prog(const struct obj_file *obj, const char *name);
/* Looks up a map by name; NULL if none. */
const struct obj_map *obj_find_map(const struct obj_file *obj, const char *name);

/* Static name tables (never NULL; "unknown" for out-of-range values). */
const char *obj_core_relo_kind_name(uint32_t kind);
const char *obj_map_type_name(uint32_t type);
const char *obj_reloc_kind_name(enum obj_reloc_kind kind);
const char *obj_data_kind_name(enum obj_data_kind kind);
const char *obj_extern_kind_name(enum obj_extern_kind kind);

#endif
