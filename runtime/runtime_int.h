/*
 * runtime_int.h - internals shared by the runtime's source files (not installed).
 */
#ifndef BPFCC_RUNTIME_INT_H
#define BPFCC_RUNTIME_INT_H

#include "bpfcc/runtime.h"

/* A result with defaults (verdict FAILED, counters -1, kernel release filled); NULL: ENOMEM. */
struct bpfcc_rt_result *rt_result_new(const char *program, const char *section);
/* Replaces *dst by a copy of src (NULL allowed).  0 or -ENOMEM. */
int rt_set_str(char **dst, const char *src);

/* Effective log options with the defaults applied. */
struct rt_log_cfg {
	unsigned level;
	size_t size;
	size_t size_max;
};
void rt_log_cfg_init(struct rt_log_cfg *cfg, const struct bpfcc_rt_load_opts *opts);

#endif
