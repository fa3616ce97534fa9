/*
 * oracle.c - the kernel's and bpfcc's verdicts on one generated program.
 *
 * The kernel side loads through bpfcc_rt_load_insns() at DT_LOG_LEVEL (oracle.h) unless
 * the caller sets another level: the message is the runtime's reading of the log (its
 * last meaningful line, the error the verifier stopped at), the same reading the
 * program-test runner uses.  A load refused before the verifier logs anything (E2BIG for
 * size, EBADF for a bad map fd without a log ...) is a rejection with an empty message.
 * The log buffer is capped at 1 MiB: the kernel's log is rolling, so a truncated log
 * still ends with the error, but the load then fails with ENOSPC whatever the verdict,
 * so the verdict is taken from a second load without a log.
 *
 * Programs with a callback (ld_imm64 BPF_PSEUDO_FUNC) need BTF func_info ("missing btf
 * func_info"): they are loaded with bpf_prog_load() directly, every subprogram described
 * as a static "int f(void)" of a small BTF loaded once, and the log read by
 * bpfcc_rt_parse_log().
 *
 * The bpfcc side runs verifier_run() with the program type and a map callback that
 * knows exactly the map fds created here, and this machine's nr_cpu_ids (the range of
 * bpf_get_smp_processor_id() in the kernel).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/btf.h>

#include "bpfcc/runtime.h"
#include "diag/diag.h"
#include "oracle.h"
#include "verifier/verifier.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void read_release(struct dt_oracle *o)
{
	struct utsname u;

	if (uname(&u) == 0)
		snprintf(o->release, sizeof(o->release), "%s", u.release);
	else
		snprintf(o->release, sizeof(o->release), "unknown");
}

/* nr_cpu_ids as the kernel has it: the highest possible CPU plus one (the last number of
 * /sys/devices/system/cpu/possible, "0-1"); 0 when it cannot be read. */
static uint32_t read_nr_cpu_ids(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	char buf[256];
	unsigned long last = 0;
	bool any = false;

	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f)) {
		for (char *s = buf; *s;) {
			char *end;

			if (*s < '0' || *s > '9') { /* strtoul would take "-1" as a number */
				s++;
				continue;
			}
			last = strtoul(s, &end, 10), any = true;
			s = end;
		}
	}
	fclose(f);
	return any && last < 1u << 20 ? (uint32_t)last + 1 : 0;
}

/* gen_btf() loaded into the kernel (fd or -1) and parsed for bpfcc (or NULL). */
static void open_btf(struct dt_oracle *o, bool kernel)
{
	uint8_t blob[GEN_BTF_MAX];
	size_t size = gen_btf(blob);

	o->btf_fd = kernel ? bpf_btf_load(blob, size, NULL) : -1;
	o->prog_btf = btf__new(blob, (uint32_t)size);
	if (libbpf_get_error(o->prog_btf))
		o->prog_btf = NULL;
}

void dt_oracle_open_offline(struct dt_oracle *o)
{
	memset(o, 0, sizeof(*o));
	read_release(o);
	o->nr_cpu_ids = read_nr_cpu_ids();
	open_btf(o, false);
	/* stand-in fds for bpfcc alone: numbers no real descriptor of ours has */
	for (int i = 0; i < GEN_NR_MAPS; i++)
		o->map_fds[i] = 1000 + i;
}

int dt_oracle_open(struct dt_oracle *o, char *why, size_t why_size)
{
	int err;

	memset(o, 0, sizeof(*o));
	for (int i = 0; i < GEN_NR_MAPS; i++)
		o->map_fds[i] = -1;
	o->btf_fd = -1;
	read_release(o);
	o->nr_cpu_ids = read_nr_cpu_ids();
	if ((err = bpfcc_rt_probe(why, why_size)) < 0)
		return err;
	/* -1: callback programs are refused for want of func_info, the lock map not made */
	open_btf(o, true);
	for (int i = 0; i < GEN_NR_MAPS; i++) {
		const struct gen_map_spec *m = &gen_maps[i];
		LIBBPF_OPTS(bpf_map_create_opts, mo);

		if (m->btf_value_id) {
			mo.btf_fd = (uint32_t)(o->btf_fd < 0 ? 0 : o->btf_fd);
			mo.btf_key_type_id = GEN_BTF_INT;
			mo.btf_value_type_id = m->btf_value_id;
		}
		o->map_fds[i] = bpf_map_create(m->type, m->name, m->key_size, m->value_size,
		                               m->max_entries, &mo);
		if (o->map_fds[i] < 0) {
			err = -errno;
			snprintf(why, why_size, "creating map %s: %s", m->name, strerror(errno));
			dt_oracle_close(o);
			return err;
		}
	}
	return 0;
}

