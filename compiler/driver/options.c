/*
 * options.c - gcc/clang-compatible flag parsing, all in one place.
 *
 * bpfcc must be a drop-in `CC` for BPF Makefiles, so it takes the flags those Makefiles
 * pass to `clang -target bpf`: modes (-c -S -E -emit-llvm), -o, -O levels, -g, the
 * preprocessor's flags, warnings, -mcpu and endianness, dependency-file flags, and a few
 * of its own (--clang, --target-btf, --target-arch).  Flags that shape the C front end are
 * forwarded to clang in their original order; flags that name one of bpfcc's own rules
 * (-Werror=ir-float, -Wno-verifier-...) stay with bpfcc.  Anything else is refused by name:
 * silently ignoring a flag would build something the user did not ask for.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/driver.h"
#include "driver/options.h"

int strv_push(struct strv *s, const char *str)
{
	if (s->n + 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		const char **v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = str;
	s->v[s->n] = NULL;
	return 0;
}

void strv_free(struct strv *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

void drv_options_free(struct drv_options *o)
{
	strv_free(&o->inputs);
	strv_free(&o->cc_args);
	strv_free(&o->rule_args);
	strv_free(&o->mllvm);
	strv_free(&o->dep_targets);
}

bool drv_is_bpfcc_rule(const char *name)
{
	static const char *const prefixes[] = {"ir-", "elf-", "check-", "link-", "verifier-"};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* -f flags forwarded to clang unchanged: exact names, or prefixes ending in '=' or '-'. */
static const char *const forwarded_f[] = {
	"-fno-stack-protector", "-fdebug-prefix-map=", "-ffile-prefix-map=",
	"-fmacro-prefix-map=", "-fdebug-compilation-dir=", "-fno-builtin", "-fno-builtin-",
	"-fbuiltin", "-ffreestanding", "-fno-common", "-fcommon", "-fsigned-char",
	"-funsigned-char", "-fno-asynchronous-unwind-tables", "-fasynchronous-unwind-tables",
	"-fno-unwind-tables", "-funwind-tables", "-fms-extensions", "-fno-strict-aliasing",
	"-fstrict-aliasing", "-fcolor-diagnostics", "-fno-color-diagnostics",
	"-fdiagnostics-show-option", "-fno-diagnostics-show-option", "-fmessage-length=",
	"-fno-pic", "-fno-PIC", "-fno-pie", "-fno-PIE", "-fno-jump-tables", "-fshort-enums",
	"-fno-short-enums", "-fvisibility=", "-ftrivial-auto-var-init=", "-fno-omit-frame-pointer",
	"-fomit-frame-pointer", "-fno-ident", "-fident", "-fdiagnostics-absolute-paths",
	"-ferror-limit=", "-fno-caret-diagnostics", "-fgnu89-inline", "-fno-inline",
	"-fno-inline-functions", "-finline-functions", "-fno-unroll-loops", "-funroll-loops",
	"-fmacro-backtrace-limit=", "-ftemplate-depth=", "-fno-delete-null-pointer-checks",
};

static bool forwarded_f_flag(const char *a)
{
	for (size_t i = 0; i < sizeof(forwarded_f) / sizeof(forwarded_f[0]); i++) {
		const char *f = forwarded_f[i];
		size_t n = strlen(f);
		char last = f[n - 1];

		if (last == '=' || last == '-' ? !strncmp(a, f, n) : !strcmp(a, f))
			return true;
	}
	return false;
}

/* Preprocessor flags with an argument, joined (-Ifoo) or separate (-I foo). */
static const char *const cpp_with_arg[] = {"-I", "-D", "-U", "-isystem", "-idirafter",
					   "-iquote", "-include", "-imacros", "-iprefix",
					   "-iwithprefix", "-isysroot", "--sysroot"};

static int parse_opt_level(const char *v, struct drv_options *o)
{
	o->size_level = 0;
	if (!*v) {
		o->opt_level = 2;
		return 0;
	}
	if (!strcmp(v, "s") || !strcmp(v, "z")) {
		o->opt_level = 2;
		o->size_level = v[0];
		return 0;
	}
	if (!strcmp(v, "g")) {
		o->opt_level = 1;
		return 0;
	}
	if (!strcmp(v, "fast")) {
		o->opt_level = 3;
		return 0;
	}
	if (v[0] >= '0' && v[0] <= '9' && !v[1]) {
		o->opt_level = v[0] - '0' > 3 ? 3 : v[0] - '0';
		return 0;
	}
	return -EINVAL;
}

