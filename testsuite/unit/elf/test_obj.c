/*
 * test_obj.c - unit tests of the object reader (compiler/elf/object.h) on objects compiled
 * from the programs in progs/.  Expectations come from the source (attribute values written there,
 * line numbers found by searching the file) and from libbpf opening the same bytes
 * (program names, sections and sizes, map definitions, BTF type count), never from the
 * reader itself.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "diag/diag.h"
#include "elf/object.h"

/* bpf_helpers.h (a BPF-side header) defines it: enum libbpf_pin_type */
#define PIN_BY_NAME 1

static char *out_buf;
static size_t out_len;
static FILE *out;
static struct diag_sink *sink;

static void setup(void)
{
	out = open_memstream(&out_buf, &out_len);
	ck_assert_ptr_nonnull(out);
	sink = diag_sink_new(out, DIAG_FORMAT_TEXT);
	ck_assert_ptr_nonnull(sink);
}

static void teardown(void)
{
	diag_sink_free(sink);
	fclose(out);
	free(out_buf);
	out_buf = NULL;
}

static struct obj_file *open_obj(const char *name)
{
	char path[512];
	struct obj_file *obj;

	snprintf(path, sizeof(path), "%s/%s", OBJ_DIR, name);
	obj = obj_open_file(path, sink);
	fflush(out);
	ck_assert_msg(obj != NULL, "%s: %s", name, out_buf ? out_buf : "");
	ck_assert_uint_eq(diag_error_count(sink), 0);
	ck_assert_uint_eq(diag_warning_count(sink), 0);
	return obj;
}

/* Line number (1-based) of the first line of progs/<file> containing `needle`. */
static unsigned src_line(const char *file, const char *needle)
{
	char path[512], line[512];
	unsigned n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", SRC_DIR, file);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (strstr(line, needle)) {
			fclose(f);
			return n;
		}
	}
	fclose(f);
	ck_abort_msg("'%s' not found in %s", needle, file);
	return 0;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

/* Compares programs and maps with libbpf's view of the same file. */
static void compare_with_libbpf(const struct obj_file *obj)
{
	struct bpf_object *bo;
	struct bpf_program *bp;
	struct bpf_map *bm;
	size_t progs = 0, maps = 0;

	libbpf_set_print(silent);
	bo = bpf_object__open_mem(obj->bytes, obj->size, NULL);
	ck_assert_msg(bo != NULL, "libbpf cannot open %s: %d", obj->name, -errno);
	bpf_object__for_each_program(bp, bo)
	{
		const struct obj_prog *p = obj_find_prog(obj, bpf_program__name(bp));
		ck_assert_msg(p != NULL, "program %s missing", bpf_program__name(bp));
		ck_assert(!p->subprog);
		ck_assert_str_eq(p->section, bpf_program__section_name(bp));
		ck_assert_uint_eq(p->insn_cnt, bpf_program__insn_cnt(bp));
		ck_assert_int_eq(memcmp(p->insns, bpf_program__insns(bp), 8), 0);
		progs++;
	}
	ck_assert_uint_eq(progs, obj->nr_progs);
	bpf_object__for_each_map(bm, bo)
	{
		const struct obj_map *m = obj_find_map(obj, bpf_map__name(bm));
		if (!m) /* libbpf's internal maps for global data: "<obj>.data" etc. */
			continue;
		ck_assert_uint_eq(m->type, bpf_map__type(bm));
		ck_assert_uint_eq(m->key_size, bpf_map__key_size(bm));
		ck_assert_uint_eq(m->value_size, bpf_map__value_size(bm));
		ck_assert_uint_eq(m->max_entries, bpf_map__max_entries(bm));
		ck_assert_uint_eq(m->map_flags, bpf_map__map_flags(bm));
		ck_assert_uint_eq(m->numa_node, bpf_map__numa_node(bm));
		maps++;
	}
	ck_assert_uint_eq(maps, obj->nr_maps);
	bpf_object__close(bo);
	/* libbpf's object adds types for kfunc externs: compare with the ELF's own .BTF */
	struct btf *btf = btf__parse_elf(obj->name, NULL);
	ck_assert_ptr_nonnull(btf);
	ck_assert_uint_eq(btf__type_cnt(btf), obj->btf_type_cnt);
	btf__free(btf);
}

