/*
 * rusage_run.c - run a command and record its peak resident set size, for compile.sh on
 * machines without GNU time.
 *
 * Usage: rusage_run -o FILE COMMAND [ARG...]
 *
 * Forks, execs COMMAND and waits for it with wait4().  The rusage that wait4() returns
 * for a child covers the child and the descendants it waited for, so ru_maxrss (KiB on
 * Linux) is the largest resident set among the compiler and its subprocesses - the same
 * figure as GNU time's %M.  Writes that number and a newline to FILE and exits with the
 * command's status (128 + signal number if it was killed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	FILE *out;
	pid_t pid;
	int status;

	if (argc < 4 || strcmp(argv[1], "-o") != 0) {
		fprintf(stderr, "usage: %s -o FILE COMMAND [ARG...]\n", argv[0]);
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("rusage_run: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[3], &argv[3]);
		fprintf(stderr, "rusage_run: %s: %s\n", argv[3], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("rusage_run: wait4");
			return 2;
		}
	}
	out = fopen(argv[2], "w");
	if (!out || fprintf(out, "%ld\n", ru.ru_maxrss) < 0 || fclose(out) != 0) {
		fprintf(stderr, "rusage_run: cannot write %s\n", argv[2]);
		return 2;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
