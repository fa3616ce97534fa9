#!/bin/bash
# compile.sh - compile-time benchmark: bpfcc against clang-19 on every sample.
#
# Usage: bench/compile.sh [-n RUNS] [-b BPFCC] [-c CLANG] [SAMPLE...]
#   -n RUNS   timed compiles per sample and compiler (default 11)
#   -b BPFCC  the bpfcc to measure (default: $BPFCC, else `bpfcc` from PATH)
#   -c CLANG  the clang to compare with (default: $CLANG, else clang-19)
#   SAMPLE    sample names (folders of samples/); default all
#
# Both compilers build the same file with the same flags in the same run, alternating:
# in round r every sample is compiled by bpfcc then clang, or clang then bpfcc when r is
# even, so drifting machine load hits both alike.  bpfcc gets `-O2 -g -c`; clang gets what
# bpfcc adds on its own as well: -target bpf -mcpu=v3, the multiarch -I, -D__TARGET_ARCH_x86
# and -I of a vmlinux.h generated once, before timing, with bpftool (bpfcc makes its own,
# and that cost is part of what is measured).  One untimed warm-up compile per sample and
# compiler comes first.
#
# Wall time is taken around each compile; peak RSS is the largest resident set of the
# compiler and its child processes, from GNU time (/usr/bin/time -f %M) or, without it,
# from bench/rusage_run.c (wait4() rusage), built on the fly.
#
# Output: per sample the median wall time of each compiler, the ratio bpfcc/clang and the
# peak RSS of each; an "all" row over the per-round totals (each round compiles every
# sample once with each compiler); and the final line
#   bench: bpfcc/clang median ratio = X.XX
# (median total of bpfcc over median total of clang).  Exit status 1 if any compile failed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
runs=11
bpfcc=${BPFCC:-bpfcc}
clang=${CLANG:-clang-19}

while getopts "n:b:c:h" opt; do
	case $opt in
	n) runs=$OPTARG ;;
	b) bpfcc=$OPTARG ;;
	c) clang=$OPTARG ;;
	*)
		sed -n '2,9s/^# \{0,1\}//p' "$0"
		exit 2
		;;
	esac
done
shift $((OPTIND - 1))
# The compiles run in each sample's folder: a relative path must not change meaning.
case $bpfcc in
*/*) bpfcc=$(realpath "$bpfcc") ;;
esac
case $clang in
*/*) clang=$(realpath "$clang") ;;
esac
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
	echo "compile.sh: -n needs a positive number" >&2
	exit 2
fi
for tool in "$bpfcc" "$clang"; do
	if ! command -v "$tool" >/dev/null; then
		echo "compile.sh: $tool not found" >&2
		exit 2
	fi
done

