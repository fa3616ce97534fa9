#!/usr/bin/env python3
"""gen_helper_protos.py - writes ../helper_protos.def, the helper prototype table, from
what the running kernel answered (protos-<version>.txt, written by probe_protos.c) and,
where probing cannot tell, from the kernel's bpf_func_proto definitions as read by hand
(source-<version>.txt).  Where both speak, the kernel's answer is kept and the source is
only compared: every disagreement is listed on stderr (and belongs in
differences-<version>.md).

The kernel's argument checks (check_func_arg) this interprets:
  R<n> !read_ok with the register unset       the argument is used (else ARG_DONTCARE)
  R<n> type=<t> expected=<list>               <list> = the kind's compatible types
  fp and a scalar both accepted               ARG_ANYTHING
  "invalid zero-sized read" for 0             ARG_CONST_SIZE (else ..._OR_ZERO)
  "is not a known constant" for an unknown    ARG_CONST_ALLOC_SIZE_OR_ZERO
  0 accepted where the list has no scalar     PTR_MAYBE_NULL
  a 1-byte stack buffer refused with size=K   fixed size K (key / value / MEM_FIXED_SIZE)
  then fp-251 "misaligned stack access"       MEM_ALIGNED
  a frozen read-only map value, a bpf_timer or a bpf_spin_lock field (map with BTF)
  accepted for a "map_value" list: PTR_TO_CONST_STR, PTR_TO_TIMER, PTR_TO_SPIN_LOCK
  never-written stack accepted without CAP_PERFMON   MEM_UNINIT (with MEM_WRITE)
  "write into map forbidden" for a read-only map value: the helper writes (MEM_WRITE;
  also MEM_UNINIT unless the never-written-stack probe or the source says otherwise)
  r0's state printed after the call            the return type ("void": none printed)

Usage: gen_helper_protos.py protos-6.18.txt source-6.18.txt > ../helper_protos.def
"""
import re
import sys

HERE = sys.path[0]
HELPERS_DEF = HERE + "/../../check/helpers.def"
ALLOW_DEF = HERE + "/../../check/helper_allow.def"

# Refusals check_helper_call() makes before it looks at any argument.
PRE_ARG = ("not allowed in probe", "cannot call GPL-restricted", "program of this type cannot",
           "unknown func", "invalid func", "might sleep")
# Flags a probe sees (the others - OBJ_RELEASE, DYNPTR_*, MEM_ALIGNED, and MEM_UNINIT, which
# a privileged load cannot tell from a plain write since uninitialised stack may be read -
# come from the source when it has the argument).
PROBED_FLAGS = {"MAYBE_NULL", "MEM_RDONLY", "MEM_WRITE", "MEM_FIXED_SIZE", "MEM_ALIGNED"}
MEM_LIST = "fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_"
LIST_KIND = {
    "map_ptr": "CONST_MAP_PTR",
    "ctx": "PTR_TO_CTX",
    "sock_common, sock, tcp_sock, xdp_sock": "PTR_TO_SOCK_COMMON",
    "sock": "PTR_TO_SOCKET",
    "sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_": "PTR_TO_BTF_ID_SOCK_COMMON",
    "ptr_, trusted_ptr_, rcu_ptr_": "PTR_TO_BTF_ID",
    "percpu_ptr_, percpu_rcu_ptr_, percpu_trusted_ptr_": "PTR_TO_PERCPU_BTF_ID",
    "fp, dynptr_ptr": "PTR_TO_DYNPTR",
    "func": "PTR_TO_FUNC",
    "ringbuf_mem": "PTR_TO_RINGBUF_MEM",
    "fp": "PTR_TO_STACK",
}


def read_helpers():
    names = {}
    for line in open(HELPERS_DEF):
        m = re.match(r"CHECK_HELPER\((\d+), (\w+), (-?\d), (\d+), (\d+)", line)
        if m:
            names[int(m.group(1))] = m.group(2)
    return names


