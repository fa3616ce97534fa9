/*
 * warmup.h - maps bpfcc's own code and data into memory on a second thread while clang
 * compiles.
 *
 * bpfcc links LLVM statically: the back end's first run touches thousands of pages of
 * the executable, each a page fault on the compile's critical path once clang is done.
 * While the front end runs, the driver thread only waits on a pipe and the machine has a
 * core to spare, so the executable's segments are populated then (madvise
 * MADV_POPULATE_READ, Linux 5.14+; on older kernels the call fails and nothing changes).
 * One warm-up at a time, driver thread only.
 */
#ifndef BPFCC_DRIVER_WARMUP_H
#define BPFCC_DRIVER_WARMUP_H

/* Starts the warm-up thread; without a thread the compile simply runs cold. */
void warmup_start(void);
/* Joins it (a no-op when none runs). */
void warmup_end(void);

#endif
