/*
 * subprocess.c - runs a command with its stdout and stderr captured into one buffer,
 * the way the runner runs bpfcc and clang on a test file.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner.h"

/* Keeps at most this much of a command's output. */
#define SUBPROCESS_MAX_OUTPUT (4u << 20)

int subprocess_run(char *const argv[], struct runner_output *out)
{
	size_t len = 0, cap = 4096;
	int pipefd[2], status;
	char *buf;
	pid_t pid;
	ssize_t n;

	out->status = -1;
	out->text = NULL;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	if (pipe2(pipefd, O_CLOEXEC)) {
		free(buf);
		return -errno;
	}
	pid = fork();
	if (pid < 0) {
		int err = -errno;

		close(pipefd[0]);
		close(pipefd[1]);
		free(buf);
		return err;
	}
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		execvp(argv[0], argv);
		dprintf(STDERR_FILENO, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		if (len + 1 >= cap && cap < SUBPROCESS_MAX_OUTPUT) {
			char *nb = realloc(buf, cap * 2);

			if (nb) {
				buf = nb;
				cap *= 2;
			}
		}
		if (len + 1 < cap) {
			n = read(pipefd[0], buf + len, cap - len - 1);
		} else {
			char sink[4096];

			n = read(pipefd[0], sink, sizeof(sink)); /* drop what does not fit */
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len + 1 < cap)
			len += (size_t)n;
	}
	close(pipefd[0]);
	buf[len] = '\0';
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			free(buf);
			return -errno;
		}
	}
	out->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	out->text = buf;
	return 0;
}

void subprocess_output_free(struct runner_output *out)
{
	free(out->text);
	out->text = NULL;
}
