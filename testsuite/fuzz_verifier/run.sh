#!/bin/sh
# run.sh - builds the libFuzzer harness for the preflight verifier (fuzz_verifier.c) with
# clang-19 and -fsanitize=fuzzer,address,undefined, seeds it with programs of the
# differential generator (testsuite/difftest/gen.c), objects compiled from the ELF unit
# tests' programs (object mode) and the kept regression inputs, and fuzzes for a bounded
# time.  Every input must finish within -timeout seconds and -rss_limit_mb of memory.
# Fails (non-zero) on any crash, leak, sanitizer report, hang or broken contract; the
# input is left in OUT/artifacts/ -- add it to testsuite/fuzz_verifier/regress/ once fixed.
#
# usage: testsuite/fuzz_verifier/run.sh [SECONDS (default 60) | build] [OUT (default build-fuzz-verifier)]
# "build" only builds the harnesses (a ctest does, so a link error shows before CI fuzzes).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECS=${1:-60}
OUT=${2:-$ROOT/build-fuzz-verifier}
CLANG=${CLANG:-clang-19}
MULTIARCH=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
HERE=$ROOT/testsuite/fuzz_verifier
SRCS="$ROOT/compiler/verifier/*.c $ROOT/compiler/diag/*.c $ROOT/compiler/elf/*.c
      $ROOT/compiler/link/*.c $ROOT/compiler/check/*.c"
CFLAGS="-std=c17 -g -O1 -D_GNU_SOURCE -DBPFCC_VERSION=\"fuzz\" -DFUZZ_WITH_OBJECTS -I$ROOT/compiler"

rm -rf "$OUT/seeds"
mkdir -p "$OUT/corpus" "$OUT/seeds" "$OUT/artifacts"

# Seeds: generated programs (written by a plain, unsanitized build of the replay tool) ...
# shellcheck disable=SC2086
"$CLANG" $CFLAGS -DFUZZ_REPLAY_MAIN $SRCS "$HERE/fuzz_verifier.c" \
	"$ROOT/testsuite/difftest/gen.c" "$ROOT/testsuite/difftest/gen_mem.c" \
	"$ROOT/testsuite/difftest/gen_call.c" "$ROOT/testsuite/difftest/gen_ref.c" \
	-lelf -lbpf -lz -o "$OUT/seedgen"
# shellcheck disable=SC2086
"$CLANG" $CFLAGS -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	$SRCS "$HERE/fuzz_verifier.c" -lelf -lbpf -lz -o "$OUT/fuzz_verifier"
[ "$SECS" = build ] && exit 0
# (150: loading the seeds takes ~20 s under the sanitizers; some run to the 1M limit)
"$OUT/seedgen" --emit-seeds "$OUT/seeds" 1 150
# ... objects behind an 8-byte header whose flags byte asks for object mode (0x80): the
# ELF unit tests' programs and the program tests (those that need a vmlinux.h are left out) ...
for p in "$ROOT"/testsuite/unit/elf/progs/*.bpf.c $(find "$ROOT/testsuite/programs" -name '*.bpf.c'); do
	o="$OUT/seeds/obj-$(basename "$p" .c).o"
	if "$CLANG" -O2 -g -target bpf -mcpu=v3 -I"/usr/include/$MULTIARCH" -I"$ROOT/headers" \
		-c "$p" -o "$o.tmp" 2>/dev/null; then
		{ printf '\000\200\000\000\000\000\000\000'; cat "$o.tmp"; } >"$o"
	fi
	rm -f "$o.tmp"
done
# ... and the kept regression inputs.
cp "$HERE"/regress/* "$OUT/seeds/" 2>/dev/null || true


# -jobs/-workers stay at 1: the machine's two cores are shared.  An input near the
# 1,000,000-instruction limit takes up to ~25 s under the sanitizers with the trace on.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	"$OUT/fuzz_verifier" -max_total_time="$SECS" -max_len=65536 -timeout=60 \
	-rss_limit_mb=2048 -artifact_prefix="$OUT/artifacts/" -print_final_stats=1 \
	"$OUT/corpus" "$OUT/seeds"
