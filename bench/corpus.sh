#!/bin/bash
# corpus.sh — how often bpfcc agrees with the kernel on the realistic program corpus.
#
#   bench/corpus.sh -B build [-v] [FILE.bpf.c ...]   # default: testsuite/programs/corpus
#
# Each file is compiled with bpfcc and the flags of its "// bpfcc-flags:" line, with
# --no-verify so that programs bpfcc refuses still get an object, then
# `bpfcc verify --against-kernel --format=json` gives both verdicts per program.  The
# figures are those issue 6 item 7 is graded on:
#   kernel accepts N: bpfcc accepts M (P%)            (target >= 99%)
#   kernel rejects K: bpfcc rejects R (Q%)            (target >= 90%)
#                     at the kernel's source line L   (target >= 85%)
# A program the kernel refuses before its verifier runs (lockdown EPERM) is not counted.
# A rejection whose kernel log names no source line (limits, checks made before the walk)
# counts as not at the line; a last line gives the figure among those with a line.
# -v lists every program with both verdicts, otherwise only the disagreements.  Needs
# root (CAP_BPF) for the kernel side and python3 for the JSON.  Not part of ctest: the
# program tests (ctest -R programs/corpus) check each expectation; this prints totals.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$root/build
verbose=0
while getopts "B:vh" opt; do
	case $opt in
	B) build=$(realpath "$OPTARG") ;;
	v) verbose=1 ;;
	*)
		sed -n '2,17s/^# \{0,1\}//p' "$0"
		exit 2
		;;
	esac
done
shift $((OPTIND - 1))
bpfcc=$build/bpfcc
if [ ! -x "$bpfcc" ]; then
	echo "corpus.sh: $bpfcc not built (cmake --build $build --target bpfcc)" >&2
	exit 2
fi
if [ $# -eq 0 ]; then
	set -- "$root"/testsuite/programs/corpus/*.bpf.c
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
for f in "$@"; do
	n=$((n + 1))
	name=$(basename "$f" .bpf.c)
	flags=$(sed -n '1,40{s|^//.*bpfcc-flags:||p}' "$f" | head -n 1)
	# shellcheck disable=SC2086 # the flags line is a list of words
	if ! "$bpfcc" $flags --no-verify -c "$f" -o "$tmp/$name.o" 2>"$tmp/$name.err"; then
		echo "compile-error $name: $(head -n 1 "$tmp/$name.err")" >>"$tmp/compile-errors"
		continue
	fi
	"$bpfcc" verify --against-kernel --format=json "$tmp/$name.o" >"$tmp/$name.json" 2>/dev/null
done

python3 - "$tmp" "$verbose" "$n" <<'EOF'
import glob, json, os, sys

tmp, verbose, nfiles = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3])
acc = acc_ok = rej = rej_ok = rej_line = skipped = no_line = 0
for path in sorted(glob.glob(os.path.join(tmp, "*.json"))):
    with open(path) as fh:
        try:
            doc = json.load(fh)
        except ValueError:
            print(f"unreadable  {os.path.basename(path)}: bpfcc verify wrote no JSON")
            continue
    diags = doc.get("diagnostics", [])
    for obj in doc.get("objects", []):
        for p in obj.get("programs", []):
            k = p.get("kernel") or {}
            kv, bv = k.get("verdict"), p.get("verdict")
            where = f"{os.path.basename(path)[:-5]}:{p['name']}"
            if kv not in ("accepted", "rejected") or k.get("before_verifier"):
                skipped += 1
                continue
            if kv == "accepted":
                acc += 1
                ok = bv == "success"
                acc_ok += ok
                if verbose or not ok:
                    first = next((d for d in diags if d.get("program") == p["name"]
                                  and d.get("level") == "error"), {})
                    print(f"{'agree' if ok else 'FALSE-REJECT':12} {where}: kernel accepts,"
                          f" bpfcc {bv}" + ("" if ok else
                          f" at insn {p.get('insn', '?')}, line {first.get('line', '?')}:"
                          f" {first.get('message', p.get('kernel_message', ''))}"))
                continue
            rej += 1
            ok = bv != "success"
            kline, kfile = k.get("line"), k.get("file") or ""
            at = ok and kline is not None and any(
                d.get("program") == p["name"] and d.get("level") == "error"
                and d.get("line") == kline
                and os.path.basename(d.get("file", "")) == os.path.basename(kfile)
                for d in diags)
            rej_ok += ok
            rej_line += at
            no_line += kline is None
            if verbose or not at:
                state = "agree" if at else "wrong-line" if ok else "MISSED"
                print(f"{state:12} {where}: kernel rejects at line {kline}"
                      f" ({k.get('message', '')}), bpfcc {bv}")

def pct(a, b):
    return f"{100.0 * a / b:.1f}%" if b else "-"

print(f"corpus: {nfiles} files, {acc + rej} programs compared, {skipped} not compared")
print(f"  kernel accepts {acc}: bpfcc accepts {acc_ok} ({pct(acc_ok, acc)}), target 99%")
print(f"  kernel rejects {rej}: bpfcc rejects {rej_ok} ({pct(rej_ok, rej)}), target 90%;"
      f" at the kernel's line {rej_line} ({pct(rej_line, rej)}), target 85%")
if no_line:
    print(f"  (the kernel's log names no source line for {no_line} of the {rej}: limits and"
          f" checks before its walk; among the {rej - no_line} with a line, bpfcc is at it in"
          f" {rej_line} ({pct(rej_line, rej - no_line)}))")
EOF
if [ -s "$tmp/compile-errors" ]; then
	echo "bpfcc could not compile (its programs are not counted):"
	cat "$tmp/compile-errors"
fi
