/*
 * fuzz_verifier.c - libFuzzer harness for the preflight verifier: arbitrary bytes become
 * an instruction stream (or, with a header flag, a BPF ELF object whose programs are
 * linked first) and go to verifier_run().
 *
 * Input layout: an 8-byte header, then the payload.
 *   byte 0  program type: index into fuzz_types[] (modulo its size)
 *   byte 1  flags: FUZZ_F_UNPRIV / FUZZ_F_ARENA become vrf_flags; FUZZ_F_TRACE asks for
 *           the level-2 style trace; FUZZ_F_MAPS answers map references (fds 3..6 and
 *           indexes 0..3 exist, nothing else); FUZZ_F_KFUNC answers kfunc calls (even BTF
 *           ids are kernel functions, odd ones are not); FUZZ_F_OBJECT reads the payload
 *           as an ELF object instead of instructions
 *   bytes 2-7  reserved (ignored)
 * Instruction payloads are read 8 bytes at a time (a trailing partial slot is dropped).
 *
 * Besides crashes, leaks, undefined behaviour (the sanitizers) and hangs (libFuzzer's
 * -timeout), the harness checks verifier_run()'s contract and aborts when it is broken:
 * the result is 0, -EINVAL or -ENOMEM; 0 comes with an "ok" verdict and no error
 * diagnostic; -EINVAL with a refusal naming a known rule, an instruction index inside
 * the program (or -1), a NUL-terminated kernel message, the errno of its rule, and at
 * least one error diagnostic; the processed-instruction count never passes the
 * kernel's 1,000,000 limit by more than one instruction.
 *
 * Built with -DFUZZ_REPLAY_MAIN (testsuite/fuzz_verifier/CMakeLists.txt, any compiler)
 * it is a plain program: `fuzz_verifier_replay FILE|DIR...` replays inputs (the kept
 * regression inputs in regress/), `--gen SEED COUNT` runs programs of the differential
 * generator through the same checks, and `--emit-seeds DIR SEED COUNT` writes generated
 * programs as fuzzer inputs (run.sh seeds the fuzzer with them).
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag/diag.h"
#include "verifier/verifier.h"
#ifdef FUZZ_WITH_OBJECTS
#include "elf/object.h"
#include "link/link.h"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_HEADER    8
#define FUZZ_MAX_INSNS (1u << 16)

enum fuzz_flags {
	FUZZ_F_UNPRIV = 1u << 0,
	FUZZ_F_ARENA = 1u << 1,
	FUZZ_F_TRACE = 1u << 2,
	FUZZ_F_MAPS = 1u << 3,
	FUZZ_F_KFUNC = 1u << 4,
	FUZZ_F_OBJECT = 1u << 7,
};

static const enum bpf_prog_type fuzz_types[] = {
    BPF_PROG_TYPE_SOCKET_FILTER, BPF_PROG_TYPE_XDP,        BPF_PROG_TYPE_SCHED_CLS,
    BPF_PROG_TYPE_KPROBE,        BPF_PROG_TYPE_TRACEPOINT, BPF_PROG_TYPE_CGROUP_SKB,
    BPF_PROG_TYPE_SCHED_ACT,     BPF_PROG_TYPE_PERF_EVENT, BPF_PROG_TYPE_RAW_TRACEPOINT,
    BPF_PROG_TYPE_LWT_IN,        BPF_PROG_TYPE_SK_SKB,     BPF_PROG_TYPE_TRACING,
    BPF_PROG_TYPE_UNSPEC,
};

static volatile size_t fuzz_hole;
static unsigned long fuzz_runs; /* verifier_run() calls, for the replay summary */

static void fuzz_trace(void *ctx, const char *line)
{
	(void)ctx;
	fuzz_hole += strlen(line);
}

static int fuzz_map(void *ctx, uint8_t src_reg, int32_t imm)
{
	(void)ctx;
	if (src_reg == BPF_PSEUDO_MAP_FD || src_reg == BPF_PSEUDO_MAP_VALUE)
		return imm >= 3 && imm <= 6 ? 0 : -EBADF;
	if (src_reg == BPF_PSEUDO_MAP_IDX || src_reg == BPF_PSEUDO_MAP_IDX_VALUE)
		return imm >= 0 && imm <= 3 ? 0 : -EINVAL;
	return -EINVAL;
}

