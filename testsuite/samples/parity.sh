#!/bin/bash
# parity.sh - codegen parity between bpfcc and clang-19 for one BPF source file.
#
# Usage: parity.sh BPFCC CLANG OBJDUMP BPFTOOL SOURCE [FLAGS...] [-- CLANG_FLAGS...]
#
# Compiles SOURCE twice, `BPFCC FLAGS -c` and `CLANG FLAGS CLANG_FLAGS -c` (CLANG_FLAGS are
# what bpfcc adds on its own: -target bpf -mcpu=v3, the multiarch -I, -D__TARGET_ARCH_*),
# and requires the two objects to be the same program: equal `llvm-objdump -d` listings
# and equal `bpftool btf dump file` type dumps.  When SOURCE includes "vmlinux.h" the clang
# side gets the very header bpfcc generated (from its cache, named by `bpfcc -###`): the
# test compares code generation, not header generators.  (bpftool 7.1's header differs
# from the kernel's BTF on 1-byte enums such as rw_hint, which it declares as 4 bytes;
# libbpf 1.1's btf_dump, which bpfcc uses, keeps their size with mode(byte).)
# Both compilers run in SOURCE's folder on the same relative file name and write an object
# of the same name, so file names in the listings and the debug info match.
#
# The BTF of two objects can be the same types numbered differently: LLVM's BTF emitter
# numbers the fixup types of CO-RE and forward declarations in the order of its debug-info
# pointers, which differs between an in-process bitcode round trip and clang's own run
# (the same reordering shows with `clang -emit-llvm` followed by `clang -c`).  When the raw
# dumps differ and BTF_CANON names the testsuite's btf_canon tool, the objects pass if
# their canonical, id-independent dumps are equal; that case is reported as such.
#
# BPFCC_EXTRA_FLAGS, when set, are given to bpfcc alone (e.g. --no-verify, so a program the
# kernel rejects can still be compared).
#
# Exit status: 0 identical, 1 different (a unified diff is printed) or a compiler failed,
# 2 usage, 77 the comparison cannot be made here (no bpftool, no kernel BTF).
set -u

if [ $# -lt 5 ]; then
	echo "usage: $0 BPFCC CLANG OBJDUMP BPFTOOL SOURCE [FLAGS...] [-- CLANG_FLAGS...]" >&2
	exit 2
fi
bpfcc=$1 clang=$2 objdump=$3 bpftool=$4 source=$5
shift 5
flags=()
clang_flags=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	flags+=("$1")
	shift
done
[ $# -gt 0 ] && shift
clang_flags=("$@")

for tool in "$bpfcc" "$clang" "$objdump"; do
	if [ ! -x "$tool" ]; then
		echo "parity: $tool is not an executable" >&2
		exit 1
	fi
done
if [ ! -x "$bpftool" ]; then
	echo "skip: bpftool not found ($bpftool), cannot compare BTF"
	exit 77
fi
if [ ! -r "$source" ]; then
	echo "parity: cannot read $source" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bpfcc-parity.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
srcdir=$(cd "$(dirname "$source")" && pwd)
srcname=$(basename "$source")
obj=${srcname%.c}.o
mkdir -p "$tmp/bpfcc" "$tmp/clang" "$tmp/vmlinux"

uses_vmlinux=0
if grep -q '^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]vmlinux\.h[">]' "$source"; then
	if [ ! -r /sys/kernel/btf/vmlinux ]; then
		echo "skip: $srcname includes vmlinux.h and this kernel has no /sys/kernel/btf/vmlinux"
		exit 77
	fi
	uses_vmlinux=1
fi

# compile NAME COMMAND...: runs the compiler in the source folder, output in $tmp/NAME.
compile()
{
	local name=$1
	shift
	echo "+ (cd $srcdir && $* -c $srcname -o $tmp/$name/$obj)"
	if ! (cd "$srcdir" && "$@" -c "$srcname" -o "$tmp/$name/$obj"); then
		echo "parity: $name failed to compile $srcname" >&2
		return 1
	fi
}

# shellcheck disable=SC2086
compile bpfcc "$bpfcc" "${flags[@]}" ${BPFCC_EXTRA_FLAGS:-} || exit 1
if [ $uses_vmlinux = 1 ]; then
	# shellcheck disable=SC2086
	vdir=$(cd "$srcdir" && "$bpfcc" "${flags[@]}" ${BPFCC_EXTRA_FLAGS:-} -### -c "$srcname" 2>&1 |
		grep -o -- '-idirafter [^ ]*/vmlinux-[^ ]*' | head -1 | cut -d' ' -f2)
	if [ -z "$vdir" ] || [ ! -r "$vdir/vmlinux.h" ]; then
		echo "parity: cannot find the vmlinux.h bpfcc used (bpfcc -### names '$vdir')" >&2
		exit 1
	fi
	cp "$vdir/vmlinux.h" "$tmp/vmlinux/vmlinux.h"
fi
compile clang "$clang" "${flags[@]}" "${clang_flags[@]}" -I"$tmp/vmlinux" || exit 1

status=0
for side in bpfcc clang; do
	(cd "$tmp/$side" && "$objdump" -d "$obj") >"$tmp/$side.objdump" 2>&1 || status=1
	"$bpftool" btf dump file "$tmp/$side/$obj" >"$tmp/$side.btf" 2>&1 || status=1
done
if [ $status -ne 0 ]; then
	echo "parity: llvm-objdump or bpftool failed on an object:" >&2
	cat "$tmp/bpfcc.objdump" "$tmp/bpfcc.btf" >&2
	exit 1
fi

btf_how=identical
if ! diff -u --label "bpfcc objdump" --label "clang objdump" \
	"$tmp/bpfcc.objdump" "$tmp/clang.objdump"; then
	echo "parity: $srcname: instructions of bpfcc and clang objects differ"
	status=1
fi
if ! cmp -s "$tmp/bpfcc.btf" "$tmp/clang.btf"; then
	canon=${BTF_CANON:-}
	if [ -n "$canon" ] && [ -x "$canon" ] &&
		"$canon" "$tmp/bpfcc/$obj" >"$tmp/bpfcc.canon" 2>&1 &&
		"$canon" "$tmp/clang/$obj" >"$tmp/clang.canon" 2>&1 &&
		cmp -s "$tmp/bpfcc.canon" "$tmp/clang.canon"; then
		btf_how="equal up to type-id order"
	else
		diff -u --label "bpfcc btf" --label "clang btf" "$tmp/bpfcc.btf" "$tmp/clang.btf"
		[ -f "$tmp/bpfcc.canon" ] && diff -u --label "bpfcc btf (canonical)" \
			--label "clang btf (canonical)" "$tmp/bpfcc.canon" "$tmp/clang.canon"
		echo "parity: $srcname: BTF of bpfcc and clang objects differ"
		status=1
	fi
fi
if [ $status -eq 0 ]; then
	echo "parity: $srcname: instructions identical" \
		"($(grep -c '^ *[0-9]*:' "$tmp/clang.objdump")), BTF $btf_how" \
		"($(grep -c '^\[' "$tmp/clang.btf") types)"
fi
exit $status
