#!/usr/bin/env bash
# One restricted-C test: compile SRC with bpfcc; its standard error must equal the golden
# file SRC minus .bpf.c plus .expected (empty: the program must compile).  A rejected
# program must leave an existing output file byte for byte as it was.
# usage: run.sh BPFCC SRC
set -u
bpfcc=$1 src=$2
dir=$(dirname "$src") name=$(basename "$src")
golden=$dir/${name%.bpf.c}.expected
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'previous bytes\n' >"$tmp/out.o"
cd "$dir" || exit 1
"$bpfcc" -O2 -g -mcpu=v3 -fdiagnostics-color=never -c "$name" -o "$tmp/out.o" 2>"$tmp/stderr"
status=$?
fail=0
if [ -s "$golden" ]; then
  if [ "$status" != 1 ]; then echo "FAIL: expected exit status 1, got $status"; fail=1; fi
  if [ "$(cat "$tmp/out.o")" != "previous bytes" ]; then
    echo "FAIL: the existing output file was changed"; fail=1
  fi
  if [ "$(ls -A "$tmp" | wc -l)" != 2 ]; then
    echo "FAIL: files left behind: $(ls -A "$tmp")"; fail=1
  fi
else
  if [ "$status" != 0 ]; then echo "FAIL: expected success, got exit status $status"; fail=1; fi
  if ! head -c4 "$tmp/out.o" | grep -q "ELF"; then echo "FAIL: no ELF object written"; fail=1; fi
fi
if ! diff -u "$golden" "$tmp/stderr"; then echo "FAIL: diagnostics differ from $golden"; fail=1; fi
[ $fail = 0 ] && echo "PASS: $name (exit $status)"
exit $fail
