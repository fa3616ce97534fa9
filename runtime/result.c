/*
 * result.c - life cycle of struct bpfcc_rt_result and the names of its enums.
 *
 * A result is what the kernel said about one program; every string in it is owned by
 * the result, so the object it came from can be gone by the time it is read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "bpfcc/runtime.h"
#include "runtime_int.h"

struct bpfcc_rt_result *rt_result_new(const char *program, const char *section)
{
	struct bpfcc_rt_result *res = calloc(1, sizeof(*res));
	struct utsname un;

	if (!res)
		return NULL;
	res->insn = -1;
	res->processed_insns = -1;
	res->total_states = -1;
	res->peak_states = -1;
	res->verification_usec = -1;
	res->verdict = BPFCC_RT_FAILED;
	res->step = BPFCC_RT_STEP_OTHER;
	if (program && !(res->program = strdup(program)))
		goto fail;
	if (section && !(res->section = strdup(section)))
		goto fail;
	if (uname(&un) == 0 && !(res->kernel_release = strdup(un.release)))
		goto fail;
	if (!(res->log = strdup("")))
		goto fail;
	return res;
fail:
	bpfcc_rt_result_free(res);
	return NULL;
}

int rt_set_str(char **dst, const char *src)
{
	char *copy = NULL;

	if (src && !(copy = strdup(src)))
		return -ENOMEM;
	free(*dst);
	*dst = copy;
	return 0;
}

void bpfcc_rt_result_free(struct bpfcc_rt_result *res)
{
	if (!res)
		return;
	free(res->program);
	free(res->section);
	free(res->kernel_msg);
	free(res->libbpf_msg);
	free(res->src_file);
	free(res->src_text);
	free(res->log);
	free(res->kernel_release);
	free(res);
}

void bpfcc_rt_results_free(struct bpfcc_rt_result **res, size_t count)
{
	if (!res)
		return;
	for (size_t i = 0; i < count; i++)
		bpfcc_rt_result_free(res[i]);
	free(res);
}

const char *bpfcc_rt_verdict_name(enum bpfcc_rt_verdict v)
{
	switch (v) {
	case BPFCC_RT_ACCEPTED:
		return "accepted";
	case BPFCC_RT_REJECTED:
		return "rejected";
	case BPFCC_RT_FAILED:
		return "failed";
	}
	return "?";
}

const char *bpfcc_rt_step_name(enum bpfcc_rt_step s)
{
	switch (s) {
	case BPFCC_RT_STEP_NONE:
		return "none";
	case BPFCC_RT_STEP_OPEN:
		return "open";
	case BPFCC_RT_STEP_MAP_CREATE:
		return "map-create";
	case BPFCC_RT_STEP_ATTACH_TARGET:
		return "attach-target";
	case BPFCC_RT_STEP_RELOCATE:
		return "relocate";
	case BPFCC_RT_STEP_PROG_LOAD:
		return "prog-load";
	case BPFCC_RT_STEP_OTHER:
		return "other";
	}
	return "?";
}
