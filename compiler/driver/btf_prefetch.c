/*
 * btf_prefetch.c - the kernel BTF parsed on a second thread while clang runs (see
 * btf_prefetch.h), and its CO-RE candidate index built right after.
 *
 * The thread only calls libbpf's btf__parse() on a path of its own; the result changes
 * hands in btf_prefetch_take() after pthread_join(), so no locking is needed.  glibc gives
 * the thread its own malloc arena: the main arena, whose addresses LLVM's BTF emission
 * order depends on (main.c), sees the same sequence of allocations as without it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "check/check.h"
#include "driver/btf_prefetch.h"

static struct {
	pthread_t thread;
	bool running;
	char *path;
	struct btf *btf;
	struct check_core_index *core_index; /* of btf, for CO-RE candidates */
	const struct btf *taken;             /* btf after btf_prefetch_take() */
} prefetch;

/* Spellings that make CO-RE relocations, externs or BTF attach targets likely. */
static const char *const hints[] = {
    "vmlinux.h", "preserve_access_index",
    "bpf_core_", "BPF_CORE_",
    "__ksym",    "__kconfig",
    "tp_btf",    "fentry",
    "fexit",     "fmod_ret",
    "lsm",       "iter/",
    "iter.s/",   "struct_ops",
    "BPF_PROG(",
};

bool btf_prefetch_wanted(const char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		size_t n = strlen(hints[i]);

		for (const char *p = buf; (size_t)(p - buf) + n <= len;) {
			const char *q = memchr(p, hints[i][0], len - (size_t)(p - buf) - n + 1);

			if (!q)
				break;
			if (memcmp(q, hints[i], n) == 0)
				return true;
			p = q + 1;
		}
	}
	return false;
}

static void *prefetch_main(void *arg)
{
	(void)arg;
	prefetch.btf = btf__parse(prefetch.path, NULL);
	if (prefetch.btf)
		prefetch.core_index = check_core_index_new(prefetch.btf);
	return NULL;
}

int btf_prefetch_start(const char *path)
{
	int err;

	if (prefetch.running)
		return -EBUSY;
	prefetch.path = strdup(path);
	if (!prefetch.path)
		return -ENOMEM;
	prefetch.btf = NULL;
	prefetch.core_index = NULL;
	prefetch.taken = NULL;
	err = pthread_create(&prefetch.thread, NULL, prefetch_main, NULL);
	if (err) {
		free(prefetch.path);
		prefetch.path = NULL;
		return -err;
	}
	prefetch.running = true;
	return 0;
}

static void prefetch_join(void)
{
	if (!prefetch.running)
		return;
	pthread_join(prefetch.thread, NULL);
	prefetch.running = false;
}

struct btf *btf_prefetch_take(const char *path)
{
	struct btf *btf = NULL;

	prefetch_join();
	if (prefetch.path && path && strcmp(prefetch.path, path) == 0) {
		btf = prefetch.btf;
		prefetch.btf = NULL;
		prefetch.taken = btf;
	}
	return btf;
}

struct check_core_index *btf_prefetch_take_index(const struct btf *btf)
{
	struct check_core_index *idx = NULL;

	prefetch_join();
	if (btf && btf == prefetch.taken) {
		idx = prefetch.core_index;
		prefetch.core_index = NULL;
	}
	return idx;
}

void btf_prefetch_end(void)
{
	prefetch_join();
	check_core_index_free(prefetch.core_index);
	prefetch.core_index = NULL;
	btf__free(prefetch.btf);
	prefetch.btf = NULL;
	prefetch.taken = NULL;
	free(prefetch.path);
	prefetch.path = NULL;
}
