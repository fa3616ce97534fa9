/*
 * runner.c - runs one program test: a .bpf.c file whose programs carry their expected
 * kernel verdict (headers/bpfcc/expect.h), and compares bpfcc's and the kernel's
 * verdicts with it.
 *
 *   runner --bpfcc BPFCC --clang CLANG --headers DIR [--multiarch TRIPLE] [-v] FILE.bpf.c
 *
 * 1. `BPFCC <flags> -c FILE -o T.o`, flags from a "// bpfcc-flags: ..." line.  If bpfcc
 *    refuses the file (exit 1), the object for the kernel is built by `BPFCC --no-verify`
 *    (or by clang when bpfcc's front end refused it); when
 *    `bpfcc verify` refuses clang's object too, the refusal came from the object pipeline
 *    that `bpfcc -c` shares with verify and step 2 judges each program on clang's object;
 *    otherwise it came from the front end and counts as bpfcc rejecting every program
 *    with the compile errors as its message.
 * 2. bpfcc's verdict per program: `BPFCC verify --program=NAME T.o` (0 accepts, 1
 *    rejects, its output is its message).
 * 3. The kernel's verdict: each program loaded alone through the runtime library
 *    (bpfcc_rt_load_program), when the kernel can be asked at all.
 *
 * The kernel must match the expectation exactly; bpfcc must too.  A rule bpfcc does not
 * implement yet is marked in the source with __bpfcc_xfail("reason") on a __failure
 * program: when the kernel rejects it as expected and bpfcc still accepts it, the program
 * is PENDING, which is a skip and never a pass ("bpfcc does not yet detect ..."); so is a
 * marked program bpfcc rejects with the kernel's message at another source line.  Any
 * other disagreement is a failure: bpfcc rejecting with another message, bpfcc failing to
 * run, a marker on a __success program, and bpfcc agreeing although marked (remove the
 * marker), so that markers go away as the preflight verifier learns.
 *
 * Output: one line per program, PASS / FAIL / PENDING / SKIP, with both verdicts and
 * messages after a FAIL.  Exit status: 1 if anything failed, else 77 (ctest's skip) if a
 * program is pending or the kernel could not be asked, else 0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "bpfcc/runtime.h"
#include "runner.h"

enum { EXIT_PASS = 0, EXIT_FAIL = 1, EXIT_SKIP = 77 };

enum bpfcc_verdict { BV_ACCEPT, BV_REJECT, BV_ERROR };

struct runner_cfg {
	const char *bpfcc;
	const char *clang;
	const char *headers;
	const char *multiarch;
	const char *file;
	bool verbose;
};

struct runner_ctx {
	const struct runner_cfg *cfg;
	char tmpdir[64];
	char obj[128];
	int nflags;
	char *flags[32];
	char flagbuf[1024];
	bool bpfcc_compiled;          /* bpfcc produced the object */
	bool object_refusal;          /* bpfcc -c refused it for what `bpfcc verify` finds */
	struct runner_output compile; /* bpfcc's compile output */
	bool kernel_ok;
	char kernel_why[256];
	int fails, skips, passes, pending;
};

static const char *bv_name(enum bpfcc_verdict v)
{
	return v == BV_ACCEPT ? "accept" : v == BV_REJECT ? "reject" : "error";
}

static void usage(void)
{
	fprintf(stderr, "usage: runner --bpfcc BPFCC --clang CLANG --headers DIR "
	                "[--multiarch TRIPLE] [-v] FILE.bpf.c\n");
}

/* The "// bpfcc-flags: ..." line, split on blanks. */
static int read_flags(struct runner_ctx *ctx)
{
	FILE *f = fopen(ctx->cfg->file, "r");
	char line[1024];
	int lineno = 0;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f) && lineno++ < 40) {
		const char *p = strstr(line, "bpfcc-flags:");
		char *tok, *save;

		if (strncmp(line, "//", 2) != 0 || !p)
			continue;
		snprintf(ctx->flagbuf, sizeof(ctx->flagbuf), "%s", p + strlen("bpfcc-flags:"));
		for (tok = strtok_r(ctx->flagbuf, " \t\r\n", &save); tok && ctx->nflags < 31;
		     tok = strtok_r(NULL, " \t\r\n", &save))
			ctx->flags[ctx->nflags++] = tok;
		break;
	}
	fclose(f);
	return 0;
}