def read_sleep_only():
    """Helpers offered to a sleepable configuration but not to the same one without
    BPF_F_SLEEPABLE: the kernel refuses them there as 'might sleep' (fn->might_sleep)."""
    rows = {}
    for line in open(ALLOW_DEF):
        m = re.match(r"CHECK_HELPER_ALLOW\((\d+), (-?\d+), (\d), PROBE, (.*)\)", line)
        if not m:
            continue
        words = [int(w.strip().rstrip("ull"), 16) for w in m.group(4).split(",")]
        bits = sum(w << (64 * i) for i, w in enumerate(words))
        rows[(int(m.group(1)), int(m.group(2)), int(m.group(3)))] = bits
    sleep = set()
    for (p, a, s), bits in rows.items():
        if s == 1 and (p, a, 0) in rows:
            extra = bits & ~rows[(p, a, 0)]
            sleep |= {i for i in range(256) if extra >> i & 1}
    return sleep


def read_probe(path):
    """helper id -> dict(config, args{n: {probe: msg}}, keep{n: value}, final, ret); the
    last block of a helper wins (the probe retries some in another configuration)."""
    helpers = {}
    kernel = "?"
    for line in open(path):
        line = line.rstrip("\n")
        f = line.split(" ", 4)
        if f[0] == "kernel":
            kernel = line.split(" ", 1)[1]
        elif f[0] == "helper":
            hid = int(f[1])
            helpers[hid] = {"config": f[2:] if f[2] != "none" else None,
                            "args": {}, "keep": {}, "final": None, "ret": None, "pkt": [],
                            "uninit": {}}
        elif f[0] == "arg":
            h = helpers[int(f[1])]
            h["args"].setdefault(int(f[2]), {})[f[3]] = f[4] if len(f) > 4 else ""
        elif f[0] == "pkt":
            n = int(f[2])
            m = line.split(" ", 4)[4] if len(line.split(" ", 4)) > 4 else ""
            helpers[int(f[1])]["pkt"].append(
                0 if "packet is not allowed" in m else (0 if refused(m, n) else 1))
        elif f[0] == "uninit":
            n = int(f[2])
            m = line.split(" ", 3)[3] if len(line.split(" ", 3)) > 3 else ""
            if re.search(r"invalid read from stack R%d " % n, m):
                helpers[int(f[1])]["uninit"][n] = False
            elif not refused(m, n) and not m.startswith(("errno", "program of this type")):
                helpers[int(f[1])]["uninit"][n] = True
        elif f[0] == "keep":
            helpers[int(f[1])]["keep"][int(f[2])] = f[3]
        elif f[0] == "final":
            helpers[int(f[1])]["final"] = line.split(" ", 3)[3]
        elif f[0] == "ret":
            helpers[int(f[1])]["ret"] = line.split(" ", 2)[2].strip()
    return kernel, helpers


def read_source(path):
    """Lines: <id> ret=<KIND>[|FLAG...] [argN=<KIND>[|FLAG...][:size]] [pkt_access]
    [might_sleep]  # comment"""
    src = {}
    names = read_helpers()
    for line in open(path):
        if "#" in line and line.split("#", 1)[0].strip():
            # The comment starts with the helper's name: a wrong id is caught here.
            hid, name = int(line.split()[0]), line.split("#", 1)[1].split()[0]
            if names.get(hid) != name:
                sys.exit("%s: helper %d is %s, not %s" % (path, hid, names.get(hid), name))
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        f = line.split()
        e = {"args": {}, "pkt_access": 0, "might_sleep": 0}
        for tok in f[1:]:
            if tok.startswith("ret="):
                e["ret"] = tok[4:]
            elif tok.startswith("arg"):
                n, v = tok[3:].split("=", 1)
                e["args"][int(n)] = v
            elif tok in ("pkt_access", "might_sleep"):
                e[tok] = 1
        src[int(f[0])] = e
    return src


def expected_list(msgs):
    for p in ("s8", "fp", "su", "ro", "s0"):
        m = re.search(r"expected=(.*)$", msgs.get(p, ""))
        if m:
            return m.group(1).strip()
    return None