void dt_oracle_close(struct dt_oracle *o)
{
	if (o->btf_fd > 0)
		close(o->btf_fd);
	o->btf_fd = -1;
	btf__free(o->prog_btf);
	o->prog_btf = NULL;
	for (int i = 0; i < GEN_NR_MAPS; i++) {
		if (o->map_fds[i] >= 0 && o->map_fds[i] < 1000)
			close(o->map_fds[i]);
		o->map_fds[i] = -1;
	}
}

/* The attach type the kernel is given: gen_prog_attach_type() (BPF_XDP for XDP, so that
 * packet pointers are typed on both sides; cgroup_skb ingress), 0 for none. */
static enum bpf_attach_type prog_attach_type(const struct gen_prog *p)
{
	int t = gen_prog_attach_type(p->prog_type);

	return t < 0 ? (enum bpf_attach_type)0 : (enum bpf_attach_type)t;
}

/* The first instruction of every subprogram: 0 and the targets of pseudo calls and of
 * BPF_PSEUDO_FUNC ld_imm64s, sorted, in func_info; returns how many, 0 when the program
 * has no callback (no func_info needed). */
static size_t func_infos(const struct gen_prog *p, struct bpf_func_info *fi, size_t max)
{
	bool start[GEN_MAX_INSNS] = {true}, cb = false;
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++) {
		const struct bpf_insn *in = &p->insns[i];
		long t = -1;

		if (in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_CALL)
			t = (long)i + 1 + in->imm;
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW) && in->src_reg == BPF_PSEUDO_FUNC)
			t = (long)i + 1 + in->imm, cb = true;
		if (t > 0 && t < (long)p->n)
			start[t] = true;
	}
	for (size_t i = 0; cb && i < p->n && n < max; i++)
		if (start[i])
			fi[n++] = (struct bpf_func_info){.insn_off = (uint32_t)i,
			                                 .type_id = GEN_BTF_FUNC};
	return cb ? n : 0;
}

/* A callback program: bpf_prog_load() with the BTF and func_info, the log parsed. */
static int kernel_with_btf(const struct dt_oracle *o, const struct gen_prog *p,
                           const struct bpf_insn *insns, const struct bpf_func_info *fi, size_t nfi,
                           struct dt_outcome *out)
{
	const size_t log_size = 1 << 20;
	char *log = malloc(log_size);
	struct bpfcc_rt_result *res = calloc(1, sizeof(*res));
	LIBBPF_OPTS(bpf_prog_load_opts, lo, .expected_attach_type = prog_attach_type(p),
	            .prog_btf_fd = (uint32_t)(o->btf_fd < 0 ? 0 : o->btf_fd), .func_info = fi,
	            .func_info_cnt = (uint32_t)nfi, .func_info_rec_size = sizeof(fi[0]),
	            .log_level = o->log_level ? o->log_level : DT_LOG_LEVEL, .log_buf = log,
	            .log_size = (uint32_t)log_size);
	int fd, err;

	if (!log || !res) {
		free(log);
		free(res);
		return -ENOMEM;
	}
	if (o->btf_fd < 0)
		lo.func_info = NULL, lo.func_info_cnt = 0, lo.func_info_rec_size = 0;
	log[0] = '\0';
	fd = bpf_prog_load(p->prog_type, "difftest", "GPL", insns, (uint32_t)p->n, &lo);
	err = fd < 0 ? -errno : 0;
	if (err == -ENOSPC) { /* the log did not fit: the verdict from a load without one */
		lo.log_buf = NULL, lo.log_size = 0, lo.log_level = 0;
		fd = bpf_prog_load(p->prog_type, "difftest", "GPL", insns, (uint32_t)p->n, &lo);
		err = fd < 0 ? -errno : 0;
	}
	if (fd >= 0)
		close(fd);
	out->ok = fd >= 0;
	out->err = err;
	out->processed = -1;
	if (bpfcc_rt_parse_log(log, res) == 0) {
		out->processed = res->processed_insns;
		if (!out->ok && res->kernel_msg)
			snprintf(out->msg, sizeof(out->msg), "%s", res->kernel_msg);
	}
	bpfcc_rt_result_free(res);
	free(log);
	return 0;
}

