/*
 * probe.c - raw instruction loads (bpf_prog_load, no libbpf object) and the privilege
 * probe that says whether the kernel can be asked at all.
 *
 * The probe loads the smallest valid program, "r0 = 0; exit", as a socket filter: the
 * program type with the fewest requirements.  EPERM/EACCES mean no CAP_BPF (or
 * kernel.unprivileged_bpf_disabled for an unprivileged user), ENOSYS a kernel without
 * the bpf() syscall.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "bpfcc/runtime.h"
#include "runtime_int.h"

int bpfcc_rt_load_insns(enum bpf_prog_type type, enum bpf_attach_type expected_attach,
                        const struct bpf_insn *insns, size_t insn_cnt, const char *license,
                        const char *name, const struct bpfcc_rt_load_opts *opts,
                        struct bpfcc_rt_result **out)
{
	struct bpfcc_rt_result *res;
	struct rt_log_cfg cfg;
	char *buf = NULL;
	size_t size;
	int fd = -1, err = 0, load_err = 0;

	*out = NULL;
	if (!insns || !insn_cnt || insn_cnt > (1u << 24))
		return -EINVAL;
	rt_log_cfg_init(&cfg, opts);
	res = rt_result_new(name, NULL);
	if (!res)
		return -ENOMEM;
	for (size = cfg.size;; size *= 2) {
		LIBBPF_OPTS(bpf_prog_load_opts, lo, .expected_attach_type = expected_attach,
		            .log_level = cfg.level, .log_size = (__u32)size);
		char *nb = realloc(buf, size);

		if (!nb) {
			err = -ENOMEM;
			goto out;
		}
		buf = nb;
		buf[0] = '\0';
		lo.log_buf = buf;
		fd = bpf_prog_load(type, name, license ? license : "GPL", insns, (__u32)insn_cnt,
		                   &lo);
		load_err = fd < 0 ? -errno : 0;
		if (load_err != -ENOSPC || size * 2 > cfg.size_max || size * 2 > (1u << 30))
			break;
	}
	buf[size - 1] = '\0';
	if (fd >= 0)
		close(fd);
	res->log_truncated = load_err == -ENOSPC;
	if ((err = rt_set_str(&res->log, buf)) || (err = bpfcc_rt_parse_log(res->log, res)))
		goto out;
	if (fd >= 0) {
		res->verdict = BPFCC_RT_ACCEPTED;
		res->step = BPFCC_RT_STEP_NONE;
		res->err = 0;
	} else {
		res->err = load_err;
		res->step = BPFCC_RT_STEP_PROG_LOAD;
		res->verdict = res->log[0] ? BPFCC_RT_REJECTED : BPFCC_RT_FAILED;
	}
out:
	free(buf);
	if (err) {
		bpfcc_rt_result_free(res);
		return err;
	}
	*out = res;
	return 0;
}

int bpfcc_rt_probe(char *why, size_t why_size)
{
	const struct bpf_insn insns[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "bpfcc_probe", "GPL", insns, 2, NULL);
	int err = fd < 0 ? -errno : 0;
	const char *reason;

	if (fd >= 0) {
		close(fd);
		if (why && why_size)
			why[0] = '\0';
		return 0;
	}
	switch (-err) {
	case EPERM:
	case EACCES:
		reason = "not permitted to load BPF programs (needs root or CAP_BPF)";
		break;
	case ENOSYS:
		reason = "the kernel has no bpf() system call";
		break;
	default:
		reason = "loading a trivial BPF program failed";
		break;
	}
	if (why && why_size)
		snprintf(why, why_size, "%s: %s", reason, strerror(-err));
	return err;
}