static int parse_cpu(const char *v, struct drv_options *o)
{
	if (!strcmp(v, "generic")) {
		o->cpu = 1;
		return 0;
	}
	if (v[0] == 'v' && v[1] >= '1' && v[1] <= '4' && !v[2]) {
		o->cpu = v[1] - '0';
		return 0;
	}
	return -EINVAL;
}

static int parse_target(const char *v, struct drv_options *o)
{
	if (!strcmp(v, "bpf") || !strcmp(v, "bpfel")) {
		o->big_endian = !strcmp(v, "bpf") && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
		return 0;
	}
	if (!strcmp(v, "bpfeb")) {
		o->big_endian = true;
		return 0;
	}
	return -EINVAL;
}

static int parse_warning(const char *a, struct drv_options *o)
{
	const char *name = NULL;

	if (!strcmp(a, "-Werror")) {
		o->werror = true;
		return strv_push(&o->cc_args, a);
	}
	if (!strncmp(a, "-Werror=", 8))
		name = a + 8;
	else if (!strncmp(a, "-Wno-error=", 11))
		name = a + 11;
	else if (!strncmp(a, "-Wno-", 5))
		name = a + 5;
	else
		name = a + 2;
	if (drv_is_bpfcc_rule(name))
		return strv_push(&o->rule_args, a);
	if (!strncmp(a, "-Wl,", 4)) {
		errno = EINVAL;
		return -EINVAL;
	}
	return strv_push(&o->cc_args, a);
}

