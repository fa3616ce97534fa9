/*
 * fuzz_obj.c - libFuzzer harness for the object reader: any bytes go to obj_open_mem().
 *
 * Besides crashes, leaks and undefined behaviour (the sanitizers), it checks the reader's
 * contract: a NULL result comes with exactly one error and an object comes with none;
 * and on an object it walks everything the model exposes (instructions, relocations,
 * line records through obj_line_for_insn, maps and inner maps, externs, CO-RE access
 * strings, the license) so that a dangling pointer or a bad count shows up.
 *
 * Every object the reader accepts then goes through check_object() and link_program() for
 * each of its programs (with the object's own BTF as the target), which must not crash
 * either and must keep their own contract: a failed link frees everything and reports.
 *
 * Built with -DFUZZ_REPLAY_MAIN (by testsuite/fuzz/CMakeLists.txt, with any compiler) it
 * is a plain program that replays files and directories given on the command line: the
 * regression test for inputs the fuzzer once crashed on (testsuite/fuzz/regress/).
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check/check.h"
#include "diag/diag.h"
#include "elf/object.h"
#include "link/link.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink_hole;

static void touch(const char *s)
{
	if (s)
		sink_hole += strlen(s);
}

static void walk_prog(const struct obj_prog *p)
{
	touch(p->name);
	touch(p->section);
	for (size_t i = 0; i < p->insn_cnt; i++) {
		uint8_t code;
		struct diag_loc loc = obj_line_for_insn(p, i);
		memcpy(&code, (const uint8_t *)p->insns + i * 8, 1);
		sink_hole += code + loc.line;
		touch(loc.file);
	}
	for (size_t i = 0; i < p->nr_relocs; i++) {
		touch(p->relocs[i].sym->name);
		if (p->relocs[i].insn_idx >= p->insn_cnt)
			abort();
	}
	for (size_t i = 0; i < p->nr_lines; i++)
		touch(p->lines[i].text);
	for (size_t i = 0; i < p->nr_core_relos; i++) {
		touch(p->core_relos[i].access);
		touch(obj_core_relo_kind_name(p->core_relos[i].kind));
		if (p->core_relos[i].insn >= p->insn_cnt)
			abort();
	}
	for (size_t i = 0; i < p->nr_funcs; i++)
		if (p->funcs[i].insn >= p->insn_cnt)
			abort();
}

static void walk(const struct obj_file *obj)
{
	for (size_t i = 0; i < obj->nr_sections; i++)
		touch(obj->sections[i].name);
	for (size_t i = 0; i < obj->nr_progs; i++)
		walk_prog(&obj->progs[i]);
	for (size_t i = 0; i < obj->nr_subprogs; i++)
		walk_prog(&obj->subprogs[i]);
	for (size_t i = 0; i < obj->nr_maps; i++) {
		touch(obj->maps[i].name);
		touch(obj_map_type_name(obj->maps[i].type));
		if (obj->maps[i].inner)
			touch(obj->maps[i].inner->name);
	}
	for (size_t i = 0; i < obj->nr_datas; i++) {
		touch(obj->datas[i].name);
		if (obj->datas[i].bytes && obj->datas[i].size)
			sink_hole += obj->datas[i].bytes[obj->datas[i].size - 1];
	}
	for (size_t i = 0; i < obj->nr_externs; i++)
		touch(obj->externs[i].name);
	touch(obj->license);
}

/* The stages after the reader, on the reader's object. */
static void later_stages(const struct obj_file *obj, struct diag_sink *sink)
{
	unsigned before;

	/* the object's own BTF stands in for the kernel's: CO-RE matching, attach targets and
	 * kfunc lookups then run on fuzzed types too */
	struct check_options co = {.target_btf = obj->btf};
	struct link_options lo = {.target_btf = obj->btf};

	if (check_object(obj, &co, sink) < -EINVAL)
		abort(); /* only -EINVAL (findings) or -ENOMEM are allowed */
	for (size_t i = 0; i < obj->nr_progs; i++) {
		struct link_prog lp;
		int err;

		before = diag_error_count(sink);
		err = link_program(obj, &obj->progs[i], &lo, &lp, sink);
		if (err == -EINVAL && diag_error_count(sink) == before)
			abort(); /* -EINVAL must come with a report */
		if (err)
			continue;
		for (size_t k = 0; k < lp.insn_cnt; k++) {
			struct diag_loc loc;

			sink_hole += lp.insns[k].code;
			if (link_loc(&lp, k, &loc))
				touch(loc.file);
		}
		for (size_t k = 0; k < lp.nr_maps; k++)
			touch(lp.maps[k].name);
		link_prog_free(&lp);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct diag_sink *sink;
	struct obj_file *obj;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	sink = diag_sink_new(devnull, DIAG_FORMAT_TEXT);
	if (!sink)
		return 0;
	obj = obj_open_mem(data, size, "fuzz.o", sink);
	if (obj ? diag_error_count(sink) != 0 : diag_error_count(sink) != 1)
		abort(); /* the contract: NULL with exactly one error, an object with none */
	if (obj) {
		walk(obj);
		later_stages(obj, sink);
	}
	obj_free(obj);
	diag_sink_free(sink);
	return 0;
}

#ifdef FUZZ_REPLAY_MAIN
static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0) {
		rewind(f);
		buf = malloc(n ? (size_t)n : 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n)
			LLVMFuzzerTestOneInput(buf, (size_t)n);
	}
	free(buf);
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned count = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *e;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "fuzz_replay: %s: missing\n", argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			count += replay_file(argv[i]) == 0;
			continue;
		}
		d = opendir(argv[i]);
		while (d && (e = readdir(d))) {
			char p[4096];
			if (e->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), "%s/%s", argv[i], e->d_name);
			count += replay_file(p) == 0;
		}
		if (d)
			closedir(d);
	}
	printf("fuzz_replay: %u inputs replayed, contract held\n", count);
	return count ? 0 : 1;
}
#endif