/* `BPFCC [--no-verify] <flags> -c FILE -o T.o` with its output in *out.  0 or -1. */
static int run_bpfcc_compile(struct runner_ctx *ctx, bool no_verify, struct runner_output *out)
{
	char *argv[64];
	int n = 0;

	argv[n++] = (char *)ctx->cfg->bpfcc;
	if (no_verify)
		argv[n++] = "--no-verify";
	for (int i = 0; i < ctx->nflags; i++)
		argv[n++] = ctx->flags[i];
	argv[n++] = "-c";
	argv[n++] = (char *)ctx->cfg->file;
	argv[n++] = "-o";
	argv[n++] = ctx->obj;
	argv[n] = NULL;
	return subprocess_run(argv, out) ? -1 : 0;
}

/* Compiles with bpfcc; on refusal, builds the kernel's object with `bpfcc --no-verify`,
 * else clang.  0 or -1. */
static int build_object(struct runner_ctx *ctx)
{
	const struct runner_cfg *cfg = ctx->cfg;
	char *argv[64];
	char inc[512], arch[512];
	struct runner_output out;
	int n = 0, status;

	if (run_bpfcc_compile(ctx, false, &ctx->compile))
		return -1;
	if (ctx->compile.status == 0 && access(ctx->obj, R_OK) == 0) {
		ctx->bpfcc_compiled = true;
		return 0;
	}
	unlink(ctx->obj);
	/* The same compile without the object pipeline gives the kernel bpfcc's own object
	 * (and bpfcc's vmlinux.h); clang is the last resort when bpfcc's front end refused. */
	if (run_bpfcc_compile(ctx, true, &out))
		return -1;
	status = out.status;
	subprocess_output_free(&out);
	if (status == 0 && access(ctx->obj, R_OK) == 0)
		goto judge;
	unlink(ctx->obj);
	n = 0;
	argv[n++] = (char *)cfg->clang;
	argv[n++] = "-O2";
	argv[n++] = "-g";
	argv[n++] = "-target";
	argv[n++] = "bpf";
	for (int i = 0; i < ctx->nflags; i++)
		argv[n++] = ctx->flags[i];
	snprintf(inc, sizeof(inc), "-I%s", cfg->headers);
	argv[n++] = inc;
	if (cfg->multiarch) {
		snprintf(arch, sizeof(arch), "-I/usr/include/%s", cfg->multiarch);
		argv[n++] = arch;
	}
	argv[n++] = "-c";
	argv[n++] = (char *)cfg->file;
	argv[n++] = "-o";
	argv[n++] = ctx->obj;
	argv[n] = NULL;
	if (subprocess_run(argv, &out))
		return -1;
	if (out.status != 0) {
		printf("FAIL %s: clang cannot compile it either:\n%s", cfg->file, out.text);
		subprocess_output_free(&out);
		return -1;
	}
	subprocess_output_free(&out);
judge:
	/* bpfcc -c runs `bpfcc verify`'s pipeline before writing: when verify finds the
	 * refusal in clang's object too, each program gets its own verdict from verify;
	 * otherwise the refusal came from the front end and holds for every program. */
	argv[0] = (char *)cfg->bpfcc;
	argv[1] = "verify";
	argv[2] = ctx->obj;
	argv[3] = NULL;
	if (ctx->compile.status == 1 && subprocess_run(argv, &out) == 0) {
		ctx->object_refusal = out.status == 1;
		subprocess_output_free(&out);
	}
	return 0;
}

/* bpfcc's verdict on one program; *msg is its output (owned by the caller). */
static enum bpfcc_verdict bpfcc_verdict(struct runner_ctx *ctx, const char *prog, char **msg)
{
	struct runner_output out;
	char progarg[300];
	char *argv[6];

