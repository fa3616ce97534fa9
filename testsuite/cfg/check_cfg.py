#!/usr/bin/env python3
"""Tests of `bpfcc verify --emit-cfg`: the picture of each program's control-flow graph.

    check_cfg.py CASE     env: BPFCC, CLANG, MULTIARCH (as testsuite/verify/run.sh)

The objects are built by clang from src/ in a fresh directory.  The DOT file bpfcc writes
is parsed here (a small parser of the DOT language: statements, attribute lists, quoted
strings, subgraphs), never compared as text, and its highlighted path is checked against
what does not come from bpfcc's renderer:

  path_markers  the source marks each line "on" or "off" the failing path; every block
                holding an "off" line is plain, every "on" line sits in a red block, the
                red edges lead from the entry block to the failing block, which is the
                one holding the instruction `bpfcc verify --format=json` reports.
  path_kernel   the kernel's own log of the failing path (log_level 1 keeps only the path
                that failed): the red blocks are exactly the blocks of the instructions it
                printed, the red edges exactly the block changes between them.  Needs BPF
                privileges (exit 77 otherwise).
  accepted      a program the kernel loads: nothing red.
  multi         three programs in one object: one cluster each, only the refused one red.
  unwritable    a destination that cannot be written: exit 2, a one-line error naming it,
                nothing left behind.
  no_dot        FILE.svg without Graphviz's dot on PATH: exit 2, one line naming 'dot',
                no file.
  svg           FILE.svg: well-formed XML whose red (class "path") nodes and edges are
                the ones of the DOT file.  Needs dot (exit 77 otherwise).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
SKIP = 77


class Fail(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)


# --- a parser of the DOT language (the subset Graphviz documents for statements) -------

TOKEN = re.compile(r'\s*(?:(//[^\n]*|#[^\n]*|/\*.*?\*/)|("(?:[^"\\]|\\.)*")|(->|--)|'
                   r'([A-Za-z_\x80-\uffff][A-Za-z_0-9\x80-\uffff]*|-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?))|'
                   r'([{}\[\];,=:]))', re.S)


def tokens(text):
    pos, out = 0, []
    while True:
        m = TOKEN.match(text, pos)
        if not m:
            check(text[pos:].strip() == "", "DOT: cannot read at offset %d: %r" %
                  (pos, text[pos:pos + 40]))
            return out
        pos = m.end()
        if m.group(1):
            continue
        if m.group(2):
            out.append(("id", m.group(2)[1:-1].replace('\\"', '"')))
        elif m.group(3):
            out.append(("edgeop", m.group(3)))
        elif m.group(4):
            out.append(("id", m.group(4)))
        else:
            out.append((m.group(5), m.group(5)))


class Graph:
    def __init__(self):
        self.nodes = {}     # id -> attrs
        self.node_cluster = {}  # id -> list of enclosing subgraph names, outermost first
        self.edges = []     # (from, to, attrs)
        self.clusters = {}  # name -> attrs (label ...)
        self.name = None


def parse_dot(text):
    toks = tokens(text)
    g = Graph()
    i = 0

    def peek(k=0):
        return toks[i + k] if i + k < len(toks) else (None, None)

    def take(kind=None):
        nonlocal i
        t = peek()
        check(t[0] is not None, "DOT: unexpected end")
        check(kind is None or t[0] == kind, "DOT: expected %s, got %r" % (kind, t))
        i += 1
        return t[1]

    def attr_list():
        attrs = {}
        while peek()[0] == "[":
            take("[")
            while peek()[0] != "]":
                k = take("id")
                take("=")
                attrs[k] = take("id")
                if peek()[0] in (",", ";"):
                    take()
            take("]")
        return attrs

    def stmts(stack):
        while peek()[0] not in ("}", None):
            t = peek()
            if t == ("id", "subgraph") or t[0] == "{":
                name = None
                if t[0] == "id":
                    take()
                    if peek()[0] == "id":
                        name = take()
                take("{")
                g.clusters.setdefault(name, {})
                stmts(stack + [name])
                take("}")
            elif t[0] == "id" and t[1] in ("graph", "node", "edge") and peek(1)[0] == "[":
                take()
                attr_list()
            elif t[0] == "id" and peek(1)[0] == "=":
                k = take()
                take("=")
                v = take("id")
                if stack:
                    g.clusters.setdefault(stack[-1], {})[k] = v
            else:
                a = take("id")
                if peek()[0] == "edgeop":
                    take("edgeop")
                    b = take("id")
                    g.edges.append((a, b, attr_list()))
                else:
                    g.nodes.setdefault(a, {}).update(attr_list())
                    g.node_cluster[a] = list(stack)
            if peek()[0] == ";":
                take(";")

    check(take("id") == "digraph", "DOT: not a digraph")
    if peek()[0] == "id":
        g.name = take()
    take("{")
    stmts([])
    take("}")
    check(peek()[0] is None, "DOT: text after the graph")
    return g


def classes(attrs):
    return set(attrs.get("class", "").split())


def red(attrs):
    return attrs.get("color") == "red" or "path" in classes(attrs)


# --- what a graph says ---------------------------------------------------------------

RANGE = re.compile(r"^insns? (\d+)(?:-(\d+))?\\l")
SRC = re.compile(r"\\l([^\\:]+):(\d+): ")


def blocks_of(g, prefix):
    """{node: (first, last, [source lines])} of the program whose node ids start with prefix."""
    out = {}
    for n, a in g.nodes.items():
        if not n.startswith(prefix + "_b"):
            continue
        m = RANGE.match(a.get("label", ""))
        check(m, "node %s: label does not start with its instruction range: %r" %
              (n, a.get("label")))
        first = int(m.group(1))
        last = int(m.group(2) or first)
        lines = [int(x) for _, x in SRC.findall(a["label"])]
        out[n] = (first, last, lines)
    return out


def block_holding(blocks, insn):
    for n, (first, last, _) in blocks.items():
        if first <= insn <= last:
            return n
    return None


def run(args, env=None, cwd=None):
    p = subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def build(tmp):
    clang = os.environ["CLANG"]
    multiarch = os.environ.get("MULTIARCH", "")
    for s in os.listdir(os.path.join(HERE, "src")):
        if not s.endswith(".bpf.c"):
            continue
        shutil.copy(os.path.join(HERE, "src", s), tmp)
        args = [clang, "-O2", "-g", "-target", "bpf", "-c", s, "-o", s[:-6] + ".o"]
        if multiarch:
            args[1:1] = ["-I/usr/include/" + multiarch]
        rc, out, err = run(args, cwd=tmp)
        check(rc == 0, "clang cannot compile %s: %s" % (s, err))


def emit(tmp, obj, name, *extra):
    """bpfcc verify --emit-cfg=name --format=json obj: (exit status, verdict json, graph)."""
    rc, out, err = run([os.environ["BPFCC"], "verify", "--format=json", "--emit-cfg=" + name] +
                       list(extra) + [obj], cwd=tmp)
    check(rc in (0, 1), "bpfcc verify exited %d: %s" % (rc, err))
    with open(os.path.join(tmp, name)) as f:
        return rc, json.loads(out), parse_dot(f.read())


def verdict_insns(doc):
    """{program: failing insn} from the verify JSON document."""
    out = {}
    for o in doc["objects"]:
        for p in o["programs"]:
            b = p.get("bpfcc", p)
            insn = b.get("insn", -1)
            if insn is not None and insn >= 0:
                out[p["name"]] = insn
    return out


def marked_lines(src):
    on, off, fails = set(), set(), None
    with open(src) as f:
        for no, line in enumerate(f, 1):
            if re.search(r"/\* on\b", line):
                on.add(no)
            if "/* off" in line:
                off.add(no)
            if "fails" in line and "/* on" in line:
                fails = no
    return on, off, fails


def program_prefix(g, name):
    for c, a in g.clusters.items():
        if c and re.fullmatch(r"cluster_p\d+", c) and a.get("label", "").startswith(name + " ("):
            return c[len("cluster_"):]
    raise Fail("no cluster for program %s (clusters: %s)" % (name, sorted(map(str, g.clusters))))


def red_parts(g, prefix):
    nodes = {n for n, a in g.nodes.items() if n.startswith(prefix + "_") and red(a)}
    edges = {(a, b) for a, b, at in g.edges if a.startswith(prefix + "_") and red(at)}
    return nodes, edges


def fault_nodes(g, prefix):
    return {n for n, a in g.nodes.items()
            if n.startswith(prefix + "_") and "fault" in classes(a)}


# --- the cases -------------------------------------------------------------------------

def check_chain(g, prefix, blocks, fault):
    """The red edges join red blocks and lead from the entry block to the fault block."""
    nodes, edges = red_parts(g, prefix)
    entry = block_holding(blocks, 0)
    check(entry in nodes, "the entry block %s is not red" % entry)
    for a, b in edges:
        check(a in nodes and b in nodes, "red edge %s -> %s joins a plain block" % (a, b))
    seen, todo = {entry}, [entry]
    while todo:
        n = todo.pop()
        for a, b in edges:
            if a == n and b not in seen:
                seen.add(b)
                todo.append(b)
    check(seen == nodes, "red blocks not reached from the entry over red edges: %s" %
          sorted(nodes - seen))
    check(fault in seen, "the failing block %s is not at the end of the red path" % fault)


def case_path_markers(tmp):
    for prog in ("branches", "calls"):
        rc, doc, g = emit(tmp, prog + ".o", prog + ".dot")
        check(rc == 1, "%s: bpfcc should refuse it (exit 1), got %d" % (prog, rc))
        prefix = program_prefix(g, prog)
        blocks = blocks_of(g, prefix)
        insn = verdict_insns(doc).get(prog)
        check(insn is not None, "%s: no failing instruction in the JSON verdict" % prog)
        nodes, edges = red_parts(g, prefix)
        on, off, fails = marked_lines(os.path.join(tmp, prog + ".bpf.c"))
        for n, (_, _, lines) in blocks.items():
            if set(lines) & off:
                check(n not in nodes, "%s: block %s holds an 'off' line %s but is red" %
                      (prog, n, sorted(set(lines) & off)))
        red_lines, all_lines = set(), set()
        for n, (_, _, lines) in blocks.items():
            all_lines |= set(lines)
            if n in nodes:
                red_lines |= set(lines)
        # lines the compiler gave no line_info record are in no block at all
        check(len(on & all_lines) >= 3, "%s: too few 'on' lines in the line info" % prog)
        check(on & all_lines <= red_lines, "%s: 'on' lines %s are in no red block" %
              (prog, sorted((on & all_lines) - red_lines)))
        fault = block_holding(blocks, insn)
        check(fault_nodes(g, prefix) == {fault}, "%s: the failing block should be %s "
              "(holds insn %d), marked: %s" % (prog, fault, insn, fault_nodes(g, prefix)))
        check(fails in blocks[fault][2], "%s: the failing block does not show line %d" %
              (prog, fails))
        check("FAILS at insn %d" % insn in g.nodes[fault]["label"],
              "%s: the failing block's label does not name insn %d" % (prog, insn))
        check_chain(g, prefix, blocks, fault)
        branch_edges = [e for e in edges if any(
            x[0] == e[0] and x[1] == e[1] and x[2].get("label") in ("taken", "not taken")
            for x in g.edges)]
        check(len(branch_edges) >= 2, "%s: the path should pass two branches, red: %s" %
              (prog, sorted(edges)))
        if prog == "calls":
            kinds = {x[2].get("label") for x in g.edges if (x[0], x[1]) in edges}
            check({"call", "return"} <= kinds, "calls: call and return not red: %s" % kinds)
    print("ok: both failing paths follow the marked source lines")


LOG_INSN = re.compile(r"^\s+(\d+): \([0-9a-f]{2}\) ")


def kernel_path(tmp, obj, prog):
    rc, out, err = run([os.environ["BPFCC"], "load", "-v", "--program=" + prog, obj], cwd=tmp)
    if rc == 2:
        print("SKIP: the kernel cannot be asked here: %s" % err.strip().splitlines()[-1:])
        sys.exit(SKIP)
    check(rc == 1, "the kernel should refuse %s, bpfcc load exited %d" % (prog, rc))
    text = out + err
    check("kernel verifier log:" in text, "no kernel log in bpfcc load -v")
    log = text.split("kernel verifier log:", 1)[1]
    return [int(m.group(1)) for m in map(LOG_INSN.match, log.splitlines()) if m]


def case_path_kernel(tmp):
    for prog in ("branches", "calls"):
        insns = kernel_path(tmp, prog + ".o", prog)
        check(len(insns) > 3, "%s: the kernel's log shows no path: %s" % (prog, insns))
        rc, doc, g = emit(tmp, prog + ".o", prog + ".dot")
        prefix = program_prefix(g, prog)
        blocks = blocks_of(g, prefix)
        want_nodes = {block_holding(blocks, i) for i in insns}
        want_edges = set()
        for a, b in zip(insns, insns[1:]):
            ba, bb = block_holding(blocks, a), block_holding(blocks, b)
            if ba != bb or b <= a:
                want_edges.add((ba, bb))
        nodes, edges = red_parts(g, prefix)
        check(nodes == want_nodes, "%s: red blocks %s, the kernel's path %s" %
              (prog, sorted(nodes), sorted(want_nodes)))
        check(edges == want_edges, "%s: red edges %s, the kernel's path %s" %
              (prog, sorted(edges), sorted(want_edges)))
        check(fault_nodes(g, prefix) == {block_holding(blocks, insns[-1])},
              "%s: the failing block is not the one of the kernel's last insn %d" %
              (prog, insns[-1]))
    print("ok: the red paths are the kernel's failing paths")


def case_accepted(tmp):
    rc, doc, g = emit(tmp, "multi.o", "fine.dot", "--program=first")
    check(rc == 0, "bpfcc should accept 'first', exit %d" % rc)
    prefix = program_prefix(g, "first")
    check(len(blocks_of(g, prefix)) >= 3, "first: expected a branch (3 blocks or more)")
    check(not any(red(a) or classes(a) for a in g.nodes.values()), "a node is highlighted")
    check(not any(red(a) for _, _, a in g.edges), "an edge is highlighted")
    check("fillcolor" not in "".join(str(a) for a in g.nodes.values()), "a node is filled")
    print("ok: nothing highlighted in an accepted program")


def case_multi(tmp):
    rc, doc, g = emit(tmp, "multi.o", "multi.dot")
    check(rc == 1, "multi.o: bpfcc should refuse one program (exit 1), got %d" % rc)
    progs = {"first": "socket", "uninit_reg": "socket", "third": "xdp"}
    prefixes = {}
    for name, sec in progs.items():
        prefix = program_prefix(g, name)
        check(g.clusters["cluster_" + prefix]["label"].startswith("%s (%s)" % (name, sec)),
              "%s: the label does not name the section %s" % (name, sec))
        prefixes[name] = prefix
    check(len(set(prefixes.values())) == 3, "the programs share a cluster")
    top = [c for c in g.clusters if c and re.fullmatch(r"cluster_p\d+", c)]
    check(len(top) == 3, "expected 3 program clusters, found %s" % top)
    for n in g.nodes:
        owner = g.node_cluster[n][0] if g.node_cluster[n] else None
        check(owner == "cluster_" + n.split("_")[0], "node %s outside its program" % n)
    for a, b, _ in g.edges:
        check(a.split("_")[0] == b.split("_")[0], "edge %s -> %s joins two programs" % (a, b))
    insn = verdict_insns(doc)["uninit_reg"]
    for name, prefix in prefixes.items():
        nodes, edges = red_parts(g, prefix)
        if name != "uninit_reg":
            check(not nodes and not edges, "%s loads but has red parts" % name)
            continue
        blocks = blocks_of(g, prefix)
        check(fault_nodes(g, prefix) == {block_holding(blocks, insn)},
              "uninit_reg: wrong failing block")
        check_chain(g, prefix, blocks, block_holding(blocks, insn))
        check(any(a.get("label") == "taken" for x, y, a in g.edges if (x, y) in edges),
              "uninit_reg: the taken branch is not red")
    print("ok: one cluster per program, only the refused one highlighted")


def case_unwritable(tmp):
    for dest in ("no/such/dir/out.dot", "notadir/out.svg"):
        with open(os.path.join(tmp, "notadir"), "w") as f:
            f.write("a file, not a directory\n")
        before = set(os.listdir(tmp))
        rc, out, err = run([os.environ["BPFCC"], "verify", "--emit-cfg=" + dest, "multi.o"],
                           cwd=tmp)
        check(rc == 2, "%s: exit %d, want 2" % (dest, rc))
        lines = [l for l in err.splitlines() if l.strip()]
        check(len(lines) == 1 and "error" in lines[0] and dest in lines[0],
              "%s: want one error line naming it, got %r" % (dest, err))
        check(out == "", "%s: verdicts printed although nothing was verified: %r" % (dest, out))
        check(set(os.listdir(tmp)) == before, "%s: files appeared: %s" %
              (dest, set(os.listdir(tmp)) ^ before))
    print("ok: unwritable destinations refused, nothing left behind")


def case_no_dot(tmp):
    empty = os.path.join(tmp, "emptybin")
    os.mkdir(empty)
    env = dict(os.environ, PATH=empty)
    before = set(os.listdir(tmp))
    rc, out, err = run([os.environ["BPFCC"], "verify", "--emit-cfg=out.svg", "multi.o"],
                       env=env, cwd=tmp)
    check(rc == 2, "exit %d, want 2" % rc)
    lines = [l for l in err.splitlines() if l.strip()]
    check(len(lines) == 1 and "'dot'" in lines[0] and "Graphviz" in lines[0],
          "want one line naming Graphviz's 'dot', got %r" % err)
    check(set(os.listdir(tmp)) == before, "files appeared: %s" % (set(os.listdir(tmp)) ^ before))
    print("ok: " + lines[0])


def case_svg(tmp):
    if not shutil.which("dot"):
        print("SKIP: Graphviz's dot is not installed (.ci/bootstrap installs graphviz)")
        sys.exit(SKIP)
    rc, doc, g = emit(tmp, "calls.o", "calls.dot")
    rc2, out, err = run([os.environ["BPFCC"], "verify", "--emit-cfg=calls.svg", "calls.o"],
                        cwd=tmp)
    check(rc2 == 1, "exit %d, want 1: %s" % (rc2, err))
    tree = ET.parse(os.path.join(tmp, "calls.svg"))  # raises on malformed XML
    root = tree.getroot()
    check(root.tag.endswith("svg"), "not an SVG document: %s" % root.tag)
    ns = "{http://www.w3.org/2000/svg}"
    red_nodes, red_edges, fault = set(), set(), set()
    for el in root.iter(ns + "g"):
        cls = set(el.get("class", "").split())
        title = el.find(ns + "title")
        if "node" in cls and "path" in cls:
            red_nodes.add(el.get("id"))
            check(any(s.get("stroke") == "red" for s in el.iter() if s.get("stroke")),
                  "SVG node %s of the path is not drawn red" % el.get("id"))
        if "node" in cls and "fault" in cls:
            fault.add(el.get("id"))
        if "edge" in cls and "path" in cls:
            a, b = title.text.split("->")
            red_edges.add((a, b))
    prefix = program_prefix(g, "calls")
    nodes = {n for n, a in g.nodes.items() if n.startswith(prefix) and "path" in classes(a)}
    edges = {(a, b) for a, b, at in g.edges if a.startswith(prefix) and "path" in classes(at)}
    check(nodes and red_nodes == nodes, "SVG red nodes %s, DOT %s" % (red_nodes, nodes))
    check(red_edges == edges, "SVG red edges %s, DOT %s" % (red_edges, edges))
    check(fault == fault_nodes(g, prefix), "SVG fault %s, DOT %s" % (fault, fault_nodes(g, prefix)))
    print("ok: the SVG holds the %d red blocks and %d red edges" % (len(nodes), len(edges)))


CASES = {
    "path_markers": case_path_markers,
    "path_kernel": case_path_kernel,
    "accepted": case_accepted,
    "multi": case_multi,
    "unwritable": case_unwritable,
    "no_dot": case_no_dot,
    "svg": case_svg,
}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        print("usage: check_cfg.py %s" % "|".join(CASES))
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        try:
            build(tmp)
            CASES[sys.argv[1]](tmp)
        except Fail as e:
            print("FAIL: %s" % e)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
