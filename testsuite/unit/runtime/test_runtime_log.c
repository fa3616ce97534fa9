/*
 * test_runtime_log.c - bpfcc_rt_parse_log() on verifier logs as the 6.18 kernel writes
 * them (log_level 1 | BPF_LOG_STATS): message, failing instruction, source line and
 * statistics.
 */
#include <check.h>
#include <stdlib.h>

#include "bpfcc/runtime.h"

/* Copied from a live rejection (hash map value used without a NULL check). */
static const char null_deref_log[] =
    "arg#0 reference type('UNKNOWN ') size cannot be determined: -22\n"
    "0: R1=ctx() R10=fp0\n"
    "; int null_deref(void *ctx) @ t1.bpf.c:13\n"
    "0: (b4) w1 = 0                        ; R1=0\n"
    "; int k = 0; @ t1.bpf.c:15\n"
    "1: (63) *(u32 *)(r10 -4) = r1         ; R1=0 R10=fp0 fp-8=0000????\n"
    "2: (bf) r2 = r10                      ; R2=fp0 R10=fp0\n"
    "3: (07) r2 += -4                      ; R2=fp-4\n"
    "; long *v = bpf_map_lookup_elem(&arr, &k); @ t1.bpf.c:16\n"
    "4: (18) r1 = 0xffff8881047bf800       ; R1=map_ptr(map=arr,ks=4,vs=8)\n"
    "6: (85) call bpf_map_lookup_elem#1    ; R0=map_value_or_null(id=1,map=arr,ks=4,vs=8)\n"
    ";   return *v; @ dir/t1.bpf.c:17\n"
    "7: (79) r0 = *(u64 *)(r0 +0)\n"
    "R0 invalid mem access 'map_value_or_null'\n"
    "verification time 71 usec\n"
    "stack depth 8\n"
    "processed 7 insns (limit 1000000) max_states_per_insn 0 total_states 3 peak_states 2 "
    "mark_read 0\n";

static struct bpfcc_rt_result *parse(const char *log)
{
	struct bpfcc_rt_result *r = calloc(1, sizeof(*r));

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(bpfcc_rt_parse_log(log, r), 0);
	return r;
}

START_TEST(test_null_deref)
{
	struct bpfcc_rt_result *r = parse(null_deref_log);

	ck_assert_str_eq(r->kernel_msg, "R0 invalid mem access 'map_value_or_null'");
	ck_assert_int_eq(r->insn, 7);
	ck_assert_str_eq(r->src_file, "dir/t1.bpf.c");
	ck_assert_uint_eq(r->src_line, 17);
	ck_assert_str_eq(r->src_text, "return *v;");
	ck_assert_int_eq(r->processed_insns, 7);
	ck_assert_int_eq(r->total_states, 3);
	ck_assert_int_eq(r->peak_states, 2);
	ck_assert_int_eq(r->verification_usec, 71);
	bpfcc_rt_result_free(r);
}
END_TEST

/* Two-line errors: the last line is the message, as veristat takes it. */
START_TEST(test_two_line_error)
{
	struct bpfcc_rt_result *r =
	    parse("0: R1=ctx() R10=fp0\n"
	          "; x @ p.c:5\n"
	          "1: (69) r0 = *(u16 *)(r1 +12)\n"
	          "invalid access to packet, off=12 size=2, R1(id=0,off=12,r=0)\n"
	          "R1 offset is outside of the packet\n"
	          "verification time 3 usec\n"
	          "stack depth 0\n"
	          "processed 2 insns (limit 1000000) max_states_per_insn 0 "
	          "total_states 0 peak_states 0 mark_read 0\n");

	ck_assert_str_eq(r->kernel_msg, "R1 offset is outside of the packet");
	ck_assert_int_eq(r->insn, 1);
	ck_assert_uint_eq(r->src_line, 5);
	bpfcc_rt_result_free(r);
}
END_TEST

/* A structural error before any instruction is walked; no source line known. */
START_TEST(test_no_insn)
{
	struct bpfcc_rt_result *r = parse("unreachable insn 2\n"
	                                  "verification time 7 usec\n"
	                                  "stack depth 0\n"
	                                  "processed 0 insns (limit 1000000) max_states_per_insn 0 "
	                                  "total_states 0 peak_states 0 mark_read 0\n");

	ck_assert_str_eq(r->kernel_msg, "unreachable insn 2");
	ck_assert_int_eq(r->insn, -1);
	ck_assert_uint_eq(r->src_line, 0);
	ck_assert_ptr_null(r->src_file);
	ck_assert_int_eq(r->processed_insns, 0);
	bpfcc_rt_result_free(r);
}
END_TEST

