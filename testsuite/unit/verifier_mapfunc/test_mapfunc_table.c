/*
 * test_mapfunc_table.c - compiler/verifier/map_func.def against the live kernel's answers
 * as the generator recorded them (compiler/verifier/gen/maps-6.18.txt, from
 * gen/probe_protos.c --maps): every (helper, map type) pair the kernel refused with
 * "cannot pass map_type" (or bpf_tail_call's "expected prog array map for tail call") must
 * be refused by the table with the same message, every pair it loaded must be accepted;
 * pairs the kernel refused earlier for another reason say nothing and are only counted.
 * bpf_map_delete_elem on sockmaps is also asked in every program and attach type that may
 * call it (may_update_sockmap()), and every map type the probe creates named by a
 * sleepable program (check_map_prog_compatibility()'s sleepable list).
 * The data must come from the kernel release the table is for.
 */
#include <check.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/map_func.h"

#define SLEEPABLE_MSG "Sleepable programs can only use array, hash, ringbuf and local storage maps"

static unsigned n_refused, n_accepted, n_undecided, n_sleepable;

/* mapsleep lines: a sleepable program that only names a map of this type */
static void check_sleepable(const char *line, unsigned lineno)
{
	unsigned type, prog;
	int attach, off = 0;
	const char *msg;

	ck_assert_msg(sscanf(line, "mapsleep %u %u %d %n", &type, &prog, &attach, &off) == 3 &&
	                  off > 0,
	              "line %u: cannot parse \"%s\"", lineno, line);
	msg = line + off;
	if (!strcmp(msg, "ok"))
		ck_assert_msg(vrf_map_func_sleepable_ok(type),
		              "line %u: the kernel lets a sleepable program (type %u) use map type "
		              "%u, the table refuses",
		              lineno, prog, type);
	else if (!strcmp(msg, SLEEPABLE_MSG))
		ck_assert_msg(!vrf_map_func_sleepable_ok(type),
		              "line %u: the kernel refuses map type %u in a sleepable program "
		              "(type %u), the table accepts",
		              lineno, type, prog);
	else
		ck_abort_msg("line %u: unexpected answer \"%s\"", lineno, msg);
	n_sleepable++;
}

static void check_line(const char *line, unsigned lineno)
{
	unsigned id, type, prog;
	int attach = -1, off = 0;
	char want[160];
	const char *msg;
	int r;

	/* mapprog lines: the same pair in another program and attach type (sockmap deletes) */
	if (!strncmp(line, "mapprog ", 8))
		ck_assert_msg(
		    sscanf(line, "mapprog %u %u %u %d %n", &id, &type, &prog, &attach, &off) == 4 &&
		        off > 0,
		    "line %u: cannot parse \"%s\"", lineno, line);
	else
		ck_assert_msg(sscanf(line, "mapfunc %u %u %u %n", &id, &type, &prog, &off) == 3 &&
		                  off > 0,
		              "line %u: cannot parse \"%s\"", lineno, line);
	msg = line + off;
	r = vrf_map_func_check(id, type, prog, attach, want, sizeof(want));
	if (strstr(msg, "cannot pass map_type") ||
	    !strncmp(msg, "expected prog array map for tail call", 37)) {
		ck_assert_msg(r == 1,
		              "line %u: the kernel refuses helper %u with map type %u (%s), "
		              "the table accepts",
		              lineno, id, type, msg);
		/* the tail call message has no newline: the log's next line follows it */
		ck_assert_msg(
		    !strncmp(msg, want, strlen(want)) &&
		        (msg[strlen(want)] == '\0' || !strncmp(msg + strlen(want), "processed", 9)),
		    "line %u: kernel \"%s\", table \"%s\"", lineno, msg, want);
		n_refused++;
	} else if (!strcmp(msg, "callback function not allowed for map")) {
		ck_assert_msg(vrf_map_func_callback_refused(type),
		              "line %u: the kernel refuses bpf_for_each_map_elem over map type %u, "
		              "the table accepts",
		              lineno, type);
		n_refused++;
	} else if (!strcmp(msg, "ok") || strstr(msg, "would lead to reference leak")) {
		ck_assert_msg(!vrf_map_func_callback_refused(type) || id != 164,
		              "line %u: the kernel lets bpf_for_each_map_elem walk map type %u",
		              lineno, type);
		ck_assert_msg(r == 0,
		              "line %u: the kernel accepts helper %u with map type %u, the "
		              "table says \"%s\"",
		              lineno, id, type, want);
		n_accepted++;
	} else {
		n_undecided++;
	}
}