static int fuzz_kfunc(void *ctx, int32_t btf_id, int16_t off)
{
	(void)ctx;
	(void)off;
	return btf_id % 2 == 0 ? 0 : -EINVAL;
}

static FILE *fuzz_devnull(void)
{
	static FILE *f;

	if (!f && !(f = fopen("/dev/null", "w")))
		abort();
	return f;
}

/* One verifier_run() with its contract checked. */
static void fuzz_run(const struct bpf_insn *insns, size_t n, const struct vrf_options *opts)
{
	struct diag_sink *sink = diag_sink_new(fuzz_devnull(), DIAG_FORMAT_TEXT);
	struct vrf_verdict v;
	struct vrf_stats stats;
	int err;

	if (!sink)
		return;
	memset(&v, 0xa5, sizeof(v)); /* the verifier must fill what it reports */
	memset(&stats, 0xa5, sizeof(stats));
	err = verifier_run(insns, n, opts, sink, &v, &stats);
	fuzz_runs++;
	if (err != 0 && err != -EINVAL && err != -ENOMEM)
		abort();
	if (err == 0 && (!v.ok || diag_error_count(sink) != 0))
		abort();
	if (err == -EINVAL) {
		if (v.ok || (unsigned)v.rule >= VRF_R_COUNT || !vrf_rule_id(v.rule))
			abort();
		if (v.insn < -1 || (v.insn >= 0 && (size_t)v.insn >= n))
			abort();
		if (!memchr(v.kernel_msg, '\0', sizeof(v.kernel_msg)))
			abort();
		if (v.kernel_errno != vrf_rule_errno(v.rule))
			abort();
		if (diag_error_count(sink) < 1)
			abort();
		fuzz_hole += strlen(v.kernel_msg);
	}
	if (err != -ENOMEM && stats.insns_processed > VRF_COMPLEXITY_LIMIT_INSNS + 1)
		abort();
	diag_sink_free(sink);
}

#ifdef FUZZ_WITH_OBJECTS
/* Every program of an object, linked as libbpf would, through the verifier. */
static void fuzz_object(const uint8_t *data, size_t size, const struct vrf_options *base)
{
	struct diag_sink *sink = diag_sink_new(fuzz_devnull(), DIAG_FORMAT_TEXT);
	struct obj_file *obj;

	if (!sink)
		return;
	obj = obj_open_mem(data, size, "fuzz.o", sink);
	for (size_t i = 0; obj && i < obj->nr_progs; i++) {
		struct link_prog lp;
		struct vrf_options opts = *base;

		memset(&lp, 0, sizeof(lp));
		if (link_program(obj, &obj->progs[i], NULL, &lp, sink) != 0)
			continue;
		opts.prog_type = (enum bpf_prog_type)lp.prog_type;
		opts.program = obj->progs[i].name;
		opts.section = obj->progs[i].section;
		opts.loc_fn = link_loc;
		opts.loc_ctx = &lp;
		if (lp.insn_cnt <= FUZZ_MAX_INSNS)
			fuzz_run(lp.insns, lp.insn_cnt, &opts);
		link_prog_free(&lp);
	}
	obj_free(obj);
	diag_sink_free(sink);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vrf_options opts;
	struct bpf_insn *insns;
	size_t n;
	uint8_t flags;

	if (size < FUZZ_HEADER)
		return 0;
	flags = data[1];
	memset(&opts, 0, sizeof(opts));
	opts.prog_type = fuzz_types[data[0] % (sizeof(fuzz_types) / sizeof(fuzz_types[0]))];
	opts.flags = (flags & FUZZ_F_UNPRIV ? VRF_F_UNPRIV : 0) |
	             (flags & FUZZ_F_ARENA ? VRF_F_HAS_ARENA : 0);
	opts.program = "fuzz";
	if (flags & FUZZ_F_TRACE)
		opts.trace_fn = fuzz_trace;
	if (flags & FUZZ_F_MAPS)
		opts.map_fn = fuzz_map;
	if (flags & FUZZ_F_KFUNC)
		opts.kfunc_fn = fuzz_kfunc;
	data += FUZZ_HEADER;
	size -= FUZZ_HEADER;
	if (flags & FUZZ_F_OBJECT) {
#ifdef FUZZ_WITH_OBJECTS
		fuzz_object(data, size, &opts);
#endif
		return 0;
	}
	n = size / sizeof(struct bpf_insn);
	if (n > FUZZ_MAX_INSNS)
		n = FUZZ_MAX_INSNS;
	/* an exact-size copy, so that reading past the end is a sanitizer report */
	insns = malloc(n ? n * sizeof(*insns) : 1);
	if (!insns)
		return 0;
	if (n)
		memcpy(insns, data, n * sizeof(*insns));
	fuzz_run(insns, n, &opts);
	free(insns);
	return 0;
}

