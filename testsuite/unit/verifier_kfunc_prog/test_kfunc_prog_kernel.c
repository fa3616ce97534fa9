/*
 * test_kfunc_prog_kernel.c - a sample of compiler/verifier/kfunc_prog.def against the
 * live kernel: for every 7th kfunc of the table and every 3rd configuration the generator
 * could load, a program calling the kfunc (arguments 0) is loaded and the kernel's answer
 * ("calling kernel function %s is not allowed" or not) must be the table's, as
 * kfunc_prog_allowed() reads it.  Exit 77 (skip) when BPF programs cannot be loaded or the
 * running kernel is not the release the table was probed on.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "verifier/kfunc.h"

static const struct {
	uint32_t prog_type;
	int32_t attach_type;
	uint32_t flags;
	bool probed;
} configs[] = {
#define KFUNC_PROG_KERNEL(release)
#define KFUNC_PROG_CONFIG(prog, attach, flags, pname, aname, probed) {prog, attach, flags, probed},
#define KFUNC_PROG(name, answers)
#include "verifier/kfunc_prog.def"
#undef KFUNC_PROG_KERNEL
#undef KFUNC_PROG_CONFIG
#undef KFUNC_PROG
};

static const char *const names[] = {
#define KFUNC_PROG_KERNEL(release)
#define KFUNC_PROG_CONFIG(prog, attach, flags, pname, aname, probed)
#define KFUNC_PROG(name, answers) #name,
#include "verifier/kfunc_prog.def"
#undef KFUNC_PROG_KERNEL
#undef KFUNC_PROG_CONFIG
#undef KFUNC_PROG
};

static struct btf *vmlinux;
static char log_buf[1 << 16];

/* The BTF target a tracing configuration needs (as gen/probe_kfuncs.c picks it). */
static uint32_t btf_target(int32_t attach_type)
{
	int id = -1;

	if (attach_type == BPF_TRACE_RAW_TP)
		id = btf__find_by_name_kind(vmlinux, "btf_trace_sched_switch", BTF_KIND_TYPEDEF);
	else if (attach_type == BPF_TRACE_ITER)
		id = btf__find_by_name_kind(vmlinux, "bpf_iter_task", BTF_KIND_FUNC);
	return id > 0 ? (uint32_t)id : 0;
}

/* Loads r1..r5 = 0; call kfunc; r0 = ret; exit.  0, or -errno with the log in log_buf. */
static int load(uint32_t prog_type, int32_t attach_type, uint32_t flags, int32_t func_id,
                int32_t ret)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log_buf, .log_size = sizeof(log_buf),
	            .log_level = 1);
	struct bpf_insn prog[9];
	int i, n = 0, fd;

	for (i = 1; i <= 5; i++)
		prog[n++] =
		    (struct bpf_insn){.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = (uint8_t)i};
	if (func_id)
		prog[n++] = (struct bpf_insn){
		    .code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_KFUNC_CALL, .imm = func_id};
	prog[n++] = (struct bpf_insn){.code = BPF_ALU64 | BPF_MOV | BPF_K, .imm = ret};
	prog[n++] = (struct bpf_insn){.code = BPF_JMP | BPF_EXIT};
	opts.expected_attach_type = attach_type < 0 ? 0 : (enum bpf_attach_type)attach_type;
	opts.prog_flags = flags;
	opts.attach_btf_id = btf_target(attach_type);
	log_buf[0] = '\0';
	fd = bpf_prog_load((enum bpf_prog_type)prog_type, "kfprobe", "GPL", prog, (size_t)n, &opts);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

START_TEST(test_sample_matches_kernel)
{
	size_t k, c;
	unsigned compared = 0, refused = 0;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k += 7) {
		int id = btf__find_by_name_kind(vmlinux, names[k], BTF_KIND_FUNC);

		ck_assert_msg(id > 0, "%s is not in the running kernel's BTF", names[k]);
		for (c = k % 3; c < sizeof(configs) / sizeof(configs[0]); c += 3) {
			char needle[160];
			int32_t ret = 0;
			int want, err;
			bool no;

			if (!configs[c].probed)
				continue;
			/* the return value the trivial program needs (0, else 1) */
			if (load(configs[c].prog_type, configs[c].attach_type, configs[c].flags, 0,
			         0))
				ret = 1;
			err = load(configs[c].prog_type, configs[c].attach_type, configs[c].flags,
			           id, ret);
			snprintf(needle, sizeof(needle),
			         "calling kernel function %s is not allowed", names[k]);
			no = err && strstr(log_buf, needle);
			want = kfunc_prog_allowed(names[k], configs[c].prog_type,
			                          configs[c].attach_type);
			ck_assert_msg(want == (no ? 0 : 1),
			              "%s in program type %u attach %d: kernel %s, table %d",
			              names[k], configs[c].prog_type, configs[c].attach_type,
			              no ? "refuses" : "allows", want);
			compared++;
			refused += no;
		}
	}
	printf("kfunc_prog: %u (kfunc, program type) pairs compared, %u refused\n", compared,
	       refused);
	ck_assert_uint_gt(compared, 100);
	ck_assert_uint_gt(refused, 10);
}
END_TEST

int main(void)
{
	struct utsname uts;
	Suite *s;
	TCase *tc;
	SRunner *sr;
	int failed;

	if (load(BPF_PROG_TYPE_SOCKET_FILTER, -1, 0, 0, 0)) {
		printf("skip: cannot load BPF programs here (%s)\n", strerror(errno));
		return 77;
	}
	uname(&uts);
	if (strcmp(uts.release, kfunc_prog_kernel()) != 0) {
		printf("skip: the table is for %s, this kernel is %s\n", kfunc_prog_kernel(),
		       uts.release);
		return 77;
	}
	vmlinux = btf__load_vmlinux_btf();
	if (libbpf_get_error(vmlinux)) {
		printf("skip: no vmlinux BTF\n");
		return 77;
	}
	s = suite_create("verifier_kfunc_prog_kernel");
	tc = tcase_create("live");
	tcase_add_test(tc, test_sample_matches_kernel);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	btf__free(vmlinux);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