int dt_oracle_kernel(const struct dt_oracle *o, const struct gen_prog *p, struct dt_outcome *out)
{
	struct bpf_insn insns[GEN_MAX_INSNS];
	struct bpfcc_rt_load_opts opts = {.sz = sizeof(opts),
	                                  .log_level = o->log_level ? o->log_level : DT_LOG_LEVEL,
	                                  .log_size = 64 << 10,
	                                  .log_size_max = 1 << 20};
	struct bpfcc_rt_result *res = NULL;
	static struct bpf_func_info fi[GEN_MAX_INSNS];
	uint64_t t0 = now_ns();
	size_t nfi;
	int err;

	memset(out, 0, sizeof(*out));
	memcpy(insns, p->insns, p->n * sizeof(insns[0]));
	gen_bind_maps(insns, p->n, o->map_fds);
	if ((nfi = func_infos(p, fi, GEN_MAX_INSNS)) > 0) {
		err = kernel_with_btf(o, p, insns, fi, nfi, out);
		out->ns = now_ns() - t0;
		return err;
	}
	err = bpfcc_rt_load_insns(p->prog_type, prog_attach_type(p), insns, p->n, "GPL", "difftest",
	                          &opts, &res);
	out->ns = now_ns() - t0;
	if (err < 0)
		return err;
	out->ok = res->verdict == BPFCC_RT_ACCEPTED;
	out->err = res->err;
	if (res->log_truncated) {
		LIBBPF_OPTS(bpf_prog_load_opts, lo, .expected_attach_type = prog_attach_type(p));
		int fd = bpf_prog_load(p->prog_type, "difftest", "GPL", insns, (__u32)p->n, &lo);

		out->ok = fd >= 0;
		out->err = fd >= 0 ? 0 : -errno;
		if (fd >= 0)
			close(fd);
		out->ns = now_ns() - t0;
	}
	out->processed = res->processed_insns;
	if (!out->ok && res->kernel_msg)
		snprintf(out->msg, sizeof(out->msg), "%s", res->kernel_msg);
	bpfcc_rt_result_free(res);
	return 0;
}

struct map_ctx {
	const int *fds;
};

static int answer_map(void *ctx, uint8_t src_reg, int32_t imm)
{
	const struct map_ctx *m = ctx;

	if (src_reg != BPF_PSEUDO_MAP_FD)
		return -EINVAL;
	for (int i = 0; i < GEN_NR_MAPS; i++)
		if (m->fds[i] == imm)
			return 0;
	return -EBADF;
}

/* vrf_map_info_fn: the generator's maps by their fds. */
static int answer_map_info(void *ctx, uint8_t src_reg, int32_t imm, struct vrf_map_info *out)
{
	const struct map_ctx *m = ctx;

	for (int i = 0; i < GEN_NR_MAPS && src_reg == BPF_PSEUDO_MAP_FD; i++)
		if (m->fds[i] == imm) {
			*out = (struct vrf_map_info){.type = gen_maps[i].type,
			                             .key_size = gen_maps[i].key_size,
			                             .value_size = gen_maps[i].value_size,
			                             .max_entries = gen_maps[i].max_entries,
			                             .value_btf_id = gen_maps[i].btf_value_id};
			return 0;
		}
	return -ENOENT;
}

int dt_oracle_bpfcc(const struct dt_oracle *o, const struct gen_prog *p, struct dt_outcome *out)
{
	struct bpf_insn insns[GEN_MAX_INSNS];
	struct map_ctx mc = {o->map_fds};
	struct vrf_options opts = {
	    .prog_type = p->prog_type,
	    .program = "difftest",
	    .map_fn = answer_map,
	    .map_ctx = &mc,
	    .trace_fn = o->trace_fn,
	    .trace_ctx = o->trace_ctx,
	    .map_info_fn = answer_map_info,
	    .map_info_ctx = &mc,
	    .flags = VRF_F_ATTACH_TYPE,
	    .expected_attach_type = gen_prog_attach_type(p->prog_type),
	    .nr_cpu_ids = o->nr_cpu_ids,
	    .prog_btf = o->prog_btf,
	};
	struct vrf_verdict v;
	struct vrf_stats stats;
	struct diag_sink *sink;
	FILE *devnull = fopen("/dev/null", "w");
	uint64_t t0;
	int err;

	memset(out, 0, sizeof(*out));
	if (!devnull)
		return -errno;
	sink = diag_sink_new(devnull, DIAG_FORMAT_TEXT);
	if (!sink) {
		fclose(devnull);
		return -ENOMEM;
	}
	memcpy(insns, p->insns, p->n * sizeof(insns[0]));
	gen_bind_maps(insns, p->n, o->map_fds);
	memset(&v, 0, sizeof(v));
	t0 = now_ns();
	err = verifier_run(insns, p->n, &opts, sink, &v, &stats);
	out->ns = now_ns() - t0;
	diag_sink_free(sink);
	fclose(devnull);
	if (err == -ENOMEM)
		return err;
	out->ok = err == 0;
	out->err = err ? -(v.kernel_errno ? v.kernel_errno : EINVAL) : 0;
	out->processed = (long)stats.insns_processed;
	if (!out->ok)
		snprintf(out->msg, sizeof(out->msg), "%.*s", (int)sizeof(v.kernel_msg),
		         v.kernel_msg);
	return 0;
}

bool dt_outcome_agree(const struct dt_outcome *k, const struct dt_outcome *b)
{
	return k->ok == b->ok;
}

bool dt_outcome_msg_agree(const struct dt_outcome *k, const struct dt_outcome *b)
{
	return k->ok == b->ok && strcmp(k->msg, b->msg) == 0;
}