	if (!ctx->bpfcc_compiled && !ctx->object_refusal) {
		*msg = strdup(ctx->compile.text ? ctx->compile.text : "");
		return ctx->compile.status == 1 ? BV_REJECT : BV_ERROR;
	}
	snprintf(progarg, sizeof(progarg), "--program=%s", prog);
	argv[0] = (char *)ctx->cfg->bpfcc;
	argv[1] = "verify";
	argv[2] = progarg;
	argv[3] = ctx->obj;
	argv[4] = NULL;
	if (subprocess_run(argv, &out)) {
		*msg = strdup("cannot run bpfcc verify");
		return BV_ERROR;
	}
	*msg = out.text;
	return out.status == 0 ? BV_ACCEPT : out.status == 1 ? BV_REJECT : BV_ERROR;
}

/* Does the kernel's answer meet the expectation?  false with the reason in why. */
static bool kernel_agrees(const struct runner_expect *e, const struct bpfcc_rt_result *r, char *why,
                          size_t why_size)
{
	if (e->want == RUNNER_WANT_SUCCESS) {
		if (r->verdict == BPFCC_RT_ACCEPTED)
			return true;
		snprintf(why, why_size, "expected the kernel to accept it");
		return false;
	}
	if (r->verdict != BPFCC_RT_REJECTED) {
		snprintf(why, why_size, "expected the verifier to reject it");
		return false;
	}
	if (!expect_match(e, r->log, true, why, why_size))
		return false;
	if (e->at_line && r->src_line != e->at_line) {
		snprintf(why, why_size, "expected the failure at line %u, the kernel says %u",
		         e->at_line, r->src_line);
		return false;
	}
	return true;
}

/* Does bpfcc's answer meet the expectation? */
/* Is there a finding headline ("FILE:LINE:COL: error: ...") at `at` ("FILE:LINE:") in
 * bpfcc's output?  A mention of the line in a note or the causal path does not count. */
static bool error_at(const char *msg, const char *at)
{
	const char *p = msg;

	while ((p = strstr(p, at))) {
		const char *eol = strchr(p, '\n');
		const char *err = strstr(p, ": error: ");

		if (err && (!eol || err < eol))
			return true;
		p += strlen(at);
	}
	return false;
}

static bool bpfcc_agrees(const struct runner_expect *e, const struct runner_cfg *cfg,
                         enum bpfcc_verdict v, const char *msg, char *why, size_t why_size)
{
	const char *base = strrchr(cfg->file, '/');
	char at[300];

	if (e->want == RUNNER_WANT_SUCCESS) {
		if (v == BV_ACCEPT)
			return true;
		snprintf(why, why_size, "bpfcc does not accept it");
		return false;
	}
	if (v != BV_REJECT) {
		snprintf(why, why_size, "bpfcc does not reject it");
		return false;
	}
	if (!expect_match(e, msg, false, why, why_size))
		return false;
	snprintf(at, sizeof(at), "%s:%u:", base ? base + 1 : cfg->file, e->at_line);
	if (e->at_line && !error_at(msg, at)) {
		snprintf(why, why_size, "bpfcc does not report the error at line %u", e->at_line);
		return false;
	}
	return true;
}

static void print_indented(const char *label, const char *text, unsigned max_lines)
{
	unsigned lines = 0;
	const char *p = text ? text : "";

	for (const char *q = p; *q; q++)
		lines += *q == '\n';
	/* Show the tail: that is where the verdict is. */
	while (lines > max_lines && *p) {
		if (*p++ == '\n')
			lines--;
	}
	printf("    %s:\n", label);
	while (*p) {
		size_t len = strcspn(p, "\n");

		printf("      | %.*s\n", (int)len, p);
		p += len + (p[len] == '\n');
	}
}

static void print_expect(const struct runner_expect *e)
{
	printf("    expected: %s", e->want == RUNNER_WANT_SUCCESS ? "success" : "failure");
	for (size_t i = 0; i < e->npatterns; i++)
		printf(", msg '%s'", e->shown[i]);
	if (e->at_line)
		printf(", line %u", e->at_line);
	printf("\n");
}

