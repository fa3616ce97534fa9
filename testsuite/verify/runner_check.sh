#!/usr/bin/env bash
# Self-test of the program-test runner (testsuite/programs/runner.c): runs it on one file
# of runner/ whose expectation is deliberately right or wrong and checks the runner's exit
# status and its verdict line, so that a runner that passes everything cannot go unseen.
#
#   runner_check.sh FILE WANT_EXIT REGEX     env: RUNNER BPFCC CLANG HEADERS MULTIARCH
#
# Exit 77 (skip) when the kernel cannot be asked: the runner's verdicts need it.
set -u
file=${1:?} want=${2:?} regex=${3:?}
: "${RUNNER:?}" "${BPFCC:?}" "${CLANG:?}" "${HEADERS:?}" "${MULTIARCH:=}"

out=$("$RUNNER" --bpfcc "$BPFCC" --clang "$CLANG" --headers "$HEADERS" \
	${MULTIARCH:+--multiarch "$MULTIARCH"} "$file" 2>&1)
status=$?
if grep -q "kernel not asked" <<<"$out"; then
	echo "SKIP: the runner could not ask the kernel:"
	echo "$out"
	exit 77
fi
echo "$out"
if [ "$status" != "$want" ]; then
	echo "FAIL: the runner exited $status, expected $want"
	exit 1
fi
if ! grep -Eq -- "$regex" <<<"$out"; then
	echo "FAIL: no line of the runner's output matches: $regex"
	exit 1
fi
echo "PASS: exit $status and a line matching: $regex"
