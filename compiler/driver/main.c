/*
 * main.c - entry point of `bpfcc`.
 *
 * Reproducible output: LLVM's BTF emitter orders some types (the fix-up types of CO-RE
 * relocations) by the addresses of their debug-info nodes.  Those addresses keep their
 * relative order from run to run only while every allocation comes from the one heap:
 * glibc serves large requests with mmap, whose placement address-space randomisation
 * varies independently of the heap's, and the type order (so the object's bytes) would
 * change between two runs on the same input.  Raising the mmap threshold to its maximum
 * (32 MiB) before anything is allocated keeps the heap single and the output identical.
 */
#include <malloc.h>

#include "driver/driver.h"

#define MAIN_MMAP_THRESHOLD (32u << 20) /* glibc's DEFAULT_MMAP_THRESHOLD_MAX on 64-bit */

int main(int argc, char **argv)
{
	mallopt(M_MMAP_THRESHOLD, MAIN_MMAP_THRESHOLD);
	return driver_main(argc, argv);
}