def refused(msg, n):
    if msg is None:
        return True
    return bool(re.search(r"(^|[ (])R%d[ =]" % n, msg) or "arg #%d" % (n - 1) in msg
                or "arg %d " % n in msg)


def classify(h, n, prev):
    """(kind, flags, size, accepts) for argument n from the probe, None if not probed."""
    msgs = h["args"].get(n)
    if msgs is None:
        return None
    ok = {p: not refused(m, n) for p, m in msgs.items()}
    if any(pat in msgs.get("unset", "") for pat in PRE_ARG):
        return None  # refused before the arguments were looked at
    if ok.get("unset"):
        return ("DONTCARE", [], 0, "")
    lst = expected_list(msgs)
    flags, size = [], 0
    if ok.get("fp") and ok.get("s8"):
        return ("ANYTHING", [], 0, "")
    if lst == "scalar" or (ok.get("s8") and not ok.get("fp")):
        kind = "CONST_SIZE_OR_ZERO"
        if "zero-sized" in msgs.get("s0", ""):
            kind = "CONST_SIZE"
        if "not a known constant" in msgs.get("su", ""):
            kind = "CONST_ALLOC_SIZE_OR_ZERO"
        return (kind, [], 0, lst or "scalar")
    if lst is None:
        return ("UNKNOWN", [], 0, "")
    if ok.get("s0"):
        flags.append("MAYBE_NULL")
    if lst == MEM_LIST:
        fixed = re.search(r"invalid (read from|write to) stack R%d off=-1 size=(\d+)" % n,
                          msgs.get("fp1", ""))
        map_before = any(a[0] == "CONST_MAP_PTR" for a in prev)
        wrote = "write into map forbidden" in (msgs.get("ro", "") + msgs.get("rosized", ""))
        if fixed and map_before and int(fixed.group(2)) == 4:
            kind = "PTR_TO_MAP_KEY"
        elif fixed and map_before and int(fixed.group(2)) == 8:
            kind = "PTR_TO_MAP_VALUE"
        else:
            kind = "PTR_TO_MEM"
            if fixed:
                flags.append("MEM_FIXED_SIZE")
                size = int(fixed.group(2))
                if "misaligned" in msgs.get("fpmis", ""):
                    flags.append("MEM_ALIGNED")
        if wrote:
            # Never-written stack accepted without CAP_PERFMON: MEM_UNINIT; refused: the
            # helper also reads it; not asked (program type needs CAP_PERFMON): assume
            # ARG_PTR_TO_UNINIT_MEM, the common case.
            flags += ["MEM_WRITE"] + ([] if h["uninit"].get(n) is False else ["MEM_UNINIT"])
        elif kind == "PTR_TO_MEM":
            flags.append("MEM_RDONLY")
        return (kind, flags, size, lst)
    keep = h["keep"].get(n)
    if lst == "map_value" and keep in ("ro", "timer"):
        # A frozen read-only map value passed: a constant string; a bpf_timer field: a timer.
        return ("PTR_TO_CONST_STR" if keep == "ro" else "PTR_TO_TIMER", flags, 0, lst)
    if lst == "map_value, ptr_" and keep == "lock":
        return ("PTR_TO_SPIN_LOCK", flags, 0, lst)
    if lst in LIST_KIND:
        kind = LIST_KIND[lst]
        if "unacquired reference" in msgs.get("fp", "") + (h.get("final") or ""):
            flags.append("OBJ_RELEASE")
        return (kind, flags, 0, lst)
    return ("UNKNOWN", flags, 0, lst)  # map_value, "map_value, ptr_": the source decides


