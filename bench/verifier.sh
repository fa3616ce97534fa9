#!/bin/bash
# verifier.sh — the preflight verifier against the kernel's own verifier, per program.
#
#   bench/verifier.sh -B build            # build dir holding bpfcc and the engine tests
#
# For every program of the corpus — the samples (compiled by bpfcc), the program tests
# of testsuite/programs (compiled by clang-19 with bpfcc's flags, so that programs bpfcc
# refuses still get an object) and the raw instruction cases of unit/verifier_engine —
# it prints bpfcc's verification time and processed instructions next to the kernel's
# ("verification time N usec", "processed N insns"), with the ratios, then a summary
# (bpfcc's time is the best of six runs, the kernel's the one it reports):
#   bench: time bpfcc/kernel max X (geomean Y), insns bpfcc/kernel max Z, slower on N
# Needs root (CAP_BPF) for the kernel side, python3 for the JSON.  Not part of ctest:
# timings mean something only on a quiet machine.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$root/build
clang=${CLANG:-clang-19}
while getopts "B:c:h" opt; do
	case $opt in
	B) build=$(realpath "$OPTARG") ;;
	c) clang=$OPTARG ;;
	*)
		sed -n '2,14s/^# \{0,1\}//p' "$0"
		exit 2
		;;
	esac
done
bpfcc=$build/bpfcc
cases=$build/testsuite/unit/verifier_engine/test_verifier_engine_kernel
for f in "$bpfcc" "$cases"; do
	if [ ! -x "$f" ]; then
		echo "verifier.sh: $f not built (cmake --build $build)" >&2
		exit 2
	fi
done
command -v "$clang" >/dev/null || clang=/usr/lib/llvm-19/bin/clang
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

objs=()
for src in "$root"/samples/*/*.bpf.c; do
	o=$tmp/sample_$(basename "$src" .bpf.c).o
	if (cd "$(dirname "$src")" && "$bpfcc" -O2 -g -c "$src" -o "$o") 2>/dev/null; then
		objs+=("$o")
	else
		echo "verifier.sh: skipping $src (bpfcc could not compile it)" >&2
	fi
done
while IFS= read -r src; do
	rel=${src#"$root"/testsuite/programs/}
	o=$tmp/prog_$(echo "${rel%.bpf.c}" | tr / _).o
	flags=$(sed -n 's|^// bpfcc-flags: ||p' "$src")
	# shellcheck disable=SC2086
	if "$clang" -O2 -g -target bpf -mcpu=v3 -I"$root/headers" -I"/usr/include/$multiarch" \
		$flags -c "$src" -o "$o" 2>/dev/null; then
		objs+=("$o")
	fi
done < <(find "$root/testsuite/programs" -name '*.bpf.c' | sort)

"$bpfcc" verify --format=json --against-kernel "${objs[@]}" >"$tmp/verify.json" 2>/dev/null
# bpfcc's time: the best of five more runs (one run is at the mercy of the machine's load)
for r in 1 2 3 4 5; do
	"$bpfcc" verify --format=json "${objs[@]}" >"$tmp/again$r.json" 2>/dev/null
done
"$cases" --bench 5 >"$tmp/cases.txt"

python3 - "$tmp/verify.json" "$tmp/cases.txt" "$tmp"/again*.json <<'PY'
import json, math, sys

best = {}
for f in sys.argv[3:]:
    for obj in json.load(open(f)).get("objects", []):
        for p in obj.get("programs", []):
            d = (p.get("stats") or {}).get("duration_us")
            if d is not None:
                key = (obj["file"], p["name"])
                best[key] = min(best.get(key, d), d)
rows = []
doc = json.load(open(sys.argv[1]))
for obj in doc.get("objects", []):
    base = obj["file"].rsplit("/", 1)[-1][:-2]
    for p in obj.get("programs", []):
        k, st = p.get("kernel") or {}, p.get("stats") or {}
        if k.get("before_verifier") or k.get("verification_usec", -1) < 0:
            continue
        if not st.get("total_insns"):
            continue  # refused before the exploration (object checks, structure)
        us = min(st.get("duration_us", 0), best.get((obj["file"], p["name"]), 1e18))
        rows.append((base + ":" + p["name"], k["verification_usec"], k.get("processed_insns", -1),
                     float(us), st["total_insns"],
                     p.get("agreement") == "agree"))
for line in open(sys.argv[2]):
    name, kus, kin, bus, bin_, _mem = line.split()
    rows.append(("engine:" + name, int(kus), int(kin), float(bus), int(bin_), True))

print("%-48s %10s %10s %6s %9s %9s %6s" % ("program", "kernel us", "bpfcc us", "time", "kern insn",
                                          "bpfcc insn", "insns"))
tr, ir, slower = [], [], 0
for name, kus, kin, bus, bin_, agree in rows:
    t = bus / kus if kus > 0 else 0.0
    i = bin_ / kin if kin > 0 else 0.0
    if kus > 0:
        tr.append(max(t, 1e-3))
        slower += t > 1.0
    # instruction counts compare only where both verdicts agree: where the kernel stops at
    # an error part one does not model, bpfcc goes on exploring
    if kin > 0 and agree:
        ir.append(i)
    print("%-48s %10d %10.1f %6.2f %9d %9d %6.2f%s" % (name[:48], kus, bus, t, kin, bin_, i,
                                                      "" if agree else "  (verdicts differ)"))
gm = math.exp(sum(math.log(x) for x in tr) / len(tr)) if tr else 0
print("bench: %d programs; time bpfcc/kernel max %.2f (geomean %.3f), insns bpfcc/kernel "
      "max %.2f min %.2f, slower than the kernel on %d" %
      (len(rows), max(tr or [0]), gm, max(ir or [0]), min(ir or [0]), slower))
PY