/* Takes the argument of a flag that may be joined or separate; NULL if missing. */
static const char *flag_arg(int argc, char **argv, int *i, const char *flag)
{
	size_t n = strlen(flag);

	if (argv[*i][n])
		return argv[*i] + n + (argv[*i][n] == '=' && flag[n - 1] != '=' ? 1 : 0);
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

#define USAGE(...)                                                                         \
	do {                                                                               \
		diag_errorf(sink, NULL, NULL, __VA_ARGS__);                                \
		return DRV_EXIT_USAGE;                                                     \
	} while (0)

int drv_parse(int argc, char **argv, struct drv_options *o, struct diag_sink *sink)
{
	memset(o, 0, sizeof(*o));
	o->opt_level = 2;
	o->cpu = 3;
	o->color = -1;
	o->mode = DRV_MODE_LINK;
	strv_push(&o->mllvm, "bpfcc");

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		bool done = false;

		if (a[0] != '-' || !strcmp(a, "-")) {
			if (strv_push(&o->inputs, a))
				return DRV_EXIT_USAGE;
			continue;
		}
		if (!strcmp(a, "-c")) {
			o->mode = DRV_MODE_OBJECT;
		} else if (!strcmp(a, "-S")) {
			o->mode = DRV_MODE_ASM;
		} else if (!strcmp(a, "-E")) {
			o->mode = DRV_MODE_PREPROCESS;
		} else if (!strcmp(a, "-emit-llvm")) {
			o->emit_llvm = true;
		} else if (!strncmp(a, "-o", 2)) {
			if (!(o->output = flag_arg(argc, argv, &i, "-o")))
				USAGE("argument to '-o' is missing");
		} else if (!strncmp(a, "-O", 2)) {
			if (parse_opt_level(a + 2, o))
				USAGE("invalid optimisation level '%s' (use -O0, -O1, -O2, -O3, -Os "
				      "or -Oz)",
				      a);
		} else if (!strcmp(a, "-g0")) {
			USAGE("'-g0' is not supported: bpfcc always emits BTF, which libbpf needs "
			      "for maps, CO-RE and line info");
		} else if (!strcmp(a, "-g") || !strcmp(a, "-g1") || !strcmp(a, "-g2") ||
			   !strcmp(a, "-g3") || !strcmp(a, "-ggdb")) {
			/* debug info is always on */
		} else if (!strncmp(a, "-gdwarf", 7)) {
			strv_push(&o->cc_args, a);
		} else if (!strncmp(a, "-mcpu=", 6)) {
			if (parse_cpu(a + 6, o))
				USAGE("unknown BPF cpu '%s' in '%s' (use v1, v2, v3 or v4)", a + 6,
				      a);
		} else if (!strcmp(a, "-mlittle-endian")) {
			o->big_endian = false;
		} else if (!strcmp(a, "-mbig-endian")) {
			o->big_endian = true;
		} else if (!strncmp(a, "--target=", 9) || !strcmp(a, "-target")) {
			v = a[1] == '-' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
			if (!v || parse_target(v, o))
				USAGE("unsupported target '%s': bpfcc compiles for bpf, bpfel or bpfeb",
				      v ? v : "");
		} else if (!strcmp(a, "-mllvm")) {
			if (i + 1 >= argc)
				USAGE("argument to '-mllvm' is missing");
			strv_push(&o->mllvm, argv[++i]);
		} else if (!strcmp(a, "-Xclang")) {
			if (i + 1 >= argc)
				USAGE("argument to '-Xclang' is missing");
			strv_push(&o->cc_args, a);
			strv_push(&o->cc_args, argv[++i]);
		} else if (!strcmp(a, "-w")) {
			o->no_warnings = true;
			strv_push(&o->cc_args, a);
		} else if (!strncmp(a, "-W", 2) && a[2]) {
			if (parse_warning(a, o))
				USAGE("unsupported option '%s': bpfcc does not link", a);
		} else if (!strncmp(a, "-std=", 5) || !strcmp(a, "-ansi") || !strcmp(a, "-pedantic") ||
			   !strcmp(a, "-pedantic-errors") || !strcmp(a, "-nostdinc") ||
			   !strcmp(a, "-P") || !strcmp(a, "-C") || !strcmp(a, "-dM") ||
			   !strcmp(a, "-dD") || !strcmp(a, "-H") ||
			   !strcmp(a, "-Qunused-arguments")) {
			strv_push(&o->cc_args, a);
		} else if (!strncmp(a, "-fdiagnostics-format=", 21)) {
			v = a + 21;
			if (!strcmp(v, "text"))
				o->diag_format = DIAG_FORMAT_TEXT;
			else if (!strcmp(v, "json"))
				o->diag_format = DIAG_FORMAT_JSON;
			else if (!strcmp(v, "sarif"))
				o->diag_format = DIAG_FORMAT_SARIF;
			else
				USAGE("unknown diagnostics format '%s' (use text, json or sarif)", v);
		} else if (!strncmp(a, "-fdiagnostics-color", 19)) {
			v = a[19] == '=' ? a + 20 : "always";
			if (!strcmp(v, "always"))
				o->color = 1;
			else if (!strcmp(v, "never"))
				o->color = 0;
			else if (!strcmp(v, "auto"))
				o->color = -1;
			else
				USAGE("unknown colour mode '%s' (use auto, always or never)", v);
			/* clang writes to the same stderr and decides the same way */
			if (o->color >= 0)
				strv_push(&o->cc_args, o->color ? "-fcolor-diagnostics"
								: "-fno-color-diagnostics");
		} else if (!strcmp(a, "-fno-diagnostics-color")) {
			o->color = 0;
			strv_push(&o->cc_args, "-fno-color-diagnostics");
		} else if (!strncmp(a, "-f", 2) && forwarded_f_flag(a)) {
			strv_push(&o->cc_args, a);
		} else if (!strcmp(a, "-x")) {
			if (i + 1 >= argc || strcmp(argv[i + 1], "c"))
				USAGE("bpfcc compiles C only ('-x c')");
			i++;
		} else if (!strcmp(a, "-MD")) {
			o->dep_md = true;
		} else if (!strcmp(a, "-MMD")) {
			o->dep_mmd = true;
		} else if (!strcmp(a, "-MP")) {
			o->dep_mp = true;
		} else if (!strncmp(a, "-MF", 3)) {
			if (!(o->dep_file = flag_arg(argc, argv, &i, "-MF")))
				USAGE("argument to '-MF' is missing");
		} else if (!strncmp(a, "-MT", 3) || !strncmp(a, "-MQ", 3)) {
			const char *flag = a[2] == 'T' ? "-MT" : "-MQ";
			if (!(v = flag_arg(argc, argv, &i, flag)))
				USAGE("argument to '%s' is missing", flag);
			strv_push(&o->dep_targets, flag);
			strv_push(&o->dep_targets, v);
		} else if (!strcmp(a, "-v")) {
			o->verbose = true;
		} else if (!strcmp(a, "-###")) {
			o->dry_run = true;
		} else if (!strcmp(a, "-pipe")) {
			/* nothing: bpfcc never writes intermediate files */
		} else if (!strcmp(a, "--no-verify")) {
			o->verify = DRV_VERIFY_OFF;
		} else if (!strncmp(a, "--verify=", 9)) {
			v = a + 9;
			if (!strcmp(v, "error"))
				o->verify = DRV_VERIFY_ERROR;
			else if (!strcmp(v, "warn"))
				o->verify = DRV_VERIFY_WARN;
			else if (!strcmp(v, "off"))
				o->verify = DRV_VERIFY_OFF;
			else
				USAGE("unknown verify mode '%s' in '%s' (use error, warn or off)",
				      v, a);
		} else if (!strncmp(a, "--clang=", 8)) {
			o->clang = a + 8;
		} else if (!strncmp(a, "--target-btf=", 13)) {
			o->target_btf = a + 13;
			o->vmlinux_explicit = true;
		} else if (!strncmp(a, "--target-arch=", 14)) {
			o->target_arch = a + 14;
		} else if (!strcmp(a, "--version")) {
			o->show_version = true;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			o->show_help = true;
		} else {
			for (size_t k = 0; k < sizeof(cpp_with_arg) / sizeof(cpp_with_arg[0]); k++) {
				size_t n = strlen(cpp_with_arg[k]);

				if (strncmp(a, cpp_with_arg[k], n))
					continue;
				if (n < strlen(a) && cpp_with_arg[k][1] == 'i' &&
				    strcmp(cpp_with_arg[k], "-I") && a[n] != '=')
					continue; /* -isystemfoo is joined, -includex is not ours */
				if (!a[n]) {
					if (i + 1 >= argc)
						USAGE("argument to '%s' is missing", a);
					strv_push(&o->cc_args, a);
					strv_push(&o->cc_args, argv[++i]);
				} else {
					strv_push(&o->cc_args, a);
				}
				if (!strncmp(a, "-D__TARGET_ARCH_", 16))
					o->target_arch_set = true;
				done = true;
				break;
			}
			if (!done)
				USAGE("unknown option '%s' (see 'bpfcc --help')", a);
		}
	}
	return 0;
}

