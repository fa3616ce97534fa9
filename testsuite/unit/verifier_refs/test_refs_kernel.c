/*
 * test_refs_kernel.c - the reference cases against the live kernel: each program is
 * loaded with bpf_prog_load() as its program type (map references pointing at a fresh
 * ring buffer), and the kernel's verdict and message must equal the case's expectation;
 * verifier_run() must agree, at the same instruction.  Without the privileges to load
 * programs the test exits 77 (ctest reports a skip).
 */
#include <check.h>
#include <stdlib.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include <bpfcc/runtime.h>

#include "../common/vrf_kcheck.h"
#include "cases.h"
#include "verifier/verifier.h"

START_TEST(test_case_kernel)
{
	const struct refs_case *c = &refs_cases[_i];
	struct vrf_options o = refs_case_options(c);
	struct bpfcc_rt_result *res;
	const struct vrf_kcheck k = {.name = c->name,
	                             .prog_type = c->prog_type,
	                             .license = "GPL",
	                             .ok = c->ok,
	                             .kmsg = c->kmsg,
	                             .rule = c->rule};
	struct bpf_insn *insns = malloc(c->n * sizeof(*insns));
	int map_fd, prog_array_fd;

	ck_assert_ptr_nonnull(insns);
	map_fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "refs_test", 0, 0, REFS_RINGBUF_SIZE, NULL);
	ck_assert_msg(map_fd >= 0, "%s: cannot create the test ring buffer", c->name);
	prog_array_fd = bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, "refs_jumps", 4, 4, 1, NULL);
	ck_assert_msg(prog_array_fd >= 0, "%s: cannot create the test program array", c->name);
	refs_case_insns(c, map_fd, prog_array_fd, insns);
	res = vrf_kcheck_run(&k, insns, c->n, 1u << 20, &o, NULL);
	bpfcc_rt_result_free(res);
	free(insns);
	close(prog_array_fd);
	close(map_fd);
}
END_TEST

int main(void)
{
	return vrf_kcheck_main("verifier_refs_kernel", test_case_kernel, (int)refs_ncases, 60);
}