# The samples: name and source file.
names=()
sources=()
if [ $# -eq 0 ]; then
	set -- $(cd "$root/samples" && for d in */; do [ -f "$d/Makefile" ] && echo "${d%/}"; done)
fi
for name in "$@"; do
	src=$(ls "$root/samples/$name"/*.bpf.c 2>/dev/null | head -n 1)
	if [ -z "$src" ]; then
		echo "compile.sh: no sample $name in $root/samples" >&2
		exit 2
	fi
	names+=("$name")
	sources+=("$src")
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bpfcc-bench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

# What bpfcc adds by itself, spelled out for clang.
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
case $(uname -m) in
x86_64) arch=x86 ;;
aarch64) arch=arm64 ;;
*) arch=$(uname -m) ;;
esac
mkdir -p "$tmp/vmlinux"
if ! bpftool btf dump file /sys/kernel/btf/vmlinux format c >"$tmp/vmlinux/vmlinux.h"; then
	echo "compile.sh: cannot generate vmlinux.h with bpftool" >&2
	exit 2
fi
clang_extra=(-target bpf -mcpu=v3 "-I/usr/include/$multiarch" "-D__TARGET_ARCH_$arch"
	"-I$tmp/vmlinux")
flags=(-O2 -g)

# The measuring wrapper: GNU time if installed, else our own wait4() runner.
# (BENCH_NO_GNU_TIME=1 forces the latter.)
if [ -z "${BENCH_NO_GNU_TIME:-}" ] && /usr/bin/time -f %M -o "$tmp/probe" true 2>/dev/null &&
	[ -s "$tmp/probe" ]; then
	measure=(/usr/bin/time -f %M -o)
else
	if ! cc -std=c17 -O2 -Wall -Wextra -Werror -o "$tmp/rusage_run" "$here/rusage_run.c"; then
		echo "compile.sh: no GNU time and cannot build rusage_run.c" >&2
		exit 2
	fi
	measure=("$tmp/rusage_run" -o)
fi

failed=0
# run_one WHICH INDEX: one timed compile; appends "usec kib" to $tmp/WHICH.INDEX.
run_one()
{
	local which=$1 i=$2 t0 t1 cmd
	if [ "$which" = bpfcc ]; then
		cmd=("$bpfcc" "${flags[@]}")
	else
		cmd=("$clang" "${flags[@]}" "${clang_extra[@]}")
	fi
	t0=$EPOCHREALTIME
	if ! (cd "$(dirname "${sources[i]}")" &&
		"${measure[@]}" "$tmp/rss" "${cmd[@]}" -c "$(basename "${sources[i]}")" \
			-o "$tmp/$which.o" 2>"$tmp/err"); then
		echo "compile.sh: $which failed on ${names[i]}:" >&2
		head -n 20 "$tmp/err" >&2
		failed=1
		return 1
	fi
	t1=$EPOCHREALTIME
	echo "$(((${t1/./} - ${t0/./}))) $(tail -n 1 "$tmp/rss")" >>"$tmp/$which.$i"
}

# median: the median of the numbers on stdin (mean of the middle two for an even count).
median()
{
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print 0; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "bench: $runs runs per sample; bpfcc = $(command -v "$bpfcc"), clang = $(command -v "$clang")"
for i in "${!names[@]}"; do
	run_one bpfcc "$i" && run_one clang "$i"
	rm -f "$tmp/bpfcc.$i" "$tmp/clang.$i"
done
[ $failed -eq 0 ] || exit 1

for ((r = 1; r <= runs; r++)); do
	if ((r % 2)); then order=(bpfcc clang); else order=(clang bpfcc); fi
	for i in "${!names[@]}"; do
		for which in "${order[@]}"; do
			run_one "$which" "$i" || continue
			tail -n 1 "$tmp/$which.$i" | awk -v r=$r '{ print r, $1 }' >>"$tmp/$which.rounds"
		done
	done
done

ms()
{
	awk '{ printf "%.1f", $1 / 1000 }'
}
ratio()
{
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
}
mib()
{
	awk '{ printf "%.1f", $1 / 1024 }'
}

printf '\n%-16s %12s %12s %7s %12s %12s\n' sample "bpfcc ms" "clang ms" ratio \
	"bpfcc MiB" "clang MiB"
printf '%-16s %12s %12s %7s %12s %12s\n' ---------------- ------------ ------------ ------- \
	------------ ------------
for i in "${!names[@]}"; do
	[ -s "$tmp/bpfcc.$i" ] && [ -s "$tmp/clang.$i" ] || continue
	b=$(cut -d' ' -f1 "$tmp/bpfcc.$i" | median)
	c=$(cut -d' ' -f1 "$tmp/clang.$i" | median)
	brss=$(cut -d' ' -f2 "$tmp/bpfcc.$i" | sort -n | tail -n 1)
	crss=$(cut -d' ' -f2 "$tmp/clang.$i" | sort -n | tail -n 1)
	printf '%-16s %12s %12s %7s %12s %12s\n' "${names[i]}" "$(echo "$b" | ms)" \
		"$(echo "$c" | ms)" "$(ratio "$b" "$c")" "$(echo "$brss" | mib)" "$(echo "$crss" | mib)"
	echo "$brss" >>"$tmp/bpfcc.rss"
	echo "$crss" >>"$tmp/clang.rss"
done

if [ $failed -ne 0 ]; then
	echo "compile.sh: some compiles failed; no overall figure" >&2
	exit 1
fi
# Per-round totals: the time to compile every sample once.
total()
{
	awk '{ t[$1] += $2 } END { for (r in t) print t[r] }' "$1" | median
}
b=$(total "$tmp/bpfcc.rounds")
c=$(total "$tmp/clang.rounds")
printf '%-16s %12s %12s %7s %12s %12s\n' "all (per round)" "$(echo "$b" | ms)" \
	"$(echo "$c" | ms)" "$(ratio "$b" "$c")" "$(sort -n "$tmp/bpfcc.rss" | tail -n 1 | mib)" \
	"$(sort -n "$tmp/clang.rss" | tail -n 1 | mib)"
echo "bench: bpfcc/clang median ratio = $(ratio "$b" "$c")"
