// json_schema_validate.js - validates what bpfcc really prints as JSON against the documented
// schema (docs/diagnostics.schema.json, JSON Schema draft 2020-12, checked with ajv 8):
// compiles with findings (-fdiagnostics-format=json: a verifier rejection with a path, the
// same under --verify=warn, a restricted-C error, an object without findings) and `bpfcc
// verify --format=json` over objects with verifier and object-check findings and an
// unreadable one (with --against-kernel too when the kernel can be asked).  Beyond the
// schema it checks that each member the issue lists is there when it applies, that the
// schema's categories are diag_category.def's, and that the schema refuses a document whose
// members were renamed (so a renamed member in the renderer fails this test).
//
// Usage: node json_schema_validate.js BPFCC SRCDIR NODE_PREFIX
//   SRCDIR: the repository; NODE_PREFIX: an npm --prefix holding ajv 8 as "ajv8"
//   (.ci/bootstrap: npm install --prefix .cache/node ajv8@npm:ajv@8.17.1).
// Exits 77 (ctest's skip) when ajv 8 is not installed there.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [bpfccArg, srcArg, prefixArg] = process.argv.slice(2);
if (!bpfccArg || !srcArg) {
	console.log('usage: node json_schema_validate.js BPFCC SRCDIR [NODE_PREFIX]');
	process.exit(2);
}
const bpfcc = path.resolve(bpfccArg);
const srcdir = path.resolve(srcArg);
const prefix = prefixArg ? path.resolve(prefixArg) : '';

let Ajv2020;
try {
	Ajv2020 = require(require.resolve('ajv8/dist/2020', { paths: prefix ? [prefix] : [] }));
	Ajv2020 = Ajv2020.default || Ajv2020;
} catch (e) {
	console.log('SKIP: ajv 8 not installed under "' + (prefix || '') + '"; install with: ' +
		    'npm install --prefix <dir> ajv8@npm:ajv@8.17.1 (.ci/bootstrap does)');
	process.exit(77);
}

