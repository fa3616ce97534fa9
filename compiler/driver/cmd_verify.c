/*
 * cmd_verify.c - `bpfcc verify`: not written yet.
 */
#include <stdio.h>
#include "driver/commands.h"
#include "driver/driver.h"

int cmd_verify(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "bpfcc: error: 'verify' is not implemented yet\n");
	return DRV_EXIT_USAGE;
}
