/*
 * progfile.c - reading and writing kept difftest cases (format in progfile.h).  Every
 * field read from a file is range-checked: a malformed case is an error with its line
 * number, never a silently different program.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "progfile.h"
#include "verifier/insn.h"

static char *trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

static void copy_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

/* "insn CODE DST SRC OFF IMM": parses the part after "insn". */
static int parse_insn(char *s, struct bpf_insn *in)
{
	char *end;
	unsigned long code, dst, src;
	long off, imm;

	code = strtoul(s, &end, 16);
	if (end == s || code > 0xff)
		return -EINVAL;
	dst = strtoul(s = end, &end, 10);
	if (end == s || dst > 15)
		return -EINVAL;
	src = strtoul(s = end, &end, 10);
	if (end == s || src > 15)
		return -EINVAL;
	off = strtol(s = end, &end, 10);
	if (end == s || off < INT16_MIN || off > INT16_MAX)
		return -EINVAL;
	imm = strtol(s = end, &end, 10);
	if (end == s || imm < INT32_MIN || imm > INT32_MAX)
		return -EINVAL;
	if (*trim(end))
		return -EINVAL;
	memset(in, 0, sizeof(*in));
	in->code = (uint8_t)code;
	in->dst_reg = (uint8_t)dst;
	in->src_reg = (uint8_t)src;
	in->off = (int16_t)off;
	in->imm = (int32_t)imm;
	return 0;
}

int dt_case_read(const char *path, struct dt_case *c, char *why, size_t why_size)
{
	FILE *f = fopen(path, "r");
	char line[512];
	unsigned lineno = 0;
	bool have_type = false, have_verdict = false;
	int err = 0;

	memset(c, 0, sizeof(*c));
	if (!f) {
		err = -errno;
		snprintf(why, why_size, "%s: %s", path, strerror(errno));
		return err;
	}
	while (fgets(line, sizeof(line), f)) {
		char *s, *cmt;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(why, why_size, "%s:%u: line too long", path, lineno);
			err = -EINVAL;
			break;
		}
		s = trim(line);
		if (strncmp(s, "# found:", 8) == 0)
			copy_str(c->origin, sizeof(c->origin), trim(s + 8));
		if (!*s || *s == '#')
			continue;
		if (strncmp(s, "kernel-msg", 10) == 0 && (s[10] == ' ' || !s[10])) {
			copy_str(c->kernel_msg, sizeof(c->kernel_msg), trim(s + 10));
			continue;
		}
		if ((cmt = strchr(s, ';')))
			*cmt = '\0';
		s = trim(s);
		if (strncmp(s, "type ", 5) == 0) {
			int t = gen_prog_type_parse(trim(s + 5));

			if (t < 0) {
				snprintf(why, why_size, "%s:%u: unknown program type", path,
				         lineno);
				err = -EINVAL;
				break;
			}
			c->prog.prog_type = (enum bpf_prog_type)t;
			have_type = true;
		} else if (strcmp(s, "kernel accepted") == 0 || strcmp(s, "kernel rejected") == 0) {
			c->kernel_ok = s[7] == 'a';
			have_verdict = true;
		} else if (strncmp(s, "kernel-release ", 15) == 0) {
			copy_str(c->release, sizeof(c->release), trim(s + 15));
		} else if (strncmp(s, "insn ", 5) == 0) {
			if (c->prog.n >= GEN_MAX_INSNS) {
				snprintf(why, why_size, "%s:%u: more than %d instructions", path,
				         lineno, GEN_MAX_INSNS);
				err = -EINVAL;
				break;
			}
			if (parse_insn(s + 5, &c->prog.insns[c->prog.n]) < 0) {
				snprintf(why, why_size,
				         "%s:%u: expected \"insn CODE DST SRC OFF IMM\"", path,
				         lineno);
				err = -EINVAL;
				break;
			}
			c->prog.n++;
		} else {
			snprintf(why, why_size, "%s:%u: unknown line \"%.40s\"", path, lineno, s);
			err = -EINVAL;
			break;
		}
	}
	if (!err && ferror(f)) {
		err = -EIO;
		snprintf(why, why_size, "%s: read error", path);
	}
	fclose(f);
	if (!err && (!have_type || !have_verdict || !c->prog.n)) {
		snprintf(why, why_size, "%s: needs a type, a kernel verdict and instructions",
		         path);
		err = -EINVAL;
	}
	return err;
}

int dt_case_write(const char *path, const struct dt_case *c)
{
	FILE *f = fopen(path, "wx");
	char text[160];

	if (!f)
		return -errno;
	fprintf(f, "# difftest regression input: the kernel verdict below is the expectation\n");
	if (c->origin[0])
		fprintf(f, "# found: %s\n", c->origin);
	fprintf(f, "type %s\n", gen_prog_type_name(c->prog.prog_type));
	fprintf(f, "kernel %s\n", c->kernel_ok ? "accepted" : "rejected");
	if (c->kernel_msg[0])
		fprintf(f, "kernel-msg %s\n", c->kernel_msg);
	if (c->release[0])
		fprintf(f, "kernel-release %s\n", c->release);
	for (size_t i = 0; i < c->prog.n; i++) {
		const struct bpf_insn *in = &c->prog.insns[i];

		if (insn_print(c->prog.insns, c->prog.n, i, 0, text, sizeof(text)) < 0)
			text[0] = '\0';
		fprintf(f, "insn %02x %u %u %d %d", in->code, in->dst_reg, in->src_reg, in->off,
		        in->imm);
		if (text[0])
			fprintf(f, "\t; %zu: %s", i, text);
		fputc('\n', f);
	}
	if (fclose(f) != 0)
		return -errno;
	return 0;
}
