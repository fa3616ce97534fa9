/*
 * cmd_inspect.c - `bpfcc inspect`: not written yet.
 */
#include <stdio.h>
#include "driver/commands.h"
#include "driver/driver.h"

int cmd_inspect(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "bpfcc: error: 'inspect' is not implemented yet\n");
	return DRV_EXIT_USAGE;
}
