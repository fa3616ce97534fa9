/*
 * sample_load.c - load a sample's BPF object into the running kernel, the way a libbpf
 * application would, and report whether the kernel verifier accepted every program.
 *
 * Usage: sample_load OBJECT.bpf.o
 *
 * bpf_object__open_file() parses the ELF (sections, maps, BTF, CO-RE relocations) and
 * bpf_object__load() creates the maps, applies relocations against the kernel's BTF and
 * submits each program to the bpf() syscall, where the kernel verifier checks it.  Nothing
 * is attached: loading is what the verifier decides, attaching needs the hook (and with
 * lockdown=integrity some hooks are unavailable anyway).
 *
 * Exit status: 0 every program loaded, 1 the kernel (or libbpf) refused the object,
 * 77 loading BPF programs is impossible on this machine (no CAP_BPF, or the bpf() syscall
 * is refused with EPERM for a trivial program) - ctest reports that as a skip.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

enum {
	LOAD_EXIT_OK = 0,
	LOAD_EXIT_REJECTED = 1,
	LOAD_EXIT_SKIP = 77,
};

/* libbpf's messages (including the verifier log of a refused program) go to stderr. */
static int load_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* A message for a libbpf or system error code (libbpf's own codes start at 4000). */
static const char *load_strerror(int err, char *buf, size_t size)
{
	if (libbpf_strerror(err, buf, size) < 0)
		snprintf(buf, size, "error %d", err);
	return buf;
}

/*
 * Can this process load BPF programs at all?  Loads "r0 = 0; exit" as a socket filter,
 * the program type with the fewest requirements.  Returns 0 when it can, else a negative
 * errno; EPERM/EACCES mean missing privileges (or BPF disabled for unprivileged users).
 */
static int load_probe_bpf(void)
{
	const struct bpf_insn insns[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	int fd;

	fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "probe", "GPL", insns,
	                   sizeof(insns) / sizeof(insns[0]), NULL);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj = NULL;
	struct bpf_program *prog;
	char msg[128];
	int err, loaded = 0, status = LOAD_EXIT_REJECTED;

	if (argc != 2) {
		fprintf(stderr, "usage: %s OBJECT.bpf.o\n", argv[0]);
		return 2;
	}
	libbpf_set_print(load_print);

	err = load_probe_bpf();
	if (err == -EPERM || err == -EACCES || err == -ENOSYS) {
		printf("skip: cannot load BPF programs here (trivial socket filter: %s)\n",
		       strerror(-err));
		return LOAD_EXIT_SKIP;
	}
	if (err) {
		fprintf(stderr, "error: trivial probe program refused: %s\n", strerror(-err));
		return LOAD_EXIT_REJECTED;
	}

	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "error: %s: cannot open: %s\n", argv[1],
		        load_strerror(errno, msg, sizeof(msg)));
		return LOAD_EXIT_REJECTED;
	}
	if (!bpf_object__next_program(obj, NULL)) {
		fprintf(stderr, "error: %s: no BPF programs in the object\n", argv[1]);
		goto out;
	}

	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "error: %s: the kernel refused the object: %s\n", argv[1],
		        load_strerror(err, msg, sizeof(msg)));
		goto out;
	}

	bpf_object__for_each_program(prog, obj)
	{
		if (!bpf_program__autoload(prog))
			continue;
		if (bpf_program__fd(prog) < 0) {
			fprintf(stderr, "error: %s: program %s has no fd after load\n", argv[1],
			        bpf_program__name(prog));
			goto out;
		}
		printf("loaded %s (section %s)\n", bpf_program__name(prog),
		       bpf_program__section_name(prog));
		loaded++;
	}
	printf("%s: %d program(s) accepted by the kernel verifier\n", argv[1], loaded);
	status = loaded > 0 ? LOAD_EXIT_OK : LOAD_EXIT_REJECTED;
out:
	bpf_object__close(obj);
	return status;
}
