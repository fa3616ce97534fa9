/*
 * test_check_maps.c - check_map_verdict() against the kernel's BPF_MAP_CREATE.
 *
 * Each row is a map definition (no BTF; no map-in-map: without an inner map fd the
 * kernel's answer depends on what fd 0 is) and the errno the Linux 6.18
 * kernel answers when asked to create it (0: created).  Without arguments the test
 * checks that check_map_verdict() predicts that errno; with --kernel it also creates each
 * map in the running kernel (bpf_map_create) and checks that the recorded errno is what
 * the kernel says, so the table stays the kernel's, not ours.  --kernel exits 77 (ctest's
 * skip) where maps cannot be created.
 */
#include <bpf/bpf.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check/check.h"

struct map_case {
	const char *what;
	uint32_t type, key, value, max, flags;
	uint64_t extra;
	int kernel_errno; /* what Linux 6.18 answers */
};

#define KERNEL_ENOTSUPP 524 /* the kernel-internal ENOTSUPP, as bpf(2) returns it */
#define F(x)            CHECK_F_##x
#define T(x)            CHECK_MAP_##x

static const struct map_case cases[] = {
    {"hash", T(HASH), 4, 8, 16, 0, 0, 0},
    {"hash key 0", T(HASH), 0, 8, 16, 0, 0, EINVAL},
    {"hash value 0", T(HASH), 4, 0, 16, 0, 0, EINVAL},
    {"hash max_entries 0", T(HASH), 4, 8, 0, 0, 0, EINVAL},
    {"hash no_prealloc", T(HASH), 4, 8, 16, F(NO_PREALLOC), 0, 0},
    {"hash mmapable", T(HASH), 4, 8, 16, F(MMAPABLE), 0, EINVAL},
    {"hash rdonly|wronly", T(HASH), 4, 8, 16, F(RDONLY) | F(WRONLY), 0, EINVAL},
    {"hash key 512", T(HASH), 512, 8, 16, 0, 0, 0},
    {"hash map_extra", T(HASH), 4, 8, 16, 0, 1, EINVAL},
    {"array", T(ARRAY), 4, 8, 16, 0, 0, 0},
    {"array key 8", T(ARRAY), 8, 8, 16, 0, 0, EINVAL},
    {"array value 0", T(ARRAY), 4, 0, 16, 0, 0, EINVAL},
    {"array mmapable", T(ARRAY), 4, 8, 16, F(MMAPABLE), 0, 0},
    {"array no_prealloc", T(ARRAY), 4, 8, 16, F(NO_PREALLOC), 0, EINVAL},
    {"percpu array", T(PERCPU_ARRAY), 4, 8, 16, 0, 0, 0},
    {"percpu array mmapable", T(PERCPU_ARRAY), 4, 8, 16, F(MMAPABLE), 0, EINVAL},
    {"percpu hash value 32K", T(PERCPU_HASH), 4, 32768, 4, 0, 0, 0},
    {"percpu hash value 32K+8", T(PERCPU_HASH), 4, 32776, 4, 0, 0, E2BIG},
    {"prog array", T(PROG_ARRAY), 4, 4, 8, 0, 0, 0},
    {"prog array value 8", T(PROG_ARRAY), 4, 8, 8, 0, 0, EINVAL},
    {"perf event array", T(PERF_EVENT_ARRAY), 4, 4, 8, 0, 0, 0},
    {"lru hash", T(LRU_HASH), 4, 8, 16, 0, 0, 0},
    {"lru hash no_prealloc", T(LRU_HASH), 4, 8, 16, F(NO_PREALLOC), 0, KERNEL_ENOTSUPP},
    {"lpm trie", T(LPM_TRIE), 8, 8, 16, F(NO_PREALLOC), 0, 0},
    {"lpm trie prealloc", T(LPM_TRIE), 8, 8, 16, 0, 0, EINVAL},
    {"lpm trie key 4", T(LPM_TRIE), 4, 8, 16, F(NO_PREALLOC), 0, EINVAL},
    {"stack trace", T(STACK_TRACE), 4, 8 * 127, 16, 0, 0, 0},
    {"stack trace value 12", T(STACK_TRACE), 4, 12, 16, 0, 0, EINVAL},
    {"queue", T(QUEUE), 0, 8, 16, 0, 0, 0},
    {"queue key 4", T(QUEUE), 4, 8, 16, 0, 0, EINVAL},
    {"stack", T(STACK), 0, 8, 16, 0, 0, 0},
    {"ringbuf 4K", T(RINGBUF), 0, 0, 4096, 0, 0, 0},
    {"ringbuf 12K", T(RINGBUF), 0, 0, 12288, 0, 0, EINVAL},
    {"ringbuf key 4", T(RINGBUF), 4, 0, 4096, 0, 0, EINVAL},
    {"user ringbuf 8K", T(USER_RINGBUF), 0, 0, 8192, 0, 0, 0},
    {"bloom filter", T(BLOOM_FILTER), 0, 8, 16, 0, 3, 0},
    {"bloom filter key 4", T(BLOOM_FILTER), 4, 8, 16, 0, 0, EINVAL},
    {"bloom filter extra 16", T(BLOOM_FILTER), 0, 8, 16, 0, 16, EINVAL},
    {"devmap", T(DEVMAP), 4, 4, 16, 0, 0, 0},
    {"devmap value 8", T(DEVMAP), 4, 8, 16, 0, 0, 0},
    {"devmap value 12", T(DEVMAP), 4, 12, 16, 0, 0, EINVAL},
    {"devmap hash", T(DEVMAP_HASH), 4, 4, 16, 0, 0, 0},
    {"cpumap", T(CPUMAP), 4, 4, 16, 0, 0, 0},
    {"xskmap", T(XSKMAP), 4, 4, 16, 0, 0, 0},
    {"sockmap", T(SOCKMAP), 4, 4, 16, 0, 0, 0},
    {"sockmap value 8", T(SOCKMAP), 4, 8, 16, 0, 0, 0},
    {"sockhash", T(SOCKHASH), 4, 4, 16, 0, 0, 0},
    {"cgroup array", T(CGROUP_ARRAY), 4, 4, 16, 0, 0, 0},
    {"reuseport sockarray", T(REUSEPORT_SOCKARRAY), 4, 8, 16, 0, 0, 0},
    {"sk storage without BTF", T(SK_STORAGE), 4, 8, 0, F(NO_PREALLOC), 0, EINVAL},
    {"task storage without BTF", T(TASK_STORAGE), 4, 8, 0, F(NO_PREALLOC), 0, EINVAL},
    {"unknown type 99", 99, 4, 8, 16, 0, 0, EINVAL},
};

