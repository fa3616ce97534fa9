/*
 * dispatch.c - picks the subcommand from argv[1]; anything else is a compile, so that
 * bpfcc works as a drop-in `CC`.
 */
#include <string.h>

#include "driver/commands.h"
#include "driver/driver.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} subcommands[] = {
	{"verify", cmd_verify},
	{"inspect", cmd_inspect},
	{"load", cmd_load},
};

int driver_main(int argc, char **argv)
{
	if (argc > 1) {
		for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
			if (!strcmp(argv[1], subcommands[i].name))
				return subcommands[i].run(argc - 1, argv + 1);
	}
	return cmd_compile(argc, argv);
}