static void print_kernel(const struct runner_ctx *ctx, const struct bpfcc_rt_result *r)
{
	if (!r) {
		printf("    kernel: not asked (%s)\n", ctx->kernel_why);
		return;
	}
	printf("    kernel: %s", bpfcc_rt_verdict_name(r->verdict));
	if (r->verdict != BPFCC_RT_ACCEPTED)
		printf(" (%s, %s)", bpfcc_rt_step_name(r->step), strerror(-r->err));
	if (r->insn >= 0)
		printf(" at insn %d", r->insn);
	if (r->src_line)
		printf(", %s:%u", r->src_file, r->src_line);
	printf(": %s\n", r->kernel_msg ? r->kernel_msg : r->libbpf_msg ? r->libbpf_msg : "-");
}

static void run_program(struct runner_ctx *ctx, const struct bpfcc_rt_object *obj, const char *prog)
{
	struct bpfcc_rt_result *r = NULL;
	struct runner_expect e;
	enum bpfcc_verdict bv;
	char kwhy[512] = "", bwhy[512] = "", bwhy2[512] = "";
	bool k_ok = false, k_skip = false, b_ok, b_msg_only;
	char *bmsg = NULL;
	int err, fails_before = ctx->fails;

	err = expect_read(bpfcc_rt_object_btf(obj), prog, &e);
	if (err || e.want == RUNNER_WANT_NONE || e.conflicting) {
		printf("FAIL %s: %s\n", prog,
		       err             ? "unreadable or unknown bpfcc: tag"
		       : e.conflicting ? "both __success and __failure"
		                       : "no expectation (add __success or __failure)");
		ctx->fails++;
		expect_free(&e);
		return;
	}
	bv = bpfcc_verdict(ctx, prog, &bmsg);
	b_ok = bpfcc_agrees(&e, ctx->cfg, bv, bmsg, bwhy, sizeof(bwhy));
	/* rejected with the kernel's message, only at another source line */
	b_msg_only = !b_ok && bv == BV_REJECT && e.want == RUNNER_WANT_FAILURE &&
	             expect_match(&e, bmsg, false, bwhy2, sizeof(bwhy2));
	if (!ctx->kernel_ok) {
		k_skip = true;
	} else if ((err = bpfcc_rt_load_program(obj, prog, NULL, &r))) {
		snprintf(kwhy, sizeof(kwhy), "runtime error: %s", strerror(-err));
	} else if (r->verdict == BPFCC_RT_FAILED && r->err == -EPERM && !r->log[0]) {
		/* Lockdown and friends refuse before the verifier runs: it cannot be asked. */
		k_skip = true;
		snprintf(ctx->kernel_why, sizeof(ctx->kernel_why),
		         "the kernel refuses to load this program type here: %s",
		         r->libbpf_msg ? r->libbpf_msg : "EPERM");
	} else {
		k_ok = kernel_agrees(&e, r, kwhy, sizeof(kwhy));
	}

	if (!k_skip && !k_ok) {
		printf("FAIL %s: kernel: %s\n", prog, kwhy);
		ctx->fails++;
	} else if (e.xfail && e.want != RUNNER_WANT_FAILURE) {
		printf("FAIL %s: __bpfcc_xfail marks rules bpfcc does not detect yet; it has no "
		       "place on a __success program\n",
		       prog);
		ctx->fails++;
	} else if (e.xfail && b_ok) {
		printf("FAIL %s: bpfcc detects it now: remove __bpfcc_xfail(\"%s\")\n", prog,
		       e.xfail);
		ctx->fails++;
	} else if (e.xfail && bv != BV_ACCEPT && !b_msg_only) {
		printf("FAIL %s: bpfcc: %s (marked pending, but bpfcc %s)\n", prog, bwhy,
		       bv == BV_REJECT ? "rejects it for another reason" : "did not run");
		ctx->fails++;
	} else if (!e.xfail && !b_ok) {
		printf("FAIL %s: bpfcc: %s\n", prog, bwhy);
		ctx->fails++;
	} else if (k_skip) {
		/* Without the kernel's word nothing passes, not even an expected failure. */
		printf("SKIP %s: kernel not asked: %s; bpfcc %s\n", prog, ctx->kernel_why,
		       e.xfail ? "does not detect it yet (__bpfcc_xfail)" : "agrees");
		ctx->skips++;
	} else if (e.xfail && b_msg_only) {
		printf("PENDING %s: the kernel rejects it as expected; bpfcc rejects it with the "
		       "kernel's message but %s: %s\n",
		       prog, bwhy, e.xfail);
		ctx->pending++;
	} else if (e.xfail) {
		printf("PENDING %s: the kernel rejects it as expected; bpfcc does not yet detect "
		       "it: %s\n",
		       prog, e.xfail);
		ctx->pending++;
	} else {
		printf("PASS %s\n", prog);
		ctx->passes++;
	}
	if (ctx->fails > fails_before || ctx->cfg->verbose) {
		print_expect(&e);
		print_kernel(ctx, r);
		printf("    bpfcc: %s\n", bv_name(bv));
		print_indented("bpfcc output", bmsg, 20);
		if (r && r->log[0])
			print_indented("kernel log (tail)", r->log,
			               ctx->cfg->verbose ? 100000 : 20);
	}
	free(bmsg);
	bpfcc_rt_result_free(r);
	expect_free(&e);
}