static const struct obj_reloc *find_reloc(const struct obj_prog *p, const char *sym)
{
	for (size_t i = 0; i < p->nr_relocs; i++)
		if (strcmp(p->relocs[i].sym->name, sym) == 0)
			return &p->relocs[i];
	return NULL;
}

START_TEST(test_maps_globals)
{
	struct obj_file *obj = open_obj("maps_globals.bpf.o");
	const struct obj_map *m;
	const struct obj_prog *p;
	const struct obj_reloc *r;

	compare_with_libbpf(obj);
	ck_assert_uint_eq(obj->nr_progs, 2);
	ck_assert_uint_eq(obj->nr_subprogs, 2);
	ck_assert_str_eq(obj->license, "GPL");
	ck_assert(obj->license_nul);
	ck_assert(obj->has_version);
	ck_assert_uint_eq(obj->kern_version, 0x060c00);

	m = obj_find_map(obj, "hash_map");
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->type, BPF_MAP_TYPE_HASH);
	ck_assert_uint_eq(m->max_entries, 1024);
	ck_assert_uint_eq(m->map_flags, BPF_F_NO_PREALLOC);
	ck_assert_uint_eq(m->pinning, PIN_BY_NAME);
	ck_assert_uint_eq(m->key_size, 8); /* struct key {u32; u16;} padded */
	ck_assert_uint_eq(m->value_size, 8);
	ck_assert_str_eq(
	    btf__name_by_offset(obj->btf, btf__type_by_id(obj->btf, m->key_type_id)->name_off),
	    "key");
	ck_assert_ptr_null(m->inner);

	m = obj_find_map(obj, "sized_array");
	ck_assert_ptr_nonnull(m);
	ck_assert(m->has_numa_node && m->has_key_size && !m->key_type_id);
	ck_assert_uint_eq(m->value_size, 32);

	m = obj_find_map(obj, "outer");
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	ck_assert_ptr_nonnull(m->inner);
	ck_assert_str_eq(m->inner->name, "outer.inner");
	ck_assert_uint_eq(m->inner->type, BPF_MAP_TYPE_ARRAY);
	ck_assert_uint_eq(m->inner->max_entries, 4);
	ck_assert_uint_eq(m->inner->value_size, 4);

	m = obj_find_map(obj, "jumps");
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->type, BPF_MAP_TYPE_PROG_ARRAY);
	ck_assert_ptr_null(m->inner);

	/* global data: one of each kind plus the custom .data.custom */
	ck_assert_uint_eq(obj->nr_datas, 4);
	for (size_t i = 0; i < obj->nr_datas; i++) {
		const struct obj_data *d = &obj->datas[i];
		ck_assert(d->btf_datasec_id != 0);
		if (!strcmp(d->name, ".bss")) {
			ck_assert_int_eq(d->kind, OBJ_DATA_BSS);
			ck_assert_ptr_null(d->bytes);
			ck_assert_uint_eq(d->size, 8);
		} else if (!strcmp(d->name, ".rodata")) {
			ck_assert_int_eq(d->kind, OBJ_DATA_RODATA);
			ck_assert_uint_eq(rd32(d->bytes), 100);
		} else if (!strcmp(d->name, ".data.custom")) {
			ck_assert_int_eq(d->kind, OBJ_DATA_DATA);
			ck_assert_uint_eq(rd32(d->bytes), 7);
		} else {
			ck_assert_str_eq(d->name, ".data");
			ck_assert_uint_eq(rd32(d->bytes), 1);
		}
	}

	/* externs */
	ck_assert_uint_eq(obj->nr_externs, 3);
	for (size_t i = 0; i < obj->nr_externs; i++) {
		const struct obj_extern *e = &obj->externs[i];
		if (!strcmp(e->name, "CONFIG_HZ")) {
			ck_assert(e->weak && !e->is_func && e->kind == OBJ_EXTERN_KCONFIG);
		} else if (!strcmp(e->name, "LINUX_KERNEL_VERSION")) {
			ck_assert(!e->weak && !e->is_func && e->kind == OBJ_EXTERN_KCONFIG);
		} else {
			ck_assert_str_eq(e->name, "bpf_task_acquire");
			ck_assert(e->weak && e->is_func && e->kind == OBJ_EXTERN_KSYM);
			ck_assert(btf_is_func_proto(btf__type_by_id(obj->btf, e->type_id)));
		}
	}

	/* relocations of xdp_prog, classified and pointing at the right things */
	p = obj_find_prog(obj, "xdp_prog");
	ck_assert_ptr_nonnull(p);
	r = find_reloc(p, "hash_map");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->kind, OBJ_RELOC_MAP);
	ck_assert_str_eq(obj->maps[r->target].name, "hash_map");
	ck_assert_uint_eq(p->insns[r->insn_idx].code, BPF_LD | BPF_IMM | BPF_DW);
	ck_assert_uint_eq(obj_line_for_insn(p, r->insn_idx).line,
	                  src_line("maps_globals.bpf.c", "lookup_elem(&hash_map"));
	r = find_reloc(p, "limit");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->kind, OBJ_RELOC_DATA);
	ck_assert_str_eq(obj->datas[r->target].name, ".rodata");
	r = find_reloc(p, "CONFIG_HZ");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->kind, OBJ_RELOC_EXTERN_VAR);
	ck_assert_str_eq(obj->externs[r->target].name, "CONFIG_HZ");
	r = find_reloc(p, "global_fn");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->kind, OBJ_RELOC_CALL);
	ck_assert_uint_eq(p->insns[r->insn_idx].src_reg, BPF_PSEUDO_CALL);

	/* func_info: one record at insn 0 naming the program's FUNC */
	ck_assert_uint_eq(p->nr_funcs, 1);
	ck_assert_uint_eq(p->funcs[0].insn, 0);
	ck_assert_str_eq(
	    btf__name_by_offset(obj->btf, btf__type_by_id(obj->btf, p->funcs[0].type_id)->name_off),
	    "xdp_prog");
	ck_assert_uint_eq(obj_line_for_insn(p, 0).line,
	                  src_line("maps_globals.bpf.c", "int xdp_prog("));
	ck_assert_ptr_nonnull(strstr(obj_line_for_insn(p, 0).file, "maps_globals.bpf.c"));
	ck_assert_ptr_nonnull(strstr(obj_line_rec_for_insn(p, 0)->text, "xdp_prog"));

	p = obj_find_prog(obj, "helper_sub");
	ck_assert_ptr_nonnull(p);
	ck_assert(p->subprog && !p->global);
	ck_assert_str_eq(p->section, ".text");
	p = obj_find_prog(obj, "global_fn");
	ck_assert(p && p->subprog && p->global);
	obj_free(obj);
}
END_TEST