const schema = JSON.parse(fs.readFileSync(path.join(srcdir, 'docs/diagnostics.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(schema);

let failed = 0;
let passed = 0;
function check(name, ok, detail) {
	if (ok) {
		passed++;
		console.log('PASS: ' + name);
	} else {
		failed++;
		console.log('FAIL: ' + name + (detail ? '\n  ' + detail : ''));
	}
}

const inputs = path.join(srcdir, 'testsuite/unit/diag/schema');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bpfcc-schema-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));

// Runs bpfcc; returns {status, out, err}.
function bpf(args) {
	const r = spawnSync(bpfcc, args, { cwd: work, encoding: 'utf8' });
	if (r.error) {
		console.log('FAIL: cannot run ' + bpfcc + ': ' + r.error);
		process.exit(1);
	}
	return { status: r.status, out: r.stdout || '', err: r.stderr || '' };
}

// The one JSON document of `text` (bpfcc writes it on one line), or null.
function parse(name, text) {
	try {
		return JSON.parse(text);
	} catch (e) {
		check(name + ': output parses as JSON', false, String(e) + '\n  ' + text.slice(0, 400));
		return null;
	}
}

function valid(name, doc) {
	const ok = validate(doc);
	check(name + ': validates against docs/diagnostics.schema.json', ok,
	      ok ? '' : JSON.stringify(validate.errors, null, 1).slice(0, 2000));
	return ok;
}

function has(name, obj, keys) {
	const missing = keys.filter((k) => obj === undefined || obj[k] === undefined);
	check(name, missing.length === 0, 'missing: ' + missing.join(', ') + ' in ' +
	      JSON.stringify(obj));
}

const src = (f) => path.join(inputs, f);

// 1. A compile with a verifier rejection: every member, and the path's branch steps.
let r = bpf(['-fdiagnostics-format=json', '-c', src('packet_path.bpf.c'), '-o', 'p.o']);
check('compile rejection exits 1', r.status === 1, 'exit ' + r.status);
let doc = parse('compile rejection', r.err);
let rejection;
if (doc && valid('compile rejection', doc)) {
	rejection = doc.diagnostics.find((d) => d.rule === 'verifier-packet-bounds');
	check('compile rejection: the verifier finding is there', rejection !== undefined,
	      JSON.stringify(doc.diagnostics));
	if (rejection) {
		check('compile rejection: level error', rejection.level === 'error');
		has('compile rejection: every member of a verifier finding', rejection,
		    ['rule', 'category', 'file', 'line', 'column', 'program', 'section', 'insn',
		     'message', 'kernel_message', 'explanation', 'hint', 'path']);
		check('compile rejection: file is the source', /packet_path\.bpf\.c$/.test(rejection.file),
		      rejection.file);
		check('compile rejection: program and section', rejection.program === 'wrong_side' &&
		      rejection.section === 'xdp');
		check('compile rejection: the kernel message', rejection.kernel_message ===
		      'R1 offset is outside of the packet', rejection.kernel_message);
		const steps = rejection.path || [];
		const branch = steps.find((s) => s.branch !== undefined);
		check('compile rejection: the path has a branch step', branch !== undefined,
		      JSON.stringify(steps));
		if (branch) {
			has('compile rejection: a branch step has location, insn, branch and target',
			    branch, ['file', 'line', 'insn', 'branch', 'target_insn', 'text']);
			check('compile rejection: the branch falls through to the failing insn',
			      branch.branch === 'not_taken' && branch.target_insn === rejection.insn &&
			      branch.line === rejection.line - 1, JSON.stringify(branch));
		}
	}
}
check('compile rejection: no object written', !fs.existsSync(path.join(work, 'p.o')));

// 2. The same under --verify=warn: a warning and a note, the object written.
r = bpf(['--verify=warn', '-fdiagnostics-format=json', '-c', src('packet_path.bpf.c'), '-o', 'w.o']);
check('--verify=warn exits 0', r.status === 0, 'exit ' + r.status);
doc = parse('--verify=warn', r.err);
if (doc && valid('--verify=warn', doc)) {
	check('--verify=warn: the finding is a warning',
	      doc.diagnostics.some((d) => d.rule === 'verifier-packet-bounds' && d.level === 'warning'));
	check('--verify=warn: a note says the object was written',
	      doc.diagnostics.some((d) => d.level === 'note' && /w\.o/.test(d.message)));
}

// 3. A restricted-C finding, and a compile without findings.
r = bpf(['-fdiagnostics-format=json', '-c', src('uses_float.bpf.c'), '-o', 'f.o']);
doc = parse('restricted C', r.err);
if (doc && valid('restricted C', doc))
	check('restricted C: an ir-float error at a line', doc.diagnostics.some((d) =>
		d.rule === 'ir-float' && d.level === 'error' && d.line > 0 && d.file));
r = bpf(['-fdiagnostics-format=json', '-c', src('loads.bpf.c'), '-o', 'ok.o']);
check('clean compile exits 0', r.status === 0, 'exit ' + r.status + ' ' + r.err);
doc = parse('clean compile', r.err);
if (doc && valid('clean compile', doc))
	check('clean compile: no diagnostics', doc.diagnostics.length === 0);

// 4. bpfcc verify over objects with findings.
for (const [o, s] of [['p.o', 'packet_path.bpf.c'], ['n.o', 'no_license.bpf.c']])
	bpf(['--verify=off', '-c', src(s), '-o', o]);
fs.writeFileSync(path.join(work, 'junk.o'), 'not an object\n');
r = bpf(['verify', '--format=json', 'p.o', 'n.o', 'ok.o', 'junk.o']);
check('verify exits 2 (an object cannot be read)', r.status === 2, 'exit ' + r.status);
doc = parse('verify', r.out);
let verifyDoc = doc;
if (doc && valid('verify', doc)) {
	check('verify: an object record per file', doc.objects.length === 4 &&
	      doc.objects.map((o) => o.file).join(',') === 'p.o,n.o,ok.o,junk.o');
	const [p, n, ok, junk] = doc.objects;
	const pp = p.programs[0] || {};
	has('verify: the refused program carries rule, insn, kernel message and stats', pp,
	    ['name', 'section', 'prog_type', 'verdict', 'stage', 'insns', 'rule', 'insn',
	     'kernel_message', 'stats']);
	check('verify: refused by the verifier', pp.verdict === 'failure' && pp.stage === 'verifier' &&
	      pp.rule === 'verifier-packet-bounds');
	check('verify: refused by the object checks', (n.programs[0] || {}).stage === 'object checks');
	check('verify: the good object loads', ok.programs.length === 1 &&
	      ok.programs[0].verdict === 'success');
	check('verify: junk is unreadable', junk.readable === false && junk.programs.length === 0);
	const gpl = doc.diagnostics.find((d) => d.rule === 'check-helper-gpl');
	has('verify: an object-check finding has its members', gpl,
	    ['level', 'category', 'file', 'line', 'column', 'program', 'section', 'insn',
	     'message', 'kernel_message', 'hint']);
	const lic = doc.diagnostics.find((d) => d.rule === 'check-license-missing');
	check('verify: an object-level finding names the object', lic && lic.file === 'n.o' &&
	      lic.level === 'warning', JSON.stringify(lic));
	const v = doc.diagnostics.find((d) => d.rule === 'verifier-packet-bounds');
	check('verify: the verifier finding has its path', v && v.path && v.path.length > 0);
	check('verify: junk.o is an ELF reader error naming the file', doc.diagnostics.some((d) =>
		/^elf-/.test(d.rule) && d.level === 'error' && d.file === 'junk.o'));
}

// 5. --against-kernel adds the kernel's answer (whatever this machine lets it say).
r = bpf(['verify', '--against-kernel', '--format=json', 'p.o', 'n.o', 'ok.o']);
doc = parse('verify --against-kernel', r.out);
if (doc && valid('verify --against-kernel', doc)) {
	has('verify --against-kernel: kernel release and summary', doc, ['kernel_release', 'summary']);
	const asked = doc.objects.some((o) => o.programs.some((p) => p.kernel));
	console.log('note: the kernel ' + (asked ? 'was' : 'could not be') + ' asked');
}

// 6. The schema's categories are the ones bpfcc has.
const def = fs.readFileSync(path.join(srcdir, 'compiler/diag/diag_category.def'), 'utf8');
const names = [...def.matchAll(/^DIAG_CATEGORY\(\w+,\s*"([^"]+)"/gm)].map((m) => m[1]);
check('schema categories are diag_category.def\'s', names.length > 0 &&
      JSON.stringify(schema.$defs.category.enum) === JSON.stringify(names),
      JSON.stringify(names));

// 7. The schema refuses renamed members: rename each in a copy of a real document.
function renamed(doc, where, key) {
	const copy = JSON.parse(JSON.stringify(doc));
	const obj = where(copy);
	obj[key + '_renamed'] = obj[key];
	delete obj[key];
	return copy;
}
if (rejection && verifyDoc) {
	const compileDoc = { version: 1, diagnostics: [rejection] };
	const cases = [
		[compileDoc, (d) => d, 'diagnostics'],
		[compileDoc, (d) => d.diagnostics[0], 'rule'],
		[compileDoc, (d) => d.diagnostics[0], 'kernel_message'],
		[compileDoc, (d) => d.diagnostics[0], 'insn'],
		[compileDoc, (d) => d.diagnostics[0], 'message'],
		[compileDoc, (d) => d.diagnostics[0].path.find((s) => s.branch), 'branch'],
		[compileDoc, (d) => d.diagnostics[0].path[0], 'text'],
		[verifyDoc, (d) => d.objects[0], 'programs'],
		[verifyDoc, (d) => d.objects[0].programs[0], 'verdict'],
		[verifyDoc, (d) => d.objects[0].programs[0].stats, 'total_insns'],
	];
	for (const [base, where, key] of cases) {
		const obj = where(JSON.parse(JSON.stringify(base)));
		if (!obj || obj[key] === undefined) {
			check('"' + key + '" is there to be renamed', false);
			continue;
		}
		check('a document with "' + key + '" renamed is refused',
		      !validate(renamed(base, where, key)));
	}
}

console.log(passed + ' passed, ' + failed + ' failed');
process.exit(failed ? 1 : 0);