void drv_print_help(void)
{
	fputs("Usage: bpfcc [options] file.bpf.c...        compile (a drop-in for clang -target "
	      "bpf)\n"
	      "       bpfcc verify [options] file.bpf.o... check objects from any compiler\n"
	      "       bpfcc inspect [--format=json] file.bpf.o\n"
	      "       bpfcc load file.bpf.o                  load into the running kernel\n"
	      "\n"
	      "Compile options:\n"
	      "  -c / -S / -E            object, BPF assembly, preprocessed source\n"
	      "  -emit-llvm              LLVM bitcode (-c) or IR text (-S) instead\n"
	      "  -o FILE                 output file ('-' for standard output with -S/-E)\n"
	      "  -O0 -O1 -O2 -O3 -Os -Oz optimisation (default -O2: the verifier needs it)\n"
	      "  -g                      accepted; BTF is always generated (-g0 is refused)\n"
	      "  -mcpu=v1|v2|v3|v4       BPF instruction set (default v3)\n"
	      "  --target=bpfel|bpfeb, -mlittle-endian, -mbig-endian\n"
	      "  -I -isystem -idirafter -iquote -D -U -include -std= -W... -Werror -w -f...\n"
	      "  -MD -MMD -MF -MT -MQ -MP dependency files, as gcc writes them\n"
	      "  -mllvm OPT              pass OPT to LLVM\n"
	      "  -fdiagnostics-format=text|json|sarif, -fdiagnostics-color=auto|always|never\n"
	      "  -Werror=RULE, -Wno-RULE control bpfcc's own warning rules (ir-float, ...); a\n"
	      "                          rejection by the verifier or the object checks stays\n"
	      "                          an error under --verify=error: -Wno-RULE hides nothing\n"
	      "  --clang=PATH            C front end (default: clang next to bpfcc's LLVM; "
	      "or BPFCC_CLANG)\n"
	      "  --target-btf=FILE       kernel BTF for vmlinux.h (default "
	      "/sys/kernel/btf/vmlinux)\n"
	      "  --target-arch=ARCH      defines __TARGET_ARCH_ARCH (default: the host's)\n"
	      "  --verify=error|warn|off what a predicted kernel refusal (object checks and\n"
	      "                          preflight verifier) does: error (default) exit 1, no\n"
	      "                          object; warn: a warning, the object is written (-Werror\n"
	      "                          makes it an error again); off: not checked\n"
	      "  --no-verify             same as --verify=off (the restricted-C checks still run)\n"
	      "  -v, -###                show (-###: only show) the steps and commands\n"
	      "  --version, --help\n"
	      "\nExit status: 0 success, 1 the input has errors, 2 usage or internal error.\n",
	      stdout);
}
