/*
 * test_link.c - link_program() against libbpf itself.
 *
 * Each object named in BPFCC_LINK_OBJS (':'-separated, set by CMakeLists.txt) is loaded
 * with libbpf (programs the kernel refuses to load here for want of kprobes, fentry and
 * LSM under lockdown, are left out with bpf_program__set_autoload(false)); then each
 * loaded program's final instructions, bpf_program__insns() after bpf_object__load(), are
 * compared one by one with what link_program() produces from the same bytes with the
 * running kernel's BTF as target.  libbpf writes map fds (BPF_PSEUDO_MAP_FD/_VALUE) where
 * we write indexes (BPF_PSEUDO_MAP_IDX/_IDX_VALUE): an fd is turned into the position of
 * its map in bpf_object__for_each_map(), which must equal our index.  Everything else must
 * be identical: count, opcodes, registers, offsets, immediates (subprogram layout, call
 * offsets, data offsets, kfunc and BTF ids, CO-RE values).
 *
 * check_object() runs on each object too and must report an error exactly for the
 * objects libbpf refuses.
 *
 * Without the privileges to load BPF programs the test exits 77 (ctest's skip).
 */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/check.h"
#include "diag/diag.h"
#include "elf/object.h"
#include "link/link.h"

#define MAX_OBJS 64

static char *objs[MAX_OBJS];
static int nr_objs;
static struct btf *vmlinux;
static unsigned total_progs, total_insns, refused;

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN && getenv("BPFCC_TEST_VERBOSE"))
		vfprintf(stderr, fmt, ap);
	return 0;
}

/* Program types that cannot be loaded on this machine (lockdown: no fentry/LSM/kprobe
 * attach points are loaded for real here; struct_ops needs a registered struct). */
static bool loadable_here(struct bpf_program *p)
{
	switch (bpf_program__type(p)) {
	case BPF_PROG_TYPE_TRACING:
	case BPF_PROG_TYPE_LSM:
	case BPF_PROG_TYPE_EXT:
	case BPF_PROG_TYPE_STRUCT_OPS:
		return false;
	default:
		return true;
	}
}

static int map_index_of_fd(struct bpf_object *bo, int fd)
{
	struct bpf_map *m;
	int i = 0;

	bpf_object__for_each_map(m, bo)
	{
		if (bpf_map__fd(m) == fd)
			return i;
		i++;
	}
	return -1;
}

static void compare(struct bpf_object *bo, struct bpf_program *bp, const struct link_prog *lp,
                    const char *obj)
{
	const struct bpf_insn *want = bpf_program__insns(bp);
	size_t n = bpf_program__insn_cnt(bp);
	const char *name = bpf_program__name(bp);

	ck_assert_msg(want != NULL, "%s/%s: libbpf kept no instructions", obj, name);
	ck_assert_msg(lp->insn_cnt == n, "%s/%s: %zu instructions linked, libbpf loads %zu", obj,
	              name, lp->insn_cnt, n);
	for (size_t i = 0; i < n; i++) {
		struct bpf_insn w = want[i], g = lp->insns[i];

		if (w.code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    (w.src_reg == BPF_PSEUDO_MAP_FD || w.src_reg == BPF_PSEUDO_MAP_VALUE)) {
			w.src_reg = w.src_reg == BPF_PSEUDO_MAP_FD ? BPF_PSEUDO_MAP_IDX
			                                           : BPF_PSEUDO_MAP_IDX_VALUE;
			w.imm = map_index_of_fd(bo, w.imm);
		}
		ck_assert_msg(
		    memcmp(&w, &g, sizeof(w)) == 0,
		    "%s/%s insn %zu: libbpf %02x dst %u src %u off %d imm %d, linked %02x "
		    "dst %u src %u off %d imm %d",
		    obj, name, i, w.code, w.dst_reg, w.src_reg, w.off, w.imm, g.code, g.dst_reg,
		    g.src_reg, g.off, g.imm);
	}
	ck_assert_uint_eq(lp->prog_type, bpf_program__type(bp));
	total_progs++;
	total_insns += (unsigned)n;
}

