/*
 * diag_sample.c - writes a document with every kind of finding the sink can hold, for the
 * schema test (sarif_validate.js): `diag_sample sarif|json|sarif-empty|json-empty`, and
 * `diag_sample text|text-color` to look at the text rendering.
 * Tool errors, findings with and without rules, locations of every form (absolute path,
 * spaces, no line, no column), verifier detail, paths, notes, -Werror promotions, and
 * text that needs escaping (quotes, control characters, invalid UTF-8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/diag.h"

static void emit_all(struct diag_sink *sink)
{
	struct diag_step path[] = {
	    {.loc = {.file = "samples/xdp drop.bpf.c", .line = 10, .col = 6},
	     .insn = 4,
	     .text = "branch taken: r1 > 16"},
	    {.loc = {.file = NULL}, .insn = 7, .text = "call bpf_map_lookup_elem"},
	    {.loc = {.file = "/abs/path/x.c", .line = 12}, .insn = -1, .text = ""},
	};
	struct diag full = {
	    .level = DIAG_ERROR,
	    .rule = "verifier-map-bounds",
	    .category = "memory safety",
	    .loc = {.file = "samples/xdp drop.bpf.c", .line = 14, .col = 9},
	    .program = "xdp_drop",
	    .section = "xdp",
	    .insn = 14,
	    .message = "map value read out of bounds",
	    .kernel_msg = "invalid access to map value, value_size=8 off=8 size=4",
	    .explanation = "The read ends past the end of the map value.",
	    .hint = "check the index against the value size first",
	    .path = path,
	    .path_len = 3,
	};
	struct diag_loc object = {.file = "prog.bpf.o"};
	struct diag_loc no_col = {.file = "/abs/path/x.c", .line = 3};
	struct diag_loc odd = {.file = "we\"ird\x01\xff.c", .line = 1, .col = 1};

	diag_sink_describe_rule(sink, "ir-float", "floating point is not allowed in BPF",
	                        "use fixed-point integer arithmetic");
	diag_sink_set_rule_level(sink, "elf-license", DIAG_ERROR, false);
	diag_errorf(sink, NULL, NULL, "cannot open '%s'", "missing.o");
	diag_emit(sink, &full);
	diag_warnf(sink, "elf-license", &object, "no license section");
	diag_warnf(sink, "ir-float", &no_col, "float \"%s\"\t\x02 bad utf8 \xe2\x82", "x");
	diag_notef(sink, &odd, "note with an odd file name");
	diag_notef(sink, NULL, "note without location");
	full.level = DIAG_WARNING;
	full.rule = "verifier-complexity";
	full.path = NULL;
	full.path_len = 0;
	full.loc.file = NULL;
	diag_emit(sink, &full);
}

int main(int argc, char **argv)
{
	struct diag_sink *sink;
	enum diag_format format;
	const char *mode = argc > 1 ? argv[1] : "";

	if (strncmp(mode, "sarif", 5) == 0)
		format = DIAG_FORMAT_SARIF;
	else if (strncmp(mode, "json", 4) == 0)
		format = DIAG_FORMAT_JSON;
	else if (strncmp(mode, "text", 4) == 0)
		format = DIAG_FORMAT_TEXT;
	else {
		fprintf(stderr, "usage: %s sarif|json|text|text-color[-empty]\n", argv[0]);
		return 2;
	}
	sink = diag_sink_new(stdout, format);
	if (!sink)
		return 1;
	diag_sink_set_color(sink, strcmp(mode, "text-color") == 0);
	if (!strstr(mode, "-empty"))
		emit_all(sink);
	if (diag_sink_flush(sink) != 0)
		return 1;
	diag_sink_free(sink);
	return 0;
}
