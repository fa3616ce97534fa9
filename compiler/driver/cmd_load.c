/*
 * cmd_load.c - `bpfcc load`: not written yet.
 */
#include <stdio.h>
#include "driver/commands.h"
#include "driver/driver.h"

int cmd_load(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "bpfcc: error: 'load' is not implemented yet\n");
	return DRV_EXIT_USAGE;
}
