/*
 * verifier_log.c - reads the kernel verifier's log (log_level 1 | BPF_LOG_STATS).
 *
 * The log the kernel writes for a program it refuses looks like this:
 *
 *     0: R1=ctx() R10=fp0
 *     ; long *v = bpf_map_lookup_elem(&m, &k); @ prog.bpf.c:16
 *     6: (85) call bpf_map_lookup_elem#1    ; R0=map_value_or_null(...)
 *     ; return *v; @ prog.bpf.c:17
 *     7: (79) r0 = *(u64 *)(r0 +0)
 *     R0 invalid mem access 'map_value_or_null'
 *     verification time 71 usec
 *     stack depth 8
 *     processed 7 insns (limit 1000000) max_states_per_insn 0 total_states 0 ...
 *
 * Instructions appear as "N: (opcode) text" as the verifier walks them, source lines
 * (from the BTF line_info the loader passed) as "; text @ file:line" whenever the line
 * changes, and the error comes after the last instruction, followed by the statistics.
 * Like veristat and the selftests, the error message is the last line that is neither
 * an instruction, a register state, a source annotation nor a statistic; the failing
 * instruction is the last one printed and its source line the annotation above it.
 * A few messages are printed without their newline (bpf_tail_call's "expected prog array
 * map for tail call"): the statistic glued to their end is cut off the message.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcc/runtime.h"
#include "runtime_int.h"

/* "N: (xx) ..." - an instruction line; returns N or -1. */
static long log_insn_index(const char *line, size_t len)
{
	size_t i = 0;
	long n = 0;

	while (i < len && isdigit((unsigned char)line[i])) {
		if (n > 100000000)
			return -1;
		n = n * 10 + (line[i] - '0');
		i++;
	}
	if (i == 0 || i + 6 > len || line[i] != ':' || line[i + 1] != ' ' || line[i + 2] != '(')
		return -1;
	if (!isxdigit((unsigned char)line[i + 3]) || !isxdigit((unsigned char)line[i + 4]) ||
	    line[i + 5] != ')')
		return -1;
	return n;
}

/* "N: R1=..." or "N: frame1: ..." - a register state dump. */
static bool log_is_state(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && isdigit((unsigned char)line[i]))
		i++;
	return i > 0 && i + 1 < len && line[i] == ':' && line[i + 1] == ' ' &&
	       log_insn_index(line, len) < 0;
}

static bool starts_with(const char *line, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(line, prefix, n) == 0;
}

/* Statistics and bookkeeping lines that follow the error (and the two state dumps that
 * follow "infinite loop detected"). */
static bool log_is_noise(const char *line, size_t len)
{
	static const char *const prefixes[] = {
	    "processed ", "verification time ", "stack depth ", "from ",
	    "-- ",        "mark_precise: ",     "last_idx ",    "parent ",
	    "Func#",      "Validating ",        "cur state:",   "old state:",
	};

	if (len == 0)
		return true;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (starts_with(line, len, prefixes[i]))
			return true;
	return false;
}

