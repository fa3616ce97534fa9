/*
 * oracle.h - the two verdicts difftest compares: the live kernel's (bpf(BPF_PROG_LOAD)
 * through the runtime's raw-instruction loader, log level 1) and bpfcc's preflight
 * verifier's (verifier_run()).  Both see the same instructions, with the map indices of
 * the generated program bound to real maps created here with bpf_map_create().
 */
#ifndef BPFCC_DIFFTEST_ORACLE_H
#define BPFCC_DIFFTEST_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gen.h"

struct btf;

struct dt_oracle {
	int map_fds[GEN_NR_MAPS];
	char release[80];     /* uname -r */
	uint32_t nr_cpu_ids;  /* the possible CPUs (sysfs), for bpfcc; 0 if unknown */
	int btf_fd;           /* gen_btf() in the kernel (func_info, the lock map), or -1 */
	struct btf *prog_btf; /* gen_btf() for bpfcc (vrf_options.prog_btf), or NULL */
	unsigned log_level;   /* for the kernel loads; 0: DT_LOG_LEVEL */
	/* bpfcc's exploration trace (vrf_options.trace_fn), one line at a time; NULL: none */
	void (*trace_fn)(void *ctx, const char *line);
	void *trace_ctx;
};

/*
 * BPF_LOG_STATS alone: the kernel still logs its error line (verbose() writes whenever a
 * log is attached) and the statistics, but not the per-instruction trace of level 1,
 * which costs ~20 s for a program near the 1,000,000-instruction limit.  On 1,800
 * generated programs of each class the report is identical with level 5 (1 | STATS);
 * --log-level 5 gives the brief's level 1 back.
 */
#define DT_LOG_LEVEL 4

struct dt_outcome {
	bool ok;
	int err;        /* negative errno of the load, 0 when accepted */
	char msg[256];  /* the kernel's message (bpfcc: the one it predicts); "" when none */
	long processed; /* processed instructions, -1 when unknown */
	uint64_t ns;    /* wall time of the verdict */
};

/* Probes the kernel and creates the maps.  0, or a negative errno with a plain reason
 * in why (no privileges, no bpf()). */
int dt_oracle_open(struct dt_oracle *o, char *why, size_t why_size);
/* Only fills release (uname -r) and marks the maps absent: bpfcc side only. */
void dt_oracle_open_offline(struct dt_oracle *o);
void dt_oracle_close(struct dt_oracle *o);

/* The kernel's verdict on `p` (maps bound).  0, or -ENOMEM / -EINVAL when no verdict
 * could be produced. */
int dt_oracle_kernel(const struct dt_oracle *o, const struct gen_prog *p, struct dt_outcome *out);
/* bpfcc's verdict on `p` (maps bound the same way).  0, or -ENOMEM. */
int dt_oracle_bpfcc(const struct dt_oracle *o, const struct gen_prog *p, struct dt_outcome *out);

/* Do the two agree on the verdict / on the message as well? */
bool dt_outcome_agree(const struct dt_outcome *k, const struct dt_outcome *b);
bool dt_outcome_msg_agree(const struct dt_outcome *k, const struct dt_outcome *b);

#endif
