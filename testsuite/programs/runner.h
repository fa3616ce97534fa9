/*
 * runner.h - pieces of the program-test runner: expectations read from BTF decl tags
 * (expectations.c) and child processes with captured output (subprocess.c).
 */
#ifndef BPFCC_RUNNER_H
#define BPFCC_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#include <bpf/btf.h>

enum runner_want {
	RUNNER_WANT_NONE, /* no __success / __failure on the program */
	RUNNER_WANT_SUCCESS,
	RUNNER_WANT_FAILURE,
};

/* What a program's tags say about it. */
struct runner_expect {
	enum runner_want want;
	size_t npatterns;
	char **patterns;  /* POSIX EREs, from __msg (literal text, {{ERE}}) and __regex */
	char **shown;     /* the tag text as written, for messages */
	unsigned at_line; /* 0: not given */
	char *xfail;      /* __bpfcc_xfail reason, or NULL */
	bool conflicting; /* both __success and __failure */
};

/* Fills e from the "bpfcc:" decl tags on FUNC `func` of btf.  0 or a negative errno. */
int expect_read(const struct btf *btf, const char *func, struct runner_expect *e);
void expect_free(struct runner_expect *e);

/*
 * Do the patterns match `text`?  ordered: each pattern must match after the previous
 * one's match (the selftests' rule for the verifier log).  Returns true if all match;
 * otherwise writes the first pattern that did not into why.
 */
bool expect_match(const struct runner_expect *e, const char *text, bool ordered, char *why,
                  size_t why_size);

/* Translates __msg text (literal, with {{ERE}} pieces) to one ERE; NULL on ENOMEM. */
char *expect_msg_to_ere(const char *msg);

struct runner_output {
	int status; /* exit status, or 128 + signal, or -1 if it could not be run */
	char *text; /* stdout and stderr together, NUL-terminated, never NULL on success */
};

/* Runs argv[0] (PATH searched) with stdout+stderr captured.  0 or a negative errno. */
int subprocess_run(char *const argv[], struct runner_output *out);
void subprocess_output_free(struct runner_output *out);

#endif