START_TEST(test_object)
{
	const char *path = objs[_i];
	struct bpf_object *bo = bpf_object__open_file(path, NULL);
	struct bpf_program *bp;
	struct diag_sink *sink;
	struct obj_file *obj;
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	struct check_options copts = {.target_btf = vmlinux};
	int err, ret, loaded = 0;

	ck_assert_msg(!libbpf_get_error(bo), "%s: libbpf cannot open it", path);
	bpf_object__for_each_program(bp, bo)
	{
		if (!loadable_here(bp))
			bpf_program__set_autoload(bp, false);
	}
	err = bpf_object__load(bo);

	out = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(out);
	sink = diag_sink_new(out, DIAG_FORMAT_TEXT);
	obj = obj_open_file(path, sink);
	ck_assert_ptr_nonnull(obj);
	/* check_object() must find errors exactly in the objects libbpf refuses */
	ret = check_object(obj, &copts, sink);
	fflush(out);
	if (err) {
		ck_assert_msg(ret == -EINVAL,
		              "%s: libbpf refuses it (%d) but check_object() found nothing", path,
		              err);
		refused++;
		goto out;
	}
	ck_assert_msg(ret == 0, "%s: libbpf loads it but check_object() reports:\n%s", path,
	              text ? text : "");
	bpf_object__for_each_program(bp, bo)
	{
		struct link_options opts = {.target_btf = vmlinux};
		const struct obj_prog *p;
		struct link_prog lp;

		if (!bpf_program__autoload(bp))
			continue;
		p = obj_find_prog(obj, bpf_program__name(bp));
		ck_assert_msg(p != NULL, "%s: no program %s", path, bpf_program__name(bp));
		err = link_program(obj, p, &opts, &lp, sink);
		fflush(out);
		ck_assert_msg(err == 0, "%s/%s: link_program: %d\n%s", path, p->name, err,
		              text ? text : "");
		compare(bo, bp, &lp, path);
		link_prog_free(&lp);
		loaded++;
	}
	ck_assert_msg(loaded > 0, "%s: no program could be compared", path);
out:
	obj_free(obj);
	diag_sink_free(sink);
	fclose(out);
	free(text);
	bpf_object__close(bo);
}
END_TEST

/* The kernel's verdict is not needed here: a poisoned CO-RE relocation is compared too. */
START_TEST(test_core_poison)
{
	char path[1024];
	struct bpf_object *bo;
	struct bpf_program *bp;
	struct diag_sink *sink = diag_sink_new(stderr, DIAG_FORMAT_TEXT);
	struct obj_file *obj;
	struct link_options opts = {.target_btf = vmlinux};
	struct link_prog lp;
	const char *dir = getenv("BPFCC_CHECK_OBJDIR");
	bool poisoned = false;

	snprintf(path, sizeof(path), "%s/core_missing.bpf.o", dir ? dir : ".");
	obj = obj_open_file(path, sink);
	ck_assert_ptr_nonnull(obj);
	ck_assert_int_eq(link_program(obj, &obj->progs[0], &opts, &lp, sink), 0);
	for (size_t i = 0; i < lp.insn_cnt; i++)
		poisoned |= lp.insns[i].code == (BPF_JMP | BPF_CALL) && lp.insns[i].src_reg == 0 &&
		            lp.insns[i].imm == CHECK_CORE_POISON_IMM;
	ck_assert(poisoned);
	/* libbpf relocates before loading: the failed load still leaves its instructions */
	bo = bpf_object__open_file(path, NULL);
	ck_assert(!libbpf_get_error(bo));
	ck_assert_int_ne(bpf_object__load(bo), 0);
	bp = bpf_object__find_program_by_name(bo, obj->progs[0].name);
	ck_assert_ptr_nonnull(bp);
	compare(bo, bp, &lp, path);
	bpf_object__close(bo);
	link_prog_free(&lp);
	obj_free(obj);
	diag_sink_free(sink);
}
END_TEST

static bool can_load_bpf(void)
{
	struct bpf_insn insns[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL", insns, 2, NULL);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

int main(void)
{
	Suite *s = suite_create("link");
	TCase *tc = tcase_create("libbpf");
	const char *env = getenv("BPFCC_LINK_OBJS");
	char *list, *tok, *save = NULL;
	SRunner *sr;
	int failed;

	if (!can_load_bpf()) {
		printf("link: cannot load BPF programs here (libbpf is the oracle): skipped\n");
		return 77;
	}
	vmlinux = btf__load_vmlinux_btf();
	if (libbpf_get_error(vmlinux)) {
		printf("link: no kernel BTF: skipped\n");
		return 77;
	}
	if (!env || !*env) {
		printf("link: BPFCC_LINK_OBJS not set (run through ctest)\n");
		return 1;
	}
	list = strdup(env);
	for (tok = strtok_r(list, ":", &save); tok && nr_objs < MAX_OBJS;
	     tok = strtok_r(NULL, ":", &save))
		objs[nr_objs++] = tok;
	libbpf_set_print(quiet_print);
	tcase_add_loop_test(tc, test_object, 0, nr_objs);
	tcase_add_test(tc, test_core_poison);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	printf("link: %d objects (%u refused by libbpf, and by check_object), %u programs, %u "
	       "instructions identical to libbpf's\n",
	       nr_objs, refused, total_progs, total_insns);
	btf__free(vmlinux);
	free(list);
	return failed ? 1 : 0;
}