/* An accepted program's log (statistics only) has no message; nor has an empty log. */
START_TEST(test_accepted_and_empty)
{
	struct bpfcc_rt_result *r =
	    parse("verification time 62 usec\nstack depth 8\n"
	          "processed 11 insns (limit 1000000) max_states_per_insn 0 "
	          "total_states 1 peak_states 1 mark_read 0\n");

	ck_assert_ptr_null(r->kernel_msg);
	ck_assert_int_eq(r->processed_insns, 11);
	ck_assert_int_eq(r->verification_usec, 62);
	ck_assert_int_eq(bpfcc_rt_parse_log("", r), 0);
	ck_assert_ptr_null(r->kernel_msg);
	ck_assert_int_eq(r->processed_insns, -1);
	ck_assert_int_eq(r->insn, -1);
	bpfcc_rt_result_free(r);
}
END_TEST

/* Malformed annotations and numbers do not confuse the reader. */
START_TEST(test_malformed)
{
	struct bpfcc_rt_result *r = parse("12: (zz) nonsense\n"
	                                  "; no location here\n"
	                                  "; text @ file:notanumber\n"
	                                  "99999999999999999999: (07) r1 += 1\n"
	                                  "3: (07) r2 += 1\n"
	                                  "bad thing");

	ck_assert_int_eq(r->insn, 3);
	ck_assert_uint_eq(r->src_line, 0);
	ck_assert_str_eq(r->kernel_msg, "bad thing");
	bpfcc_rt_result_free(r);
}
END_TEST

/* "infinite loop detected" is followed by two state dumps that are not the message. */
START_TEST(test_infinite_loop)
{
	struct bpfcc_rt_result *r =
	    parse("0: R1=ctx() R10=fp0\n"
	          "; asm volatile(\"r0 = 0; l0_%=: goto l0_%=;\" ::: \"memory\"); @ a.bpf.c:49\n"
	          "0: (b7) r0 = 0                        ; R0=0\n"
	          "1: (05) goto pc-1\n"
	          "1: (05) goto pc-1\n"
	          "infinite loop detected at insn 1\n"
	          "cur state: R0=0 R1=ctx() R10=fp0\n"
	          "old state: R0=0 R1=ctx() R10=fp0\n"
	          "verification time 47 usec\n"
	          "stack depth 0\n"
	          "processed 9 insns (limit 1000000) max_states_per_insn 0 total_states 1 "
	          "peak_states 1 mark_read 0\n");

	ck_assert_str_eq(r->kernel_msg, "infinite loop detected at insn 1");
	ck_assert_int_eq(r->insn, 1);
	ck_assert_uint_eq(r->src_line, 49);
	ck_assert_int_eq(r->processed_insns, 9);
	bpfcc_rt_result_free(r);
}
END_TEST

/* bpf_tail_call's map refusal is printed without a newline: the statistic that follows is
 * glued to it (copied from a live rejection). */
START_TEST(test_glued_message)
{
	struct bpfcc_rt_result *r =
	    parse("0: R1=ctx() R10=fp0\n"
	          "0: (18) r2 = 0xffff88810a4b6000       ; R2=map_ptr(ks=4,vs=8)\n"
	          "2: (b7) r3 = 0                        ; R3=0\n"
	          "3: (85) call bpf_tail_call#12\n"
	          "expected prog array map for tail callverification time 30 usec\n"
	          "stack depth 0\n"
	          "processed 3 insns (limit 1000000) max_states_per_insn 0 total_states 0 "
	          "peak_states 0 mark_read 0\n");

	ck_assert_str_eq(r->kernel_msg, "expected prog array map for tail call");
	ck_assert_int_eq(r->insn, 3);
	ck_assert_int_eq(r->verification_usec, 30);
	ck_assert_int_eq(r->processed_insns, 3);
	bpfcc_rt_result_free(r);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(bpfcc_rt_verdict_name(BPFCC_RT_ACCEPTED), "accepted");
	ck_assert_str_eq(bpfcc_rt_verdict_name(BPFCC_RT_REJECTED), "rejected");
	ck_assert_str_eq(bpfcc_rt_verdict_name(BPFCC_RT_FAILED), "failed");
	ck_assert_str_eq(bpfcc_rt_step_name(BPFCC_RT_STEP_ATTACH_TARGET), "attach-target");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("runtime_log");
	TCase *tc = tcase_create("parse");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_null_deref);
	tcase_add_test(tc, test_two_line_error);
	tcase_add_test(tc, test_no_insn);
	tcase_add_test(tc, test_accepted_and_empty);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_infinite_loop);
	tcase_add_test(tc, test_glued_message);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
