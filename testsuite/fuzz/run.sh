#!/bin/sh
# run.sh - builds the libFuzzer harness for the ELF reader, check_object() and
# link_program() (fuzz_obj.c) with clang-19 and
# -fsanitize=fuzzer,address,undefined, seeds it with objects compiled from the elf, check
# and link unit-test programs and the kept regression inputs, and fuzzes for a bounded time.  Fails (non-zero)
# on any crash, leak, sanitizer report or broken contract; the input is left in
# OUT/artifacts/ — add it to testsuite/fuzz/regress/ once fixed.
#
# usage: testsuite/fuzz/run.sh [SECONDS (default 60) | build] [OUT (default build-fuzz)]
# "build" only builds the harness (a ctest does, so a link error shows before CI fuzzes).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECS=${1:-60}
OUT=${2:-$ROOT/build-fuzz}
CLANG=${CLANG:-clang-19}
MULTIARCH=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)

mkdir -p "$OUT/corpus" "$OUT/seeds" "$OUT/artifacts"

"$CLANG" -std=c17 -g -O1 -D_GNU_SOURCE -DBPFCC_VERSION='"fuzz"' \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I"$ROOT/compiler" "$ROOT"/compiler/elf/*.c "$ROOT"/compiler/check/*.c \
	"$ROOT"/compiler/link/*.c "$ROOT/testsuite/fuzz/diag_stub.c" \
	"$ROOT/testsuite/fuzz/fuzz_obj.c" -lelf -lbpf -lz -o "$OUT/fuzz_obj"
[ "$SECS" = build ] && exit 0

for p in "$ROOT"/testsuite/unit/elf/progs/*.bpf.c "$ROOT"/testsuite/unit/check/progs/*.bpf.c \
	"$ROOT"/testsuite/unit/link/progs/*.bpf.c; do
	"$CLANG" -O2 -g -target bpf -mcpu=v3 -I"/usr/include/$MULTIARCH" \
		-c "$p" -o "$OUT/seeds/$(basename "$p" .c).o"
done
cp "$ROOT"/testsuite/fuzz/regress/* "$OUT/seeds/" 2>/dev/null || true


# -jobs/-workers stay at 1: the machine's two cores are shared.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	"$OUT/fuzz_obj" -max_total_time="$SECS" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$OUT/artifacts/" -print_final_stats=1 "$OUT/corpus" "$OUT/seeds"
