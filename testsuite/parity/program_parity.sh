#!/bin/bash
# program_parity.sh - codegen parity (testsuite/samples/parity.sh) for one program test:
# the flags come from the file's "// bpfcc-flags: ..." line (default -O2 -g), and clang-19
# gets spelled out what bpfcc adds by itself: -target bpf, -mcpu=v3 unless the flags name a
# cpu, bpfcc's headers/, the multiarch include directory and __TARGET_ARCH_<arch>.
#
# The verdict is the runner's business (testsuite/programs): bpfcc compiles with
# --no-verify here, so rejected programs are compared too.
#
# Usage: program_parity.sh PARITY_SH BPFCC CLANG OBJDUMP BPFTOOL HEADERS MULTIARCH ARCH SOURCE
set -u
if [ $# -ne 9 ]; then
	echo "usage: $0 PARITY_SH BPFCC CLANG OBJDUMP BPFTOOL HEADERS MULTIARCH ARCH SOURCE" >&2
	exit 2
fi
parity=$1 bpfcc=$2 clang=$3 objdump=$4 bpftool=$5 headers=$6 multiarch=$7 arch=$8 src=$9

line=$(grep -m1 -o 'bpfcc-flags:.*' "$src" | sed 's/^bpfcc-flags://')
read -r -a flags <<<"$line"
[ ${#flags[@]} -eq 0 ] && flags=(-O2 -g)
extra=(-target bpf -I"$headers" -I"/usr/include/$multiarch" -D__TARGET_ARCH_"$arch")
case " ${flags[*]} " in
*" -mcpu="*) ;;
*) extra+=(-mcpu=v3) ;;
esac
case " ${flags[*]} " in
*" -O"*) ;;
*) flags=(-O2 "${flags[@]}") ;;
esac
# Program tests include programs the kernel rejects: compare the code, not the verdict.
export BPFCC_EXTRA_FLAGS=--no-verify
exec bash "$parity" "$bpfcc" "$clang" "$objdump" "$bpftool" "$src" "${flags[@]}" -- "${extra[@]}"
