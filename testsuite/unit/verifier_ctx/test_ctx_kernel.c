/*
 * test_ctx_kernel.c - re-asks the live kernel a deterministic sample of the questions
 * behind compiler/verifier/ctx_access.def and prog_return.def, and checks it still gives
 * the recorded answers.
 *
 * The kernel's check_ctx_access() decides a context access (is_valid_access() of the
 * program type) and gives a rewritten field its register type; check_return_code()
 * bounds r0 at exit.  For every configuration of the table this test loads, with a fixed
 * seed, reads, register stores, immediate stores and atomic adds at sampled offsets and
 * sizes (and the ends of the rows they land in), compares accepted/refused, the type of
 * the loaded register (log level 2, "R2_w=pkt(r=0)") and the refusal message with the
 * lookup's answer; then r0 = -1..5, 7, 255, 1 << 32 against vrf_prog_return_ok(); and
 * checks that the configurations recorded as not loadable still fail with their errno.
 *
 * Needs the right to load BPF programs and the kernel the tables were generated on
 * (same major.minor); otherwise it exits 77 (ctest's skip) and says why.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "verifier/ctx_access.h"

#define SAMPLES_PER_CONFIG 48
#define MAX_REPORTS        20

static char logbuf[1 << 16];
static struct btf *vmlinux;
static unsigned n_probes, n_mismatch;

static const int sizes[4] = {1, 2, 4, 8};
static const int size_codes[4] = {BPF_B, BPF_H, BPF_W, BPF_DW};
static const char *const mode_names[4] = {"read", "write", "st", "atomic"};

static void report(const struct vrf_ctx_config *c, const char *msg, const char *what, int off,
                   int size)
{
	n_mismatch++;
	if (n_mismatch <= MAX_REPORTS)
		printf("mismatch (%u, %d) %s off=%d size=%d: %s\n", c->prog_type, c->attach_type,
		       what, off, size, msg);
}

static uint32_t btf_target_id(const struct vrf_ctx_config *c)
{
	int id;

	if (!c->btf_target || !vmlinux)
		return 0;
	id = btf__find_by_name_kind(vmlinux, c->btf_target,
	                            strncmp(c->btf_target, "btf_trace_", 10) ? BTF_KIND_FUNC
	                                                                     : BTF_KIND_TYPEDEF);
	return id > 0 ? (uint32_t)id : 0;
}

/* Loads insns under configuration c; 0 or -errno, the log in logbuf. */
static int load(const struct vrf_ctx_config *c, const struct bpf_insn *insns, size_t n,
                int log_level)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = logbuf, .log_size = sizeof(logbuf),
	            .log_level = (uint32_t)log_level);
	int fd;

	opts.expected_attach_type = c->attach_type < 0 ? 0 : (enum bpf_attach_type)c->attach_type;
	opts.prog_flags = c->prog_flags;
	opts.attach_btf_id = btf_target_id(c);
	logbuf[0] = '\0';
	fd = bpf_prog_load((enum bpf_prog_type)c->prog_type, "ctx_test", "GPL", insns, n, &opts);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static struct bpf_insn mov_imm(int dst, int32_t imm)
{
	return (struct bpf_insn){
	    .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = (uint8_t)dst, .imm = imm};
}

/* The type token the log gives R2 first ("R2_w=pkt(r=0)" -> "pkt"), and its var_off mask. */
static void r2_state(char *tok, size_t n, unsigned long long *mask)
{
	const char *p = strstr(logbuf, " R2_w=");
	size_t len = 0;

	*mask = 0;
	tok[0] = '\0';
	if (p)
		p += 6;
	else if ((p = strstr(logbuf, " R2=")))
		p += 4;
	if (!p)
		return;
	while (p[len] && p[len] != '(' && p[len] != ' ' && p[len] != '\n' && len + 1 < n)
		len++;
	memcpy(tok, p, len);
	tok[len] = '\0';
	p = strstr(p, "var_off=(0x0; ");
	if (p)
		*mask = strtoull(p + 14, NULL, 16);
}