static char *dup_range(const char *s, size_t len)
{
	char *d = malloc(len + 1);

	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

/* Where a statistic printed right after a message without newline starts in line, len if
 * none ("expected prog array map for tail callverification time 30 usec"). */
static size_t log_glued_stats(const char *line, size_t len)
{
	static const char *const stats[] = {"verification time ", "processed "};
	long v;

	for (size_t i = 0; i < sizeof(stats) / sizeof(stats[0]); i++) {
		size_t n = strlen(stats[i]);

		for (size_t at = 1; at + n <= len; at++)
			if (memcmp(line + at, stats[i], n) == 0 &&
			    sscanf(line + at + n, "%ld", &v) == 1)
				return at;
	}
	return len;
}

/* "; text @ file:line": fills the pieces; false if the line is not one. */
static bool log_source_line(const char *line, size_t len, const char **text, size_t *text_len,
                            const char **file, size_t *file_len, unsigned *lineno)
{
	const char *at = NULL, *colon = NULL;
	unsigned long n = 0;

	if (!starts_with(line, len, "; "))
		return false;
	for (size_t i = 2; i + 3 <= len; i++)
		if (memcmp(line + i, " @ ", 3) == 0)
			at = line + i;
	if (!at)
		return false;
	for (const char *p = at + 3; p < line + len; p++)
		if (*p == ':')
			colon = p;
	if (!colon || colon + 1 >= line + len)
		return false;
	for (const char *p = colon + 1; p < line + len; p++) {
		if (!isdigit((unsigned char)*p) || n > 10000000)
			return false;
		n = n * 10 + (unsigned long)(*p - '0');
	}
	*text = line + 2;
	*text_len = (size_t)(at - (line + 2));
	*file = at + 3;
	*file_len = (size_t)(colon - (at + 3));
	*lineno = (unsigned)n;
	return true;
}

int bpfcc_rt_parse_log(const char *log, struct bpfcc_rt_result *res)
{
	const char *msg = NULL, *src_text = NULL, *src_file = NULL;
	const char *cur_text = NULL, *cur_file = NULL;
	size_t msg_len = 0, src_text_len = 0, src_file_len = 0, cur_text_len = 0, cur_file_len = 0;
	unsigned src_line = 0, cur_line = 0;
	long insn = -1;
	char *tmp;

	res->insn = -1;
	res->src_line = 0;
	res->processed_insns = res->total_states = res->peak_states = -1;
	res->verification_usec = -1;
	for (const char *line = log ? log : ""; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		const char *t, *f;
		size_t tl, fl;
		unsigned ln;
		long n;

		if ((n = log_insn_index(line, len)) >= 0) {
			insn = n;
			src_text = cur_text, src_text_len = cur_text_len;
			src_file = cur_file, src_file_len = cur_file_len;
			src_line = cur_line;
		} else if (log_source_line(line, len, &t, &tl, &f, &fl, &ln)) {
			cur_text = t, cur_text_len = tl, cur_file = f, cur_file_len = fl;
			cur_line = ln;
		} else if (starts_with(line, len, "processed ")) {
			long p, ts = -1, ps = -1;
			const char *s;

			if (sscanf(line, "processed %ld insns", &p) == 1)
				res->processed_insns = p;
			s = strstr(line, "total_states ");
			if (s && s < line + len && sscanf(s, "total_states %ld", &ts) == 1)
				res->total_states = ts;
			s = strstr(line, "peak_states ");
			if (s && s < line + len && sscanf(s, "peak_states %ld", &ps) == 1)
				res->peak_states = ps;
		} else if (starts_with(line, len, "verification time ")) {
			long us;

			if (sscanf(line, "verification time %ld usec", &us) == 1)
				res->verification_usec = us;
		} else if (!log_is_state(line, len) && !log_is_noise(line, len) &&
		           !starts_with(line, len, "; ")) {
			long us;

			msg = line;
			msg_len = log_glued_stats(line, len);
			if (msg_len < len &&
			    sscanf(line + msg_len, "verification time %ld usec", &us) == 1)
				res->verification_usec = us;
		}
		line += len;
		if (*line == '\n')
			line++;
	}
	res->insn = (int)insn;
	res->src_line = src_file ? src_line : 0;
	free(res->kernel_msg);
	free(res->src_file);
	free(res->src_text);
	res->kernel_msg = res->src_file = res->src_text = NULL;
	if (msg) {
		while (msg_len && isspace((unsigned char)msg[msg_len - 1]))
			msg_len--;
		if (!(tmp = dup_range(msg, msg_len)))
			return -ENOMEM;
		res->kernel_msg = tmp;
	}
	if (src_file) {
		if (!(res->src_file = dup_range(src_file, src_file_len)))
			return -ENOMEM;
		while (src_text_len && isspace((unsigned char)*src_text))
			src_text++, src_text_len--;
		if (!(res->src_text = dup_range(src_text, src_text_len)))
			return -ENOMEM;
	}
	return 0;
}

void rt_log_cfg_init(struct rt_log_cfg *cfg, const struct bpfcc_rt_load_opts *opts)
{
	cfg->level = 1 | 4; /* BPF_LOG_LEVEL1 | BPF_LOG_STATS */
	cfg->size = 1 << 20;
	cfg->size_max = 256u << 20;
	if (opts && opts->sz >= sizeof(*opts)) {
		if (opts->log_level)
			cfg->level = opts->log_level;
		if (opts->log_size)
			cfg->size = opts->log_size;
		if (opts->log_size_max)
			cfg->size_max = opts->log_size_max;
	}
	if (cfg->size_max < cfg->size)
		cfg->size_max = cfg->size;
}
