#!/usr/bin/env bash
# Golden test of `bpfcc verify` / `bpfcc load`: runs one case of cases.txt and compares
# its exit status, stdout and stderr with golden/<case>.out (diff -u, as cproc does).
#
#   run.sh CASE    env: BPFCC, CLANG, MULTIARCH; BPFCC_UPDATE_GOLDEN=1 rewrites the golden
#
# The objects are built from src/ by clang in a fresh directory, so the inputs do not
# depend on bpfcc's own compiler.  What changes from run to run is normalised: the
# directory, timings, instruction and state counts (the verifier's own tests pin those),
# kernel addresses in the verifier log and the kernel release.  Cases that need the
# kernel exit 77 (ctest's skip) with the reason when it cannot be asked.
set -u
case_name=${1:?usage: run.sh CASE}
here=$(cd "$(dirname "$0")" && pwd)
: "${BPFCC:?}" "${CLANG:?}" "${MULTIARCH:=}"

line=$(grep -E "^${case_name}[[:space:]]" "$here/cases.txt") || {
	echo "run.sh: no case '$case_name' in cases.txt"
	exit 1
}
read -r _ want kind args <<<"$line"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$here"/src/*.bpf.c "$here"/src/*.config "$tmp"/
cd "$tmp" || exit 1
for s in *.bpf.c; do
	g=-g
	case $s in nobtf_*) g= ;; esac # objects without BTF
	"$CLANG" -O2 $g -target bpf ${MULTIARCH:+-I/usr/include/$MULTIARCH} -c "$s" \
		-o "${s%.bpf.c}.o" || { echo "FAIL: clang cannot compile $s"; exit 1; }
done
printf 'this is not an ELF object\n' >junk.o

prefix=()
case $kind in
kernel)
	if ! "$BPFCC" verify --against-kernel good.o >/dev/null 2>probe.err; then
		echo "SKIP: the kernel cannot be asked here: $(cat probe.err)"
		exit 77
	fi
	;;
unpriv)
	if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
		echo "SKIP: needs root and setpriv to drop privileges"
		exit 77
	fi
	if [ "$(cat /proc/sys/kernel/unprivileged_bpf_disabled 2>/dev/null)" = 0 ]; then
		echo "SKIP: unprivileged BPF is enabled here, so the kernel can be asked anyway"
		exit 77
	fi
	chmod 755 "$tmp"
	chmod 644 "$tmp"/*
	prefix=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all
		--bounding-set=-all)
	if ! "${prefix[@]}" test -x "$BPFCC"; then
		echo "SKIP: user 65534 cannot run $BPFCC (a directory above it is private)"
		exit 77
	fi
	;;
esac

# shellcheck disable=SC2086 # the arguments are words by design
"${prefix[@]}" "$BPFCC" $args >out.txt 2>err.txt
status=$?

release=$(uname -r)
normalise() {
	sed -E -e "s|$tmp|TMP|g" -e "s|$release|RELEASE|g" \
		-e 's/[0-9]+ usec/N usec/g' \
		-e 's/0x[0-9a-f]{8,}/0xADDR/g' \
		-e 's/[0-9]+ insns processed/N insns processed/g' \
		-e 's/[0-9]+ processed, [0-9]+ states/N processed, N states/g' \
		-e 's/, [0-9]+ states,/, N states,/g' \
		-e 's/processed [0-9]+ insns \(limit [0-9]+\).*/processed N insns .../' \
		-e 's/"(duration_us|verification_usec|total_insns|total_states|peak_states|mem_peak|processed_insns)":[0-9]+/"\1":N/g' \
		-e 's/^([^,]+,[^,]+,(success|failure)),[0-9]+,[0-9]+,[0-9]+,[0-9]+,[0-9]+$/\1,N,N,N,N,N/'
}
{
	echo "\$ bpfcc $args"
	echo "exit $status"
	echo "--- stdout"
	normalise <out.txt
	echo "--- stderr"
	normalise <err.txt
} >actual.txt

golden="$here/golden/$case_name.out"
if [ "${BPFCC_UPDATE_GOLDEN:-0}" = 1 ]; then
	cp actual.txt "$golden"
	echo "updated $golden"
fi
fail=0
if [ "$status" != "$want" ]; then
	echo "FAIL: exit status $status, expected $want"
	fail=1
fi
if [ ! -f "$golden" ]; then
	echo "FAIL: no golden file $golden (BPFCC_UPDATE_GOLDEN=1 writes it)"
	cat actual.txt
	exit 1
fi
if ! diff -u "$golden" actual.txt; then
	echo "FAIL: output differs from $golden"
	fail=1
fi
[ $fail = 0 ] && echo "PASS $case_name"
exit $fail
