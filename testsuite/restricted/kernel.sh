#!/usr/bin/env bash
# The kernel's side of a restricted-C test.  A program bpfcc accepts (empty golden file)
# is compiled by bpfcc and must load into the running kernel.  A program bpfcc rejects is
# compiled by plain clang-19 with the same flags: either clang refuses it too, or the
# kernel (or libbpf, resolving externs) must refuse clang's object.  A source line
# "kernel-verdict: accept" records a rule where bpfcc is deliberately stricter than the
# kernel (the object loads but cannot work as written); the test then checks that the
# kernel does accept it, so the note stays true.
# usage: kernel.sh BPFCC CLANG LOADER SRC [CLANG_EXTRA_FLAGS...]
# exit: 0 agree, 1 disagree, 77 the kernel cannot be asked here
set -u
bpfcc=$1 clang=$2 loader=$3 src=$4
shift 4
dir=$(dirname "$src") name=$(basename "$src")
golden=$dir/${name%.bpf.c}.expected
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$dir" || exit 1
flags=(-O2 -g -mcpu=v3)

if [ ! -s "$golden" ]; then
  "$bpfcc" "${flags[@]}" -c "$name" -o "$tmp/prog.o" || { echo "FAIL: bpfcc did not compile it"; exit 1; }
  "$loader" "$tmp/prog.o"
  status=$?
  case $status in
    0) echo "PASS: bpfcc accepts and the kernel loads $name"; exit 0 ;;
    77) exit 77 ;;
    *) echo "FAIL: bpfcc accepts $name but the kernel refuses it"; exit 1 ;;
  esac
fi

if ! "$clang" "${flags[@]}" "$@" -c "$name" -o "$tmp/prog.o" 2>"$tmp/clang.err"; then
  echo "PASS: clang-19 refuses $name as well:"
  grep -m1 "error:" "$tmp/clang.err"
  exit 0
fi
"$loader" "$tmp/prog.o"
status=$?
[ $status = 77 ] && exit 77
if grep -q "kernel-verdict: accept" "$name"; then
  [ $status = 0 ] && { echo "PASS: the kernel loads $name; bpfcc is stricter on purpose"; exit 0; }
  echo "FAIL: the kernel refuses $name although it is documented to accept it"; exit 1
fi
[ $status = 1 ] && { echo "PASS: bpfcc and the kernel both refuse $name"; exit 0; }
echo "FAIL: bpfcc refuses $name but the kernel loads clang's object (loader status $status)"
exit 1
