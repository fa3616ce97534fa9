/*
 * btf_prefetch.h - reads the target kernel's BTF on a second thread while clang compiles.
 *
 * The object checks need the kernel BTF (5-6 MB, ~35 ms to parse) only for objects with
 * CO-RE relocations, externs or BTF attach targets, and only after the front end and
 * LLVM are done.  When the source looks like such a program, the parse starts before
 * clang runs and is usually finished when it is needed.  A prefetch nobody takes is
 * joined and thrown away; a failed one is redone on the caller's thread so that the
 * error is reported where it always was.  One prefetch at a time, driver thread only.
 */
#ifndef BPFCC_DRIVER_BTF_PREFETCH_H
#define BPFCC_DRIVER_BTF_PREFETCH_H

#include <stdbool.h>
#include <stddef.h>

struct btf;

/* Does the C source in buf (len bytes) look like it needs the kernel BTF?  A guess: a
 * wrong "no" costs the overlap, a wrong "yes" a parse on an idle core. */
bool btf_prefetch_wanted(const char *buf, size_t len);
/* Starts parsing `path` (a copy is kept).  0, or a negative errno (then nothing runs). */
int btf_prefetch_start(const char *path);
/* The parsed BTF of `path` when a prefetch of that path succeeded (the caller owns it);
 * NULL otherwise, after joining the thread. */
struct btf *btf_prefetch_take(const char *path);
/* The CO-RE candidate index (check_core_index_new()) of a BTF btf_prefetch_take() returned,
 * built on the same thread; the caller owns it.  NULL otherwise. */
struct check_core_index;
struct check_core_index *btf_prefetch_take_index(const struct btf *btf);
/* Joins a prefetch nobody took and frees its result. */
void btf_prefetch_end(void);

#endif
