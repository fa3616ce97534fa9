/*
 * driver.h - the bpfcc command line: a gcc-compatible compiler driver (the default) and
 * the subcommands `verify`, `inspect` and `load`.
 *
 * Exit status: 0 success, 1 diagnostics (the input is wrong), 2 usage or internal error.
 */
#ifndef BPFCC_DRIVER_H
#define BPFCC_DRIVER_H

enum {
	DRV_EXIT_OK = 0,
	DRV_EXIT_DIAG = 1,
	DRV_EXIT_USAGE = 2,
};

/* Runs bpfcc with the given command line; returns the exit status. */
int driver_main(int argc, char **argv);

#endif
