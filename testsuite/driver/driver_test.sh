#!/bin/bash
# driver_test.sh - the bpfcc driver's command-line contract, one case per ctest test:
# gcc-compatible flags, output naming, atomic output (a failed compile leaves an existing
# output untouched and no temporary file), dependency files, -E/-S/-emit-llvm/-###/-v,
# standard input, and the exit statuses (0 success, 1 diagnostics, 2 usage/internal).
#
# Usage: driver_test.sh BPFCC CASE        (CASE is one of the case_* functions below)
set -u
bpfcc=$1
case=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/bpfcc-driver.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

fail() {
	echo "FAIL ($case): $*"
	for f in out err; do
		[ -s $f ] && { echo "--- $f:"; head -40 $f; }
	done
	exit 1
}
# run EXPECTED_STATUS ARGS...: runs bpfcc, output in ./out and ./err, checks the status.
run() {
	local want=$1 got
	shift
	"$bpfcc" "$@" >out 2>err </dev/null
	got=$?
	[ "$got" = "$want" ] || fail "bpfcc $* exited $got, expected $want"
}
has() { grep -q -- "$2" "$1" || fail "$1 does not contain '$2'"; }
lacks() { ! grep -q -- "$2" "$1" || fail "$1 contains '$2'"; }
no_temps() {
	local t
	t=$(find . -name '.*.tmp.*')
	[ -z "$t" ] || fail "temporary files left behind: $t"
}
is_bpf_object() {
	# ELF, relocatable (e_type 1), machine EM_BPF (247)
	[ "$(head -c4 "$1" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] || fail "$1 is not ELF"
	[ "$(od -An -tu1 -j18 -N1 "$1" | tr -d ' ')" = 247 ] || fail "$1 is not EM_BPF"
}

mkdir -p inc src
cat >inc/val.h <<'H'
#define XDP_VERDICT 2
H
cat >src/good.bpf.c <<'C'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "val.h"

SEC("xdp")
int pass(struct xdp_md *ctx)
{
	return XDP_VERDICT;
}

char LICENSE[] SEC("license") = "GPL";
C
cat >src/float.bpf.c <<'C'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int half(struct xdp_md *ctx)
{
	double d = ctx->data_end - ctx->data;
	return d / 3.0 > 1.5;
}

char LICENSE[] SEC("license") = "GPL";
C
cat >src/unchecked.bpf.c <<'C'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int wrong_side(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;

	if (data + 4 > end)
		return *(int *)data & 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
C
cat >src/syntax.bpf.c <<'C'
int broken(void) { return }
C

case_unknown_option() {
	run 2 -frobnicate -c src/good.bpf.c
	has err "unknown option '-frobnicate'"
}
case_g0_refused() {
	run 2 -g0 -Iinc -c src/good.bpf.c
	has err "'-g0'"
	has err BTF
	[ ! -e good.bpf.o ] || fail "an object was written"
}
case_bad_cpu() {
	run 2 -mcpu=v9 -c src/good.bpf.c
	has err "v9"
}
case_no_input() {
	run 2 -c
	has err "no input files"
}
case_missing_input() {
	run 2 -c src/missing.bpf.c
	has err "src/missing.bpf.c"
}
case_link_refused() {
	run 2 -Iinc src/good.bpf.c
	has err "does not link"
}
case_o_with_several_inputs() {
	run 2 -Iinc -c src/good.bpf.c src/good.bpf.c -o x.o
	has err "'-o'"
}
case_default_output_name() {
	run 0 -Iinc -c src/good.bpf.c
	is_bpf_object good.bpf.o
	[ ! -s err ] || fail "unexpected messages"
}
case_several_inputs() {
	cp src/good.bpf.c src/second.bpf.c
	run 0 -Iinc -c src/good.bpf.c src/second.bpf.c
	is_bpf_object good.bpf.o
	is_bpf_object second.bpf.o
}
case_diagnostics_exit_1() {
	run 1 -c src/float.bpf.c -o float.o
	has err "float.bpf.c:[0-9]*:[0-9]*: error:"
	has err "ir-float"
	[ ! -e float.o ] || fail "an object was written"
	no_temps
}
case_clang_error_exit_1() {
	run 1 -c src/syntax.bpf.c -o syntax.o
	has err "syntax.bpf.c:1:"
	[ ! -e syntax.o ] || fail "an object was written"
}
case_no_clobber() {
	echo "previous contents" >keep.o
	run 1 -c src/float.bpf.c -o keep.o
	[ "$(cat keep.o)" = "previous contents" ] || fail "existing output was changed"
	no_temps
}
case_unwritable_output() {
	run 2 -Iinc -c src/good.bpf.c -o no/such/dir/prog.o
	has err "no/such/dir/prog.o"
}
case_preprocess() {
	run 0 -Iinc -E src/good.bpf.c
	has out "return 2;"
	lacks out "XDP_VERDICT"
}
case_stdin() {
	"$bpfcc" -Iinc -x c -c - -o stdin.o <src/good.bpf.c >out 2>err || fail "exit $?"
	is_bpf_object stdin.o
	"$bpfcc" -Iinc -E - <src/good.bpf.c >out 2>err || fail "-E - exit $?"
	has out "return 2;"
}
case_assembly() {
	run 0 -Iinc -S src/good.bpf.c -o good.s
	has good.s "w0 = 2"
	has good.s "exit"
}
case_emit_llvm() {
	run 0 -Iinc -S -emit-llvm src/good.bpf.c -o good.ll
	has good.ll 'target triple = "bpf'
	run 0 -Iinc -c -emit-llvm src/good.bpf.c -o good.bc
	[ "$(head -c2 good.bc)" = BC ] || fail "good.bc is not LLVM bitcode"
}
case_big_endian() {
	run 0 -Iinc --target=bpfeb -c src/good.bpf.c -o be.o
	[ "$(od -An -tu1 -j5 -N1 be.o | tr -d ' ')" = 2 ] || fail "not ELFDATA2MSB"
	run 0 -Iinc -mlittle-endian -c src/good.bpf.c -o le.o
	[ "$(od -An -tu1 -j5 -N1 le.o | tr -d ' ')" = 1 ] || fail "not ELFDATA2LSB"
}
case_dependency_file() {
	run 0 -Iinc -MD -MF good.d -MT target.o -MP -c src/good.bpf.c -o dep.o
	has good.d "^target.o:"
	has good.d "inc/val.h"
	has good.d "^inc/val.h:"
	run 0 -Iinc -MMD -c src/good.bpf.c -o mmd.o
	has mmd.d "inc/val.h"
	lacks mmd.d "linux/bpf.h"
}
case_dry_run() {
	run 0 -Iinc -### -c src/good.bpf.c
	has err "clang"
	has err "-emit-llvm"
	[ ! -e good.bpf.o ] || fail "-### compiled"
}
case_verbose() {
	run 0 -Iinc -v -c src/good.bpf.c -o v.o
	has err "clang"
	is_bpf_object v.o
}
case_version_help() {
	run 0 --version
	has out "bpfcc"
	has out "LLVM"
	run 0 --help
	has out "-mcpu"
}
case_werror_rule() {
	run 1 -Wno-ir-float -Werror -c src/float.bpf.c -o f.o
	run 1 -c src/float.bpf.c -o f.o -fdiagnostics-format=json
	has err '"rule"'
}

case_clang_missing() {
	run 2 --clang=/nonexistent/clang-19 -Iinc -c src/good.bpf.c -o m.o
	has err "/nonexistent/clang-19"
	[ "$(wc -l <err)" -eq 1 ] || fail "more than one line for a missing clang"
	BPFCC_CLANG=/nonexistent/clang "$bpfcc" -Iinc -c src/good.bpf.c -o m.o >out 2>err
	[ $? -eq 2 ] || fail "BPFCC_CLANG=/nonexistent: exit status not 2"
	has err "/nonexistent/clang"
	[ ! -e m.o ] || fail "an object was written"
}
case_clang_too_old() {
	# A "clang" whose bitcode says clang 14 made it is refused (REAL_CLANG: clang-19).
	[ -x "${REAL_CLANG:-}" ] || fail "REAL_CLANG is not set to clang-19"
	printf 'target triple = "bpf"\n!llvm.ident = !{!0}\n!0 = !{!"clang version 14.0.6"}\n' >old.ll
	cat >old-clang <<'S'
#!/bin/sh
for a in "$@"; do case "$a" in --version) echo "clang version 14.0.6"; exit 0;; esac; done
exec "$REAL_CLANG" -target bpf -x ir "$OLD_LL" -c -emit-llvm -o -
S
	chmod +x old-clang
	OLD_LL=$PWD/old.ll "$bpfcc" --clang="$PWD/old-clang" -Iinc -c src/good.bpf.c -o old.o \
		>out 2>err
	[ $? -eq 2 ] || fail "an old clang was not refused with exit 2"
	has err "14"
	[ ! -e old.o ] || fail "an object was written"
}
case_parallel_builds() {
	# Eight compiles at once sharing an empty vmlinux.h cache: all succeed, the same code.
	cat >src/task.bpf.c <<'C'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

SEC("tp_btf/sched_switch")
int on_switch(u64 *ctx)
{
	struct task_struct *t = bpf_get_current_task_btf();
	return BPF_CORE_READ(t, pid) > 0;
}

char LICENSE[] SEC("license") = "GPL";
C
	[ -r /sys/kernel/btf/vmlinux ] || { echo "skip: no kernel BTF"; exit 77; }
	mkdir cache
	for i in 1 2 3 4 5 6 7 8; do
		BPFCC_CACHE_DIR=$PWD/cache "$bpfcc" -c src/task.bpf.c -o p$i.o 2>err$i &
	done
	wait
	for i in 1 2 3 4 5 6 7 8; do
		[ -s err$i ] && { cat err$i; fail "compile $i reported errors"; }
		is_bpf_object p$i.o
		cmp -s p1.o p$i.o || fail "p$i.o differs from p1.o"
	done
	no_temps
	[ "$(find cache -name '*.tmp*' | wc -l)" -eq 0 ] || fail "temporary files in the cache"
}

case_inspect() {
	run 0 -Iinc -c src/good.bpf.c -o good.o
	run 0 inspect good.o
	has out 'license "GPL"'
	has out "pass .*section xdp"
	has out "type xdp, attach type XDP"
	run 0 inspect --format=json good.o
	grep -q '"attach_type":"XDP"' out || fail "JSON lacks the attach type"
	echo "not an object" >junk.o
	"$bpfcc" inspect junk.o >out 2>err
	[ $? -ne 0 ] || fail "inspect accepted junk"
	has err "junk.o"
}

case_reproducible() {
	# The same input gives the same bytes, CO-RE fix-up types included (kprobe_core).
	local src
	src=$here/../../samples/kprobe_core/kprobe_core.bpf.c
	[ -r /sys/kernel/btf/vmlinux ] || { echo "skip: no kernel BTF"; exit 77; }
	for i in 1 2 3 4; do
		"$bpfcc" -O2 -g -c "$src" -o r$i.o 2>err || fail "compile $i failed"
	done
	for i in 2 3 4; do
		cmp -s r1.o r$i.o || fail "r$i.o differs from r1.o"
	done
}

case_verifier_log() {
	run 0 -Iinc -c src/good.bpf.c -o good.o
	run 0 verify --verifier-log good.o
	has out "^program pass (xdp)"
	has out "^0: (b4) w0 = 2"
	has out "^1: (95) exit"
	run 0 verify good.o
	lacks out "(95) exit"
}

case_signed_division() {
	# LLVM refuses signed division below -mcpu=v4: one clean message at the line.
	cat >src/sdiv.bpf.c <<'C'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int third(struct xdp_md *ctx)
{
	int len = ctx->data_end - ctx->data;
	return (len / (int)ctx->rx_queue_index) & 3;
}

char LICENSE[] SEC("license") = "GPL";
C
	run 1 -c src/sdiv.bpf.c -o sdiv.o
	has err "sdiv.bpf.c:8:[0-9]*: error: unsupported signed division"
	lacks err 'x0a'
	lacks err 'in function'
	has err "mcpu=v4"
	[ "$(grep -c 'error:' err)" -eq 1 ] || fail "more than one error"
	run 0 -mcpu=v4 -c src/sdiv.bpf.c -o sdiv.o
	is_bpf_object sdiv.o
}

# --verify=error|warn|off: what a predicted kernel refusal does to the compile.
# src/unchecked.bpf.c reads the packet on the side of the bounds check where it is short
# (the kernel refuses it: "R1 offset is outside of the packet").
refusal='unchecked.bpf.c:11:[0-9]*: error: .*invalid access to packet'
case_verify_error() {
	echo "old" >u.o
	run 1 -c src/unchecked.bpf.c -o u.o
	has err "$refusal"
	has err '\[verifier-packet-bounds\]'
	has err 'branch not taken at insn'
	[ "$(cat u.o)" = old ] || fail "a refused object replaced the old output"
	rm u.o
	run 1 --verify=error -c src/unchecked.bpf.c -o u.o
	[ ! -e u.o ] || fail "--verify=error wrote the object"
	no_temps
}
case_verify_error_not_silenced() {
	# -Wno-<rule> and -w hide warnings, never a rejection: it stays an error.
	run 1 -Wno-verifier-packet-bounds -c src/unchecked.bpf.c -o u.o
	has err "$refusal"
	[ ! -e u.o ] || fail "-Wno-verifier-packet-bounds let the object through"
	run 1 -w -Wno-error=verifier-packet-bounds -c src/unchecked.bpf.c -o u.o
	has err "$refusal"
	[ ! -e u.o ] || fail "-w let the object through"
}
case_verify_warn() {
	run 0 --verify=warn -c src/unchecked.bpf.c -o u.o
	is_bpf_object u.o
	has err 'unchecked.bpf.c:11:[0-9]*: warning: .*invalid access to packet'
	has err '\[-Wverifier-packet-bounds\]'
	has err "note: 'u.o' is written although the kernel is predicted to refuse it"
	lacks err 'error:'
	# the object is the one --verify=off writes
	run 0 --verify=off -c src/unchecked.bpf.c -o off.o
	cmp -s u.o off.o || fail "--verify=warn wrote another object than --verify=off"
	# a program the kernel loads gives no note
	run 0 --verify=warn -Iinc -c src/good.bpf.c -o good.o
	[ ! -s err ] || fail "--verify=warn printed something for a good program"
}
case_verify_warn_werror() {
	# -Werror and -Werror=<rule> make the finding an error again: exit 1, no object.
	run 1 --verify=warn -Werror -c src/unchecked.bpf.c -o u.o
	has err '\[-Werror,-Wverifier-packet-bounds\]'
	[ ! -e u.o ] || fail "--verify=warn -Werror wrote the object"
	run 1 --verify=warn -Werror=verifier-packet-bounds -c src/unchecked.bpf.c -o u.o
	has err 'error: .*\[-Werror,-Wverifier-packet-bounds\]'
	[ ! -e u.o ] || fail "--verify=warn -Werror=verifier-packet-bounds wrote the object"
	# -Wno-error=<rule> keeps it a warning under -Werror
	run 0 --verify=warn -Werror -Wno-error=verifier-packet-bounds -c src/unchecked.bpf.c -o u.o
	has err 'warning: .*\[-Wverifier-packet-bounds\]'
	is_bpf_object u.o
	# -Wno-<rule> hides the warning; the note still says what was written
	rm u.o
	run 0 --verify=warn -Wno-verifier-packet-bounds -c src/unchecked.bpf.c -o u.o
	lacks err 'packet'
	has err "'u.o' is written although"
	is_bpf_object u.o
}
case_verify_warn_object_checks() {
	# Object-check refusals follow --verify too: a GPL-only helper without a license.
	cat >src/nolicense.bpf.c <<'C'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int say(struct xdp_md *ctx)
{
	bpf_printk("hi");
	return XDP_PASS;
}
C
	run 1 -c src/nolicense.bpf.c -o n.o
	has err 'nolicense.bpf.c:7:2: error: .*GPL-only.*\[check-helper-gpl\]'
	[ ! -e n.o ] || fail "the object was written"
	run 0 --verify=warn -c src/nolicense.bpf.c -o n.o
	has err 'nolicense.bpf.c:7:2: warning: .*GPL-only.*\[-Wcheck-helper-gpl\]'
	is_bpf_object n.o
}
case_verify_warn_json() {
	run 0 --verify=warn -fdiagnostics-format=json -c src/unchecked.bpf.c -o u.o
	is_bpf_object u.o
	has err '"level":"warning","rule":"verifier-packet-bounds"'
	has err '"level":"note"'
	lacks err '"level":"error"'
	run 1 -fdiagnostics-format=json -c src/unchecked.bpf.c -o u2.o
	has err '"level":"error","rule":"verifier-packet-bounds"'
	[ ! -e u2.o ] || fail "the object was written"
}
case_verify_off() {
	run 0 --verify=off -c src/unchecked.bpf.c -o u.o
	is_bpf_object u.o
	[ ! -s err ] || fail "--verify=off printed something"
	run 0 --no-verify -c src/unchecked.bpf.c -o u2.o
	cmp -s u.o u2.o || fail "--no-verify and --verify=off differ"
	# the last of the flags wins
	run 1 --no-verify --verify=error -c src/unchecked.bpf.c -o u3.o
	[ ! -e u3.o ] || fail "--verify=error after --no-verify wrote the object"
	run 0 --verify=error --verify=off -c src/unchecked.bpf.c -o u3.o
	# the restricted-C checks are not the verifier's: they still run
	run 1 --verify=off -c src/float.bpf.c -o f.o
	has err "float"
}
case_verify_bad_mode() {
	run 2 --verify=maybe -c src/unchecked.bpf.c -o u.o
	has err "unknown verify mode 'maybe' in '--verify=maybe' (use error, warn or off)"
	run 2 --verify= -c src/unchecked.bpf.c -o u.o
	[ ! -e u.o ] || fail "an object was written"
	run 0 --help
	has out "--verify=error|warn|off"
}
case_verify_completion() {
	# man/bpfcc.bash offers the option and its three values.
	local got
	got=$(bash -c 'source "$1"; COMP_LINE="bpfcc -c --verify="; COMP_POINT=${#COMP_LINE}
		_bpfcc bpfcc "" "="; printf "%s\n" "${COMPREPLY[@]}"' _ "$here/../../man/bpfcc.bash" |
		sort | tr '\n' ' ')
	# (readline splits the word at '=': the answers are the values alone)
	[ "$got" = "error off warn " ] || fail "completing '--verify=' gave [$got]"
	got=$(bash -c 'source "$1"; COMP_LINE="bpfcc -c --ver"; COMP_POINT=${#COMP_LINE}
		_bpfcc bpfcc "--ver" "-c"; printf "%s\n" "${COMPREPLY[@]}"' _ "$here/../../man/bpfcc.bash")
	grep -qx -- "--verify=" <<<"$got" || fail "completing '--ver' gave [$got]"
}

type "case_$case" >/dev/null 2>&1 || { echo "unknown case $case"; exit 2; }
"case_$case"
echo "ok ($case)"