#ifdef FUZZ_REPLAY_MAIN
#include "../difftest/gen.h"

static int replay_file(const char *path, unsigned *count)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, got;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap = cap ? cap * 2 : 4096);

			if (!nb) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	(*count)++;
	return 0;
}

static int replay_path(const char *path, unsigned *count)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int err = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path, count);
	if (!(d = opendir(path)))
		return -1;
	while ((e = readdir(d))) {
		char sub[4096];

		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		if (stat(sub, &st) == 0 && S_ISREG(st.st_mode) && replay_file(sub, count) < 0)
			err = -1;
	}
	closedir(d);
	return err;
}

/* A generated program as a fuzzer input (map indices point at existing maps). */
static size_t to_input(const struct gen_prog *p, uint8_t *buf)
{
	memset(buf, 0, FUZZ_HEADER);
	buf[0] = 0;
	for (size_t t = 0; t < sizeof(fuzz_types) / sizeof(fuzz_types[0]); t++)
		if (fuzz_types[t] == p->prog_type)
			buf[0] = (uint8_t)t;
	buf[1] = FUZZ_F_MAPS;
	memcpy(buf + FUZZ_HEADER, p->insns, p->n * sizeof(p->insns[0]));
	return FUZZ_HEADER + p->n * sizeof(p->insns[0]);
}

static int gen_mode(int argc, char **argv, bool emit)
{
	static struct gen_prog p;
	static uint8_t buf[FUZZ_HEADER + GEN_MAX_INSNS * 8];
	const char *dir = emit ? argv[0] : NULL;
	unsigned long long seed, count;
	const int fds[GEN_NR_MAPS] = {3, 4, 5, 6};

	if (argc != (emit ? 3 : 2))
		return 2;
	seed = strtoull(argv[emit], NULL, 0);
	count = strtoull(argv[emit + 1], NULL, 0);
	for (unsigned long long i = 0; i < count; i++) {
		size_t len;

		gen_program(seed, i, i % 2 ? GEN_CLASS_ALL : GEN_CLASS_INSN, &p);
		gen_bind_maps(p.insns, p.n, fds);
		len = to_input(&p, buf);
		if (emit) {
			char path[4096];
			FILE *f;

			snprintf(path, sizeof(path), "%s/gen-%llu-%llu", dir, seed, i);
			if (!(f = fopen(path, "wb")) || fwrite(buf, 1, len, f) != len ||
			    fclose(f) != 0) {
				fprintf(stderr, "%s: %s\n", path, strerror(errno));
				return 1;
			}
		} else {
			LLVMFuzzerTestOneInput(buf, len);
		}
	}
	printf("fuzz_verifier: %s %llu generated programs (seed %llu)\n",
	       emit ? "wrote" : "checked", count, seed);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	int err = 0;

	if (argc >= 2 && strcmp(argv[1], "--gen") == 0)
		return gen_mode(argc - 2, argv + 2, false);
	if (argc >= 2 && strcmp(argv[1], "--emit-seeds") == 0)
		return gen_mode(argc - 2, argv + 2, true);
	if (argc < 2) {
		fprintf(stderr, "usage: fuzz_verifier_replay FILE|DIR...\n"
		                "       fuzz_verifier_replay --gen SEED COUNT\n"
		                "       fuzz_verifier_replay --emit-seeds DIR SEED COUNT\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (replay_path(argv[i], &count) < 0)
			err = 1;
	printf("fuzz_verifier: replayed %u inputs (%lu verifier runs), no contract broken\n", count,
	       fuzz_runs);
	return err || !count;
}
#endif