START_TEST(test_table_matches_kernel)
{
	FILE *f = fopen(MAPFUNC_PROBE_DATA, "r");
	char line[512];
	unsigned lineno = 0;

	ck_assert_msg(f != NULL, "cannot open %s", MAPFUNC_PROBE_DATA);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		lineno++;
		if (lineno == 1) {
			ck_assert_msg(!strncmp(line, "kernel " VRF_MAP_FUNC_KERNEL ".", 12),
			              "probe data of another kernel: %s", line);
			continue;
		}
		if (!strncmp(line, "mapsleep ", 9))
			check_sleepable(line, lineno);
		else
			check_line(line, lineno);
	}
	fclose(f);
	printf("map_func.def vs kernel: %u refusals, %u acceptances agree; %u pairs refused "
	       "before the check; %u sleepable (map type, program) answers agree\n",
	       n_refused, n_accepted, n_undecided, n_sleepable);
	/* the probe reaches ~30 helpers x 30 map types: most pairs must be decided */
	ck_assert_uint_ge(n_refused, 500);
	ck_assert_uint_ge(n_accepted, 60);
	/* ~30 map types in each sleepable configuration that loads */
	ck_assert_uint_ge(n_sleepable, 60);
}
END_TEST

/* Pure lookups: the rules that matter most, with the kernel's message. */
START_TEST(test_table_lookups)
{
	char msg[160];

	ck_assert_int_eq(vrf_map_func_check(25, 1, 3, -1, msg, sizeof(msg)), 1);
	ck_assert_str_eq(msg, "cannot pass map_type 1 into func bpf_perf_event_output#25");
	ck_assert_int_eq(vrf_map_func_check(25, 4, 3, -1, msg, sizeof(msg)), 0);
	ck_assert_int_eq(vrf_map_func_check(1, 27, 3, -1, msg, sizeof(msg)), 1);
	ck_assert_str_eq(msg, "cannot pass map_type 27 into func bpf_map_lookup_elem#1");
	ck_assert_int_eq(vrf_map_func_check(12, 2, 3, -1, msg, sizeof(msg)), 1);
	ck_assert_str_eq(msg, "expected prog array map for tail call");
	/* sockmap deletes: tc yes, kprobe no; iterators (tracing, BPF_TRACE_ITER = 28) yes */
	ck_assert_int_eq(vrf_map_func_check(3, 15, 3, -1, msg, sizeof(msg)), 0);
	ck_assert_int_eq(vrf_map_func_check(3, 15, 2, -1, msg, sizeof(msg)), 1);
	ck_assert_int_eq(vrf_map_func_check(3, 15, 26, 28, msg, sizeof(msg)), 0);
	ck_assert_int_eq(vrf_map_func_check(3, 15, 26, 24, msg, sizeof(msg)), 1);
	/* unknown helper ids and map types the table does not restrict pass */
	ck_assert_int_eq(vrf_map_func_check(100000, 1, 3, -1, msg, sizeof(msg)), 0);
	ck_assert_int_eq(vrf_map_func_check(1, 999, 3, -1, msg, sizeof(msg)), 0);
	ck_assert_int_eq(vrf_map_func_wanted(51, msg, sizeof(msg)), 4);
	ck_assert_str_eq(msg, "devmap, devmap_hash, cpumap, xskmap");
	ck_assert_int_eq(vrf_map_func_callback_refused(27), 1);
	ck_assert_int_eq(vrf_map_func_callback_refused(1), 0);
	ck_assert_int_eq(vrf_map_func_callback_refused(33), 0); /* arena: not probed */
	/* is_tracing_prog_type(): kprobe, tracepoint, perf_event, raw_tp; not tp_btf (tracing) */
	ck_assert_int_eq(vrf_map_func_tracing_prog(BPF_PROG_TYPE_KPROBE), 1);
	ck_assert_int_eq(vrf_map_func_tracing_prog(BPF_PROG_TYPE_RAW_TRACEPOINT), 1);
	ck_assert_int_eq(vrf_map_func_tracing_prog(BPF_PROG_TYPE_TRACING), 0);
	ck_assert_int_eq(vrf_map_func_tracing_prog(BPF_PROG_TYPE_SOCKET_FILTER), 0);
	ck_assert_int_eq(vrf_map_func_wanted(1, msg, sizeof(msg)), 0);
	ck_assert_str_eq(msg, "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verifier_mapfunc_table");
	TCase *tc = tcase_create("table");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_table_matches_kernel);
	tcase_add_test(tc, test_table_lookups);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