RET_MAP = [
    (r"^R0=scalar", "INTEGER", []),
    (r"^R0=map_value_or_null", "PTR_TO_MAP_VALUE", ["MAYBE_NULL"]),
    (r"^R0=map_value", "PTR_TO_MAP_VALUE", []),
    (r"^R0=sock_or_null", "PTR_TO_SOCKET", ["MAYBE_NULL"]),
    (r"^R0=sock_common_or_null", "PTR_TO_SOCK_COMMON", ["MAYBE_NULL"]),
    (r"^R0=tcp_sock_or_null", "PTR_TO_TCP_SOCK", ["MAYBE_NULL"]),
    (r"^R0=ringbuf_mem_or_null", "PTR_TO_MEM", ["MAYBE_NULL", "MEM_RINGBUF"]),
    (r"^R0=ptr_or_null_", "PTR_TO_BTF_ID", ["MAYBE_NULL"]),
    (r"^R0=trusted_ptr_", "PTR_TO_BTF_ID", ["PTR_TRUSTED"]),
    (r"^R0=ptr_", "PTR_TO_BTF_ID", []),
    (r"^R0=rdonly_mem_or_null", "PTR_TO_MEM", ["MAYBE_NULL", "MEM_RDONLY"]),
    (r"^R0=mem_or_null", "PTR_TO_MEM", ["MAYBE_NULL"]),
]


def classify_ret(h):
    r0 = h.get("ret")
    if not r0 or r0 == "?":
        final = h.get("final") or ""
        # Loaded (or refused only at exit) with no r0 state: r0 was left unset (RET_VOID).
        if final == "ok":
            return ("VOID", [], "")
        return None
    if r0 == "void":
        return ("VOID", [], "")  # the call verified and r0 was left unset
    r0 = re.sub(r"map=\w+,", "", r0)
    for pat, kind, flags in RET_MAP:
        if re.match(pat, r0):
            return (kind, flags, r0)
    return ("UNKNOWN", [], r0)


def parse_kind(text):
    parts = text.split(":")
    size = int(parts[1]) if len(parts) > 1 else 0
    kf = parts[0].split("|")
    return kf[0], kf[1:], size


def flags_c(prefix, flags):
    return " | ".join("VRF_%s_%s" % (prefix, f) for f in flags) if flags else "0"