START_TEST(test_core)
{
	struct obj_file *obj = open_obj("core.bpf.o");
	const struct obj_prog *p = obj_find_prog(obj, "core_prog");
	bool seen[BPF_CORE_TYPE_MATCHES + 1] = {0};
	const struct obj_reloc *r;

	compare_with_libbpf(obj);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->section, "tracepoint/syscalls/sys_enter_openat");
	ck_assert_str_eq(obj->license, "Dual BSD/GPL");
	ck_assert(!obj->has_version);
	ck_assert_uint_gt(p->nr_core_relos, 0);
	for (size_t i = 0; i < p->nr_core_relos; i++) {
		const struct obj_core_relo *c = &p->core_relos[i];
		const struct btf_type *t = btf__type_by_id(obj->btf, c->type_id);
		ck_assert_uint_lt(c->insn, p->insn_cnt);
		ck_assert_uint_le(c->kind, BPF_CORE_TYPE_MATCHES);
		ck_assert(c->access[0] >= '0' && c->access[0] <= '9');
		ck_assert_ptr_nonnull(t);
		seen[c->kind] = true;
		if (c->kind == BPF_CORE_ENUMVAL_EXISTS)
			ck_assert_str_eq(btf__name_by_offset(obj->btf, t->name_off), "answer");
		else
			ck_assert_str_eq(btf__name_by_offset(obj->btf, t->name_off), "task_struct");
	}
	ck_assert(seen[BPF_CORE_FIELD_BYTE_OFFSET]);
	ck_assert(seen[BPF_CORE_FIELD_EXISTS]);
	ck_assert(seen[BPF_CORE_TYPE_EXISTS]);
	ck_assert(seen[BPF_CORE_TYPE_SIZE]);
	ck_assert(seen[BPF_CORE_ENUMVAL_EXISTS]);
	ck_assert(seen[BPF_CORE_FIELD_LSHIFT_U64]);
	ck_assert_str_eq(obj_core_relo_kind_name(BPF_CORE_FIELD_EXISTS), "field_exists");
	ck_assert_str_eq(obj_core_relo_kind_name(99), "unknown");

	/* bpf_loop(..., loop_cb, ...): an ld_imm64 of a function in .text */
	ck_assert_uint_eq(p->nr_relocs, 1);
	r = &p->relocs[0];
	ck_assert_int_eq(r->kind, OBJ_RELOC_SUBPROG_ADDR);
	ck_assert_uint_eq(obj_line_for_insn(p, r->insn_idx).line,
	                  src_line("core.bpf.c", "bpf_loop("));
	ck_assert_ptr_nonnull(obj_find_prog(obj, "loop_cb"));
	obj_free(obj);
}
END_TEST

