/*
 * commands.h - the driver's subcommands, one file each (bpftool style).  Each takes the
 * arguments after its name (argv[0] is the subcommand) and returns the exit status.
 */
#ifndef BPFCC_DRIVER_COMMANDS_H
#define BPFCC_DRIVER_COMMANDS_H

int cmd_compile(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_load(int argc, char **argv);

#endif