static void probe_access(const struct vrf_ctx_config *c, int32_t ret, int mode, int si, int off)
{
	struct bpf_insn insns[4];
	struct vrf_ctx_field f;
	uint8_t sz = (uint8_t)size_codes[si];
	size_t n = 0;
	int want, err;

	want = vrf_ctx_access(c->prog_type, c->attach_type, off, sizes[si], (enum vrf_ctx_mode)mode,
	                      &f);
	if (want < 0)
		return; /* no recorded answer (capped probe) */
	if (mode == VRF_CTX_READ)
		insns[n++] = (struct bpf_insn){.code = BPF_LDX | BPF_MEM | sz,
		                               .dst_reg = 2,
		                               .src_reg = 1,
		                               .off = (int16_t)off};
	else if (mode == VRF_CTX_WRITE) {
		insns[n++] = mov_imm(2, 0);
		insns[n++] = (struct bpf_insn){.code = BPF_STX | BPF_MEM | sz,
		                               .dst_reg = 1,
		                               .src_reg = 2,
		                               .off = (int16_t)off};
	} else if (mode == VRF_CTX_ST) {
		insns[n++] = (struct bpf_insn){
		    .code = BPF_ST | BPF_MEM | sz, .dst_reg = 1, .off = (int16_t)off};
	} else {
		insns[n++] = mov_imm(2, 0);
		insns[n++] = (struct bpf_insn){.code = BPF_STX | BPF_ATOMIC | sz,
		                               .dst_reg = 1,
		                               .src_reg = 2,
		                               .off = (int16_t)off,
		                               .imm = BPF_ADD};
	}
	insns[n++] = mov_imm(0, ret);
	insns[n++] = (struct bpf_insn){.code = BPF_JMP | BPF_EXIT};
	err = load(c, insns, n, want == 1 && mode == VRF_CTX_READ ? 2 : 1);
	n_probes++;
	if ((err == 0) != (want == 1)) {
		report(c,
		       want == 1 ? "table accepts, kernel refuses"
		                 : "table refuses, kernel accepts",
		       mode_names[mode], off, sizes[si]);
		if (n_mismatch <= MAX_REPORTS)
			printf("%s\n", logbuf);
		return;
	}
	if (want == 1 && mode == VRF_CTX_READ) {
		char tok[96], name[96];
		unsigned long long mask;

		r2_state(tok, sizeof(tok), &mask);
		if (vrf_ctx_kind_name(&f, name, sizeof(name)) || strcmp(tok, name))
			report(c, "the loaded register's type differs", tok, off, sizes[si]);
		else if (f.kind == VRF_CTXK_SCALAR && sizes[si] < 8 &&
		         mask != (1ULL << (8 * sizes[si])) - 1)
			report(c, "the loaded scalar is not zero-extended from its size", tok, off,
			       sizes[si]);
	} else if (want == 0) {
		char msg[256];

		ck_assert_int_eq(vrf_ctx_deny_format(&f, off, sizes[si], msg, sizeof(msg)), 0);
		if (!strstr(logbuf, msg))
			report(c, "the refusal message differs", mode_names[mode], off, sizes[si]);
	}
}

/* xorshift64: the same sample on every run. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

START_TEST(test_access_sample)
{
	unsigned i, before = 0;

	for (i = 0; i < vrf_ctx_config_count(); i++) {
		struct vrf_ctx_config c;
		struct vrf_ret_range r;
		uint64_t seed = 0x5deece66dULL + i;
		int32_t ret = 0;
		int k;

		vrf_ctx_config_at(i, &c);
		if (c.status == VRF_CTX_NOT_PROBED)
			continue;
		if (vrf_prog_return_range(c.prog_type, c.attach_type, &r) == 0 &&
		    r.kind == VRF_RET_RANGE)
			ret = (int32_t)r.lo;
		before = n_probes;
		for (k = 0; k < SAMPLES_PER_CONFIG; k++) {
			int mode = (int)(next_rand(&seed) % 4), si = (int)(next_rand(&seed) % 4);
			int span = c.limit > 512 ? c.limit : (c.limit < 256 ? c.limit : 256);
			int off = (int)(next_rand(&seed) % (uint64_t)(span - c.start)) + c.start;
			struct vrf_ctx_field f;

			if (mode == VRF_CTX_ATOMIC && si < 2)
				si += 2; /* atomics are 32 or 64 bits wide */
			if (k % 2 == 0)
				off -= off % sizes[si]; /* half aligned (C's %, as probed) */
			probe_access(&c, ret, mode, si, off);
			/* the ends of the row it fell in, and just past them */
			if (vrf_ctx_access(c.prog_type, c.attach_type, off, sizes[si],
			                   (enum vrf_ctx_mode)mode, &f) == 1) {
				probe_access(&c, ret, mode, si, f.lo);
				probe_access(&c, ret, mode, si, f.hi);
				probe_access(&c, ret, mode, si, f.hi + sizes[si]);
				if (f.lo >= sizes[si])
					probe_access(&c, ret, mode, si, f.lo - sizes[si]);
			}
		}
		ck_assert_uint_gt(n_probes, before);
	}
	printf("ctx access: %u probes, %u differ from the table\n", n_probes, n_mismatch);
	ck_assert_uint_eq(n_mismatch, 0);
}
END_TEST