START_TEST(test_multi)
{
	struct obj_file *obj = open_obj("multi.bpf.o");
	const struct obj_prog *first = obj_find_prog(obj, "first");
	const struct obj_prog *second = obj_find_prog(obj, "second");
	const struct obj_reloc *r;

	compare_with_libbpf(obj);
	ck_assert(first && second);
	ck_assert_str_eq(first->section, "xdp");
	ck_assert_str_eq(second->section, "xdp");
	ck_assert_uint_eq(first->sec_off, 0);
	ck_assert_uint_eq(second->sec_off, first->insn_cnt * 8);
	/* records of the second program are relative to its own start */
	ck_assert_uint_eq(second->funcs[0].insn, 0);
	ck_assert_uint_eq(obj_line_for_insn(second, 0).line,
	                  src_line("multi.bpf.c", "int second("));
	r = find_reloc(second, "stats");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->kind, OBJ_RELOC_MAP);
	ck_assert_uint_eq(r->offset, second->sec_off + r->insn_idx * 8);
	ck_assert_uint_eq(second->insns[r->insn_idx].code, BPF_LD | BPF_IMM | BPF_DW);
	r = find_reloc(second, "bump");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->kind, OBJ_RELOC_CALL);
	ck_assert_uint_eq(obj_line_for_insn(second, r->insn_idx).line,
	                  src_line("multi.bpf.c", "bump(1)"));
	/* an instruction past the last line record still maps to the last record */
	ck_assert_uint_eq(obj_line_for_insn(second, second->insn_cnt - 1).line,
	                  second->lines[second->nr_lines - 1].line);
	ck_assert_uint_eq(obj_line_for_insn(NULL, 0).line, 0);
	ck_assert_uint_eq(obj->nr_datas, 1);
	ck_assert_int_eq(obj->datas[0].kind, OBJ_DATA_RODATA);
	obj_free(obj);
}
END_TEST

START_TEST(test_bad_inputs)
{
	static const char garbage[] = "hello, world";
	struct obj_file *obj;

	obj_free(NULL);
	obj = obj_open_mem(garbage, sizeof(garbage), "garbage.o", sink);
	ck_assert_ptr_null(obj);
	ck_assert_uint_eq(diag_error_count(sink), 1);
	obj = obj_open_mem(garbage, 0, "empty.o", sink);
	ck_assert_ptr_null(obj);
	ck_assert_uint_eq(diag_error_count(sink), 2);
	obj = obj_open_file(OBJ_DIR "/does-not-exist.o", sink);
	ck_assert_ptr_null(obj);
	ck_assert_uint_eq(diag_error_count(sink), 3);
	fflush(out);
	ck_assert_ptr_nonnull(strstr(out_buf, "not an ELF file (bad magic in e_ident)"));
	ck_assert_ptr_nonnull(strstr(out_buf, "does-not-exist.o"));
}
END_TEST

/* Every prefix of a good object is rejected with exactly one error, never a crash. */
START_TEST(test_truncations)
{
	struct obj_file *obj = open_obj("multi.bpf.o");
	size_t size = obj->size;
	uint8_t *copy = malloc(size);

	memcpy(copy, obj->bytes, size);
	obj_free(obj);
	for (size_t len = 0; len < size; len += 7) {
		unsigned before = diag_error_count(sink);
		obj = obj_open_mem(copy, len, "trunc.o", sink);
		ck_assert_msg(obj == NULL, "prefix of %zu bytes accepted", len);
		ck_assert_uint_eq(diag_error_count(sink), before + 1);
	}
	free(copy);
}
END_TEST

static Suite *elf_suite(void)
{
	Suite *s = suite_create("elf");
	TCase *tc = tcase_create("object");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_maps_globals);
	tcase_add_test(tc, test_core);
	tcase_add_test(tc, test_multi);
	tcase_add_test(tc, test_bad_inputs);
	tcase_add_test(tc, test_truncations);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(elf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
