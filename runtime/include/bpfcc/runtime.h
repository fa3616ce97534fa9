/*
 * runtime.h - bpfcc's runtime library: the kernel oracle.
 *
 * Loads BPF programs into the running kernel through libbpf, one program at a time, and
 * reports what the kernel verifier decided: accepted, rejected by the verifier (with its
 * message, the failing instruction and the source line the log names), or failed for
 * another reason (map creation, missing attach target or BTF, lockdown's EPERM ...).  The
 * tests use it as the ground truth bpfcc's preflight verifier is measured against.
 *
 * libbpf keeps all of its state per object: each load reopens the object from a private
 * copy of its bytes, loads it, records the result and closes it, so nothing stays loaded
 * or pinned.  libbpf's own messages are captured for the result and then forwarded to the
 * print function set with bpfcc_rt_set_print() (none by default): the library never
 * prints.  The print hook is process-wide (libbpf_set_print), so loads are not
 * thread-safe.
 */
#ifndef BPFCC_RUNTIME_H
#define BPFCC_RUNTIME_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bpf/libbpf.h>
#include <linux/bpf.h>

enum bpfcc_rt_verdict {
	BPFCC_RT_ACCEPTED, /* the kernel loaded the program */
	BPFCC_RT_REJECTED, /* the verifier ran and refused it (its log says why) */
	BPFCC_RT_FAILED,   /* refused before or outside the verifier */
};

/* The loading step that failed (BPFCC_RT_STEP_NONE when accepted). */
enum bpfcc_rt_step {
	BPFCC_RT_STEP_NONE,
	BPFCC_RT_STEP_OPEN,          /* libbpf could not parse the object */
	BPFCC_RT_STEP_MAP_CREATE,    /* a map could not be created */
	BPFCC_RT_STEP_ATTACH_TARGET, /* attach target / kernel BTF type not found */
	BPFCC_RT_STEP_RELOCATE,      /* CO-RE or other relocation failed */
	BPFCC_RT_STEP_PROG_LOAD,     /* the BPF_PROG_LOAD command itself failed */
	BPFCC_RT_STEP_OTHER,
};

/*
 * What the kernel said about one program.  All strings are owned by the result and
 * freed by bpfcc_rt_result_free(); NULL when unknown.
 */
struct bpfcc_rt_result {
	char *program; /* function name */
	char *section; /* ELF section */
	enum bpfcc_rt_verdict verdict;
	enum bpfcc_rt_step step;
	int err;                /* negative errno of the failed step, 0 when accepted */
	char *kernel_msg;       /* the verifier's message: last meaningful log line */
	char *libbpf_msg;       /* last warning libbpf printed about the failure */
	int insn;               /* index of the failing instruction (last "N: (op)" line), -1 */
	char *src_file;         /* source of the failing insn ("; ... @ file:line" in the log) */
	unsigned src_line;      /* 0 when unknown */
	char *src_text;         /* that source line as the log quotes it */
	long processed_insns;   /* "processed N insns", -1 when absent */
	long total_states;      /* -1 when absent */
	long peak_states;       /* -1 when absent */
	long verification_usec; /* "verification time N usec", -1 when absent */
	bool log_truncated;     /* the log did not fit even the largest buffer */
	char *log;              /* the full verifier log (may be "") */
	char *kernel_release;   /* uname -r of the kernel that answered */
};

struct bpfcc_rt_load_opts {
	size_t sz;           /* sizeof(struct bpfcc_rt_load_opts), for extension */
	unsigned log_level;  /* 0: default (1 | BPF_LOG_STATS) */
	size_t log_size;     /* first buffer size, 0: 1 MiB; doubled on ENOSPC */
	size_t log_size_max; /* 0: 256 MiB */
};

struct bpfcc_rt_object;

typedef int (*bpfcc_rt_print_fn)(enum libbpf_print_level level, const char *fmt, va_list ap);

/* Where libbpf's messages go during bpfcc_rt loads; NULL (the default) drops them. */
void bpfcc_rt_set_print(bpfcc_rt_print_fn fn);

/*
 * Opens an object from a file / from memory (the bytes are copied).  Returns 0 and sets
 * *out, or a negative errno (-ENOENT, -ENOMEM, -EINVAL for an object libbpf rejects).
 * The object is freed with bpfcc_rt_object_free().
 */
int bpfcc_rt_object_open_file(const char *path, struct bpfcc_rt_object **out);
int bpfcc_rt_object_open_mem(const void *buf, size_t size, const char *name,
                             struct bpfcc_rt_object **out);
void bpfcc_rt_object_free(struct bpfcc_rt_object *obj);

/* The object's programs, in libbpf's order; names and sections live as long as obj. */
size_t bpfcc_rt_object_program_count(const struct bpfcc_rt_object *obj);
const char *bpfcc_rt_object_program_name(const struct bpfcc_rt_object *obj, size_t i);
const char *bpfcc_rt_object_program_section(const struct bpfcc_rt_object *obj, size_t i);
/* The object's BTF (owned by obj), for reading decl tags and the like; NULL if none. */
const struct btf *bpfcc_rt_object_btf(const struct bpfcc_rt_object *obj);

/*
 * Loads program `name` alone (every other program's autoload off; libbpf still creates
 * all maps) and unloads it again.  Returns 0 with *out set whatever the verdict, or a
 * negative errno if no verdict could be produced (-ENOENT: no such program, -ENOMEM).
 * opts may be NULL.  Free *out with bpfcc_rt_result_free().
 */
int bpfcc_rt_load_program(const struct bpfcc_rt_object *obj, const char *name,
                          const struct bpfcc_rt_load_opts *opts, struct bpfcc_rt_result **out);

/*
 * Loads the whole object as a libbpf application would (every autoload program at once).
 * On success *out is NULL-free: *out = array of one result per program, *count entries,
 * freed with bpfcc_rt_results_free().  Programs that were not reached because another
 * failed first have verdict FAILED with err 0 and step OTHER.
 */
int bpfcc_rt_load_object(const struct bpfcc_rt_object *obj, const struct bpfcc_rt_load_opts *opts,
                         struct bpfcc_rt_result ***out, size_t *count);

/*
 * Loads a raw instruction array with bpf_prog_load() (no libbpf object: no maps, no BTF).
 * `license` NULL means "GPL".  Same result contract as bpfcc_rt_load_program(); the
 * program name in the result is `name` (may be NULL).
 */
int bpfcc_rt_load_insns(enum bpf_prog_type type, enum bpf_attach_type expected_attach,
                        const struct bpf_insn *insns, size_t insn_cnt, const char *license,
                        const char *name, const struct bpfcc_rt_load_opts *opts,
                        struct bpfcc_rt_result **out);

void bpfcc_rt_result_free(struct bpfcc_rt_result *res);
void bpfcc_rt_results_free(struct bpfcc_rt_result **res, size_t count);

/*
 * Fills the log-derived fields of `res` (kernel_msg, insn, src_*, counters) from `log`;
 * replaces what was there.  Pure text parsing, usable without a kernel.  0 or -ENOMEM.
 */
int bpfcc_rt_parse_log(const char *log, struct bpfcc_rt_result *res);

/*
 * Can the kernel be asked?  Loads "r0 = 0; exit" as a socket filter.  Returns 0 if so,
 * else a negative errno with a plain reason written to why (may be NULL).
 */
int bpfcc_rt_probe(char *why, size_t why_size);

/* "accepted", "rejected", "failed"; step names "open", "map-create", ... */
const char *bpfcc_rt_verdict_name(enum bpfcc_rt_verdict v);
const char *bpfcc_rt_step_name(enum bpfcc_rt_step s);

#endif