START_TEST(test_return_sample)
{
	static const int64_t values[] = {-1, 0, 1, 2, 3, 4, 5, 7, 255, INT64_C(1) << 32};
	unsigned i, probes = 0, differ = 0;

	for (i = 0; i < vrf_ctx_config_count(); i++) {
		struct vrf_ctx_config c;
		struct vrf_ret_range r;
		size_t v;

		vrf_ctx_config_at(i, &c);
		ck_assert_int_eq(vrf_prog_return_range(c.prog_type, c.attach_type, &r), 0);
		if (c.status == VRF_CTX_NOT_PROBED)
			continue;
		for (v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
			struct bpf_insn insns[3];
			size_t n = 0;
			int err;

			if (values[v] == (int32_t)values[v]) {
				insns[n++] = mov_imm(0, (int32_t)values[v]);
			} else {
				insns[n++] = (struct bpf_insn){.code = BPF_LD | BPF_DW | BPF_IMM,
				                               .imm = (int32_t)(uint32_t)values[v]};
				insns[n++] = (struct bpf_insn){
				    .imm = (int32_t)(uint32_t)((uint64_t)values[v] >> 32)};
			}
			insns[n++] = (struct bpf_insn){.code = BPF_JMP | BPF_EXIT};
			err = load(&c, insns, n, 1);
			probes++;
			if ((err == 0) != vrf_prog_return_ok(&r, values[v])) {
				differ++;
				printf("mismatch (%u, %d) r0 = %lld: kernel %s\n", c.prog_type,
				       c.attach_type, (long long)values[v],
				       err ? "refuses" : "accepts");
			}
		}
	}
	printf("return values: %u probes, %u differ from the table\n", probes, differ);
	ck_assert_uint_gt(probes, 0);
	ck_assert_uint_eq(differ, 0);
}
END_TEST

START_TEST(test_not_probed_still_fail)
{
	struct bpf_insn ret0[2] = {mov_imm(0, 0), {.code = BPF_JMP | BPF_EXIT}};
	unsigned i;

	for (i = 0; i < vrf_ctx_config_count(); i++) {
		struct vrf_ctx_config c;
		const char *name;
		char num[32];
		int err;

		vrf_ctx_config_at(i, &c);
		if (c.status != VRF_CTX_NOT_PROBED)
			continue;
		err = load(&c, ret0, 2, 1);
		if (err == -EINVAL) {
			ret0[0].imm = 1; /* as the generator, r0 = 1 for [1, 1] hooks */
			err = load(&c, ret0, 2, 1);
			ret0[0].imm = 0;
		}
		ck_assert_msg(err != 0, "(%u, %d) loads now", c.prog_type, c.attach_type);
		name = strerrorname_np(-err);
		snprintf(num, sizeof(num), "errno-%d", -err); /* the generator's name for 524 ... */
		ck_assert_str_eq(name ? name : num, c.load_errno);
	}
}
END_TEST

/* 0 if the running kernel has the tables' major.minor. */
static int same_kernel(const char *release)
{
	const char *t = vrf_ctx_kernel();
	const char *dot = strchr(t, '.');
	size_t len;

	if (!dot || !(dot = strchr(dot + 1, '.')))
		return -1;
	len = (size_t)(dot - t) + 1;
	return strncmp(release, t, len) ? -1 : 0;
}

int main(void)
{
	struct bpf_insn ok[2] = {mov_imm(0, 0), {.code = BPF_JMP | BPF_EXIT}};
	Suite *s = suite_create("ctx_kernel");
	TCase *tc = tcase_create("live");
	SRunner *sr;
	struct utsname u;
	int failed, fd;

	setvbuf(stdout, NULL, _IOLBF, 0); /* the forked checks' lines survive a pipe */
	if (uname(&u) || same_kernel(u.release)) {
		printf("skip: the running kernel is %s, the tables are from %s\n", u.release,
		       vrf_ctx_kernel());
		return 77;
	}
	fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "probe", "GPL", ok, 2, NULL);
	if (fd < 0) {
		printf("skip: cannot load BPF programs here (%s)\n", strerror(errno));
		return 77;
	}
	close(fd);
	vmlinux = btf__load_vmlinux_btf();
	if (libbpf_get_error(vmlinux))
		vmlinux = NULL;
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_access_sample);
	tcase_add_test(tc, test_return_sample);
	tcase_add_test(tc, test_not_probed_still_fail);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	btf__free(vmlinux);
	return failed ? 1 : 0;
}