#define NR_CASES (sizeof(cases) / sizeof(cases[0]))

static bool kernel_mode;

START_TEST(test_map)
{
	const struct map_case *c = &cases[_i];
	struct check_map_def d = {.name = c->what,
	                          .type = c->type,
	                          .key_size = c->key,
	                          .value_size = c->value,
	                          .max_entries = c->max,
	                          .map_flags = c->flags,
	                          .map_extra = c->extra};
	const char *why = NULL;
	int predicted = check_map_verdict(&d, &why);

	ck_assert_msg(predicted == c->kernel_errno,
	              "%s: predicted errno %d (%s), the kernel says %d", c->what, predicted,
	              why ? why : "-", c->kernel_errno);
	if (kernel_mode) {
		LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = c->flags, .map_extra = c->extra);
		int fd =
		    bpf_map_create((enum bpf_map_type)c->type, NULL, c->key, c->value, c->max, &o);
		int got = fd >= 0 ? 0 : -fd;

		if (fd >= 0)
			close(fd);
		ck_assert_msg(got == c->kernel_errno,
		              "%s: the running kernel answers %d, the table %d", c->what, got,
		              c->kernel_errno);
	}
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("check_maps");
	TCase *tc = tcase_create("maps");
	SRunner *sr;
	int failed;

	kernel_mode = argc > 1 && strcmp(argv[1], "--kernel") == 0;
	if (kernel_mode) {
		int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);

		if (fd < 0) {
			printf("check_maps_kernel: cannot create BPF maps here: skipped\n");
			return 77;
		}
		close(fd);
	}
	tcase_add_loop_test(tc, test_map, 0, NR_CASES);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