def main():
    kernel, probe = read_probe(sys.argv[1])
    src = read_source(sys.argv[2])
    names = read_helpers()
    sleep = read_sleep_only()
    diffs = []
    out = []
    stats = {"arg_probe": 0, "arg_source": 0, "arg_unknown": 0, "ret_probe": 0,
             "ret_source": 0, "ret_unknown": 0, "pkt_probe": 0}
    for hid in sorted(names):
        h = probe.get(hid, {"args": {}, "keep": {}, "config": None})
        s = src.get(hid, {"args": {}, "pkt_access": 0, "might_sleep": 0})
        args = []
        for n in range(1, 6):
            p = classify(h, n, args)
            sk = s["args"].get(n)
            if sk:
                skind, sflags, ssize = parse_kind(sk)
            if p and p[0] != "UNKNOWN":
                kind, flags, size, acc = p
                srcname = "PROBE"
                stats["arg_probe"] += 1
                seen = PROBED_FLAGS if kind != "PTR_TO_DYNPTR" else set()
                if h.get("uninit", {}).get(n) is not None and "MEM_WRITE" in flags:
                    seen = seen | {"MEM_UNINIT"}
                if sk and (skind != kind or
                           sorted(set(sflags) & seen) != sorted(set(flags) & seen)
                           or (ssize and ssize != size)):
                    diffs.append("%s#%d arg%d: kernel %s source %s" % (
                        names[hid], hid, n, "|".join([kind] + flags), sk))
                elif sk:
                    # Same kind: the flags probing cannot see come from the source.
                    flags = [f for f in flags if f in seen] + \
                        [f for f in sflags if f not in seen]
            elif sk:
                kind, flags, size = skind, sflags, ssize
                acc = p[3] if p else ""
                srcname = "SOURCE"
                stats["arg_source"] += 1
            elif "ret" in s and not (p and p[0] not in ("UNKNOWN",)):
                # A whole prototype in the source: arguments it does not list are unused.
                kind, flags, size, acc, srcname = "DONTCARE", [], 0, p[3] if p else "", "SOURCE"
                stats["arg_source"] += 1
            elif n > 1 and args and args[-1][0] == "DONTCARE":
                kind, flags, size, acc, srcname = "DONTCARE", [], 0, "", args[-1][4]
            else:
                kind, flags, size, acc, srcname = "UNKNOWN", [], 0, p[3] if p else "", "NONE"
                stats["arg_unknown"] += 1
            args.append((kind, flags, size, acc, srcname))
        r = classify_ret(h)
        if r and r[0] != "UNKNOWN":
            rkind, rflags, rtext = r
            rsrc = "PROBE"
            stats["ret_probe"] += 1
            if "ret" in s:
                skind, sflags, _ = parse_kind(s["ret"])
                if skind != rkind or sorted(sflags) != sorted(rflags):
                    diffs.append("%s#%d ret: kernel %s source %s" % (
                        names[hid], hid, "|".join([rkind] + rflags), s["ret"]))
        elif "ret" in s:
            rkind, rflags, _ = parse_kind(s["ret"])
            rtext, rsrc = (r[2] if r else ""), "SOURCE"
            stats["ret_source"] += 1
        else:
            rkind, rflags, rtext, rsrc = "UNKNOWN", [], (r[2] if r else ""), "NONE"
            stats["ret_unknown"] += 1
        msleep = 1 if (hid in sleep or s["might_sleep"]) else 0
        # pkt_access: a packet pointer passed in a sched_cls/xdp program (probe), else source.
        pkt = s["pkt_access"]
        if h.get("pkt"):
            pkt = 0 if 0 in h["pkt"] else 1
            if pkt != s["pkt_access"] and hid in src:
                diffs.append("%s#%d pkt_access: kernel %d source %d" % (
                    names[hid], hid, pkt, s["pkt_access"]))
            stats["pkt_probe"] += 1
        cfg = h.get("config")
        cfgtext = "%s/%s/%s" % (cfg[0], cfg[1], cfg[2].split()[0]) if cfg else "none"
        nargs = next((i for i, a in enumerate(args) if a[0] == "DONTCARE"), 5)
        line = "VRF_HELPER_PROTO(%d, %s, %d, %d, %s, %d,\n" % (
            hid, names[hid], msleep, pkt,
            cfgtext.replace("/", ", ") if cfg else "-1, -1, 0", nargs)
        line += "\tVRF_RET(%s, %s, %s, \"%s\"),\n" % (rkind, flags_c("RETF", rflags), rsrc,
                                                     rtext.replace('"', "'"))
        arg_lines = []
        for kind, flags, size, acc, srcname in args:
            arg_lines.append("\tVRF_ARG(%s, %s, %d, %s, \"%s\")" % (
                kind, flags_c("ARGF", flags), size, srcname, acc))
        out.append(line + ",\n".join(arg_lines) + ")")
    print("/*")
    print(" * helper_protos.def -")
    print(" *   every BPF helper's prototype as the kernel checks it (struct bpf_func_proto):")
    print(" *   argument kinds and flags, the register types each argument accepts, the return")
    print(" *   kind, might_sleep and pkt_access.")
    print(" *")
    print(" * GENERATED by compiler/verifier/gen/gen_helper_protos.py from the running kernel")
    print(" * (%s, gen/protos-6.18.txt) and, where probing cannot tell, from the" % kernel)
    print(" * kernel's source (gen/source-6.18.txt); do not edit, rerun the generator.")
    print(" * VRF_HELPER_PROTO(id, name, might_sleep, pkt_access (probed in sched_cls/xdp where")
    print(" *                  the helper may be called with a stack buffer argument, else from")
    print(" *                  the source: 0 when not listed), probed prog type, attach type,")
    print(" *                  prog flags, nargs,")
    print(" *   VRF_RET(kind, flags, source, r0 as the kernel printed it),")
    print(" *   VRF_ARG(kind, flags, fixed size, source, accepted register types) x 5)")
    print(" * source: PROBE = the kernel answered, SOURCE = bpf_func_proto read by hand,")
    print(" * NONE = unknown.  Accepted types: the kernel's \"expected=\" list for that argument.")
    print(" */")
    for o in out:
        print(o)
    for d in diffs:
        print("difference: " + d, file=sys.stderr)
    print("stats: " + " ".join("%s=%d" % kv for kv in stats.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