static int parse_args(int argc, char **argv, struct runner_cfg *cfg)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-v") == 0)
			cfg->verbose = true;
		else if (i + 1 < argc && strcmp(a, "--bpfcc") == 0)
			cfg->bpfcc = argv[++i];
		else if (i + 1 < argc && strcmp(a, "--clang") == 0)
			cfg->clang = argv[++i];
		else if (i + 1 < argc && strcmp(a, "--headers") == 0)
			cfg->headers = argv[++i];
		else if (i + 1 < argc && strcmp(a, "--multiarch") == 0)
			cfg->multiarch = argv[++i];
		else if (a[0] != '-' && !cfg->file)
			cfg->file = a;
		else
			return -1;
	}
	return cfg->bpfcc && cfg->clang && cfg->headers && cfg->file ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct runner_cfg cfg = {0};
	struct runner_ctx ctx = {.cfg = &cfg};
	struct bpfcc_rt_object *obj = NULL;
	const char *tmp = getenv("TMPDIR");
	int err, status = EXIT_FAIL;

	if (parse_args(argc, argv, &cfg)) {
		usage();
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(ctx.tmpdir, sizeof(ctx.tmpdir), "%s/bpfcc-runner-XXXXXX",
	         tmp && strlen(tmp) < 32 ? tmp : "/tmp");
	if (!mkdtemp(ctx.tmpdir)) {
		perror("runner: mkdtemp");
		return EXIT_FAIL;
	}
	snprintf(ctx.obj, sizeof(ctx.obj), "%s/test.bpf.o", ctx.tmpdir);
	if ((err = read_flags(&ctx))) {
		printf("FAIL %s: cannot read it: %s\n", cfg.file, strerror(-err));
		goto out;
	}
	if (build_object(&ctx))
		goto out;
	if ((err = bpfcc_rt_object_open_file(ctx.obj, &obj))) {
		printf("FAIL %s: libbpf cannot open the object: %s\n", cfg.file, strerror(-err));
		goto out;
	}
	ctx.kernel_ok = bpfcc_rt_probe(ctx.kernel_why, sizeof(ctx.kernel_why)) == 0;
	if (bpfcc_rt_object_program_count(obj) == 0) {
		printf("FAIL %s: no programs in the object\n", cfg.file);
		goto out;
	}
	for (size_t i = 0; i < bpfcc_rt_object_program_count(obj); i++)
		run_program(&ctx, obj, bpfcc_rt_object_program_name(obj, i));
	printf("%s: %d passed, %d failed, %d pending, %d skipped\n", cfg.file, ctx.passes,
	       ctx.fails, ctx.pending, ctx.skips);
	if (!ctx.fails && ctx.pending)
		printf("SKIP: %d program(s) pending: bpfcc does not yet detect what the kernel "
		       "rejects them for\n",
		       ctx.pending);
	status = ctx.fails ? EXIT_FAIL : ctx.skips || ctx.pending ? EXIT_SKIP : EXIT_PASS;
out:
	bpfcc_rt_object_free(obj);
	subprocess_output_free(&ctx.compile);
	unlink(ctx.obj);
	rmdir(ctx.tmpdir);
	return status;
}
