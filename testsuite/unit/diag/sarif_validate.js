// sarif_validate.js - validates bpfcc's SARIF output against the SARIF 2.1.0 JSON schema
// (the copy shipped in the npm package @microsoft/jest-sarif, checked with its ajv) and
// against what GitHub code scanning documents for uploads (driver name and rules with id,
// short and full description and help; results with ruleId, ruleIndex, level, message,
// a location relative to the checkout with uriBaseId %SRCROOT% and a region, and
// partialFingerprints; the failing path as a codeFlow), and checks that the JSON output
// parses.  Inputs: diag_sample's documents (every kind of finding the sink can hold) and,
// when bpfcc is given, real output: a compile with a verifier rejection that has a path
// and `bpfcc verify --format=sarif` over objects with verifier and object-check findings.
// Usage: node sarif_validate.js <diag_sample> [prefix [bpfcc srcdir]] where prefix is an
// npm --prefix directory holding those packages.  Exits 77 (ctest's skip) when the
// packages are not installed.
'use strict';
const { execFileSync } = require('child_process');

const fs = require('fs');
const os = require('os');
const path = require('path');

const sample = process.argv[2];
const prefix = process.argv[3] || process.env.BPFCC_NODE_PREFIX || '';
const bpfcc = process.argv[4] ? path.resolve(process.argv[4]) : '';
const srcdir = process.argv[5] ? path.resolve(process.argv[5]) : '';

function load(name) {
	try {
		return require(require.resolve(name, { paths: prefix ? [prefix] : [] }));
	} catch (e) {
		return null;
	}
}

const Ajv = load('ajv');
const schema = load('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const draft4 = load('ajv/lib/refs/json-schema-draft-04.json');
if (!Ajv || !schema || !draft4) {
	console.log('SKIP: SARIF schema or ajv not installed under "' + prefix + '"; install ' +
		    'with: npm install --prefix <dir> @microsoft/jest-sarif@1.0.0-beta.0');
	process.exit(77);
}

const ajv = new Ajv({ schemaId: 'auto', allErrors: true, validateSchema: false });
ajv.addMetaSchema(draft4);
const validate = ajv.compile(schema);

let failed = 0;
let passed = 0;
function check(name, ok, detail) {
	if (ok) {
		passed++;
		console.log('PASS: ' + name);
	} else {
		failed++;
		console.log('FAIL: ' + name + (detail ? '\n' + detail : ''));
	}
}

function run(mode) {
	return execFileSync(sample, [mode], { encoding: 'utf8' });
}

for (const mode of ['sarif', 'sarif-empty']) {
	let doc;
	try {
		doc = JSON.parse(run(mode));
	} catch (e) {
		check(mode + ' parses', false, String(e));
		continue;
	}
	const ok = validate(doc);
	check(mode + ' validates against the SARIF 2.1.0 schema', ok,
	      ok ? '' : JSON.stringify(validate.errors, null, 2));
	if (mode === 'sarif') {
		const results = doc.runs[0].results;
		const notes = doc.runs[0].invocations[0].toolExecutionNotifications;
		check('sarif has every finding with a rule as a result', results.length === 4,
		      'got ' + results.length);
		check('sarif has the tool error and the notes as notifications', notes.length === 3,
		      'got ' + notes.length);
		check('sarif lists each rule once',
		      doc.runs[0].tool.driver.rules.map((r) => r.id).join(',') ===
			      'verifier-map-bounds,elf-license,ir-float,verifier-complexity');
		github(mode, doc);
	}
}

// What GitHub code scanning documents for an upload (SARIF support for code scanning):
// checked on every result, whatever produced it.
function github(name, doc) {
	const run = doc.runs[0];
	const rules = run.tool.driver.rules || [];
	const bad = [];
	if (!run.tool.driver.name)
		bad.push('tool.driver.name');
	for (const r of rules) {
		for (const k of ['shortDescription', 'fullDescription', 'help'])
			if (!r[k] || !r[k].text)
				bad.push('rule ' + r.id + ': ' + k + '.text');
		if (!r.id)
			bad.push('rule without id');
	}
	for (const res of run.results) {
		const where = 'result ' + res.ruleId + ': ';
		if (!res.ruleId)
			bad.push('result without ruleId');
		if (typeof res.ruleIndex !== 'number' || !rules[res.ruleIndex] ||
		    rules[res.ruleIndex].id !== res.ruleId)
			bad.push(where + 'ruleIndex');
		if (!['error', 'warning', 'note', 'none'].includes(res.level))
			bad.push(where + 'level');
		if (!res.message || !res.message.text)
			bad.push(where + 'message.text');
		if (!res.partialFingerprints || !Object.keys(res.partialFingerprints).length)
			bad.push(where + 'partialFingerprints');
		for (const loc of res.locations || []) {
			const pl = loc.physicalLocation;
			if (!pl)
				continue;
			const uri = pl.artifactLocation.uri;
			if (!/^file:\/\/\//.test(uri) &&
			    (pl.artifactLocation.uriBaseId !== '%SRCROOT%' || uri.startsWith('/') ||
			     /^[a-z]+:/i.test(uri)))
				bad.push(where + 'relative uri without uriBaseId %SRCROOT%: ' + uri);
			if (pl.region && !(pl.region.startLine >= 1))
				bad.push(where + 'region.startLine');
		}
	}
	check(name + ': meets GitHub code scanning\'s upload requirements', bad.length === 0,
	      bad.join('\n'));
}

// Real output of bpfcc, run in a scratch directory holding the sources (the "checkout").
if (bpfcc && srcdir) {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bpfcc-sarif-'));
	process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));
	for (const f of ['packet_path.bpf.c', 'no_license.bpf.c', 'loads.bpf.c'])
		fs.copyFileSync(path.join(srcdir, 'testsuite/unit/diag/schema', f), path.join(work, f));
	const { spawnSync } = require('child_process');
	const bpf = (args) => spawnSync(bpfcc, args, { cwd: work, encoding: 'utf8' });
	const real = [];
	let r = bpf(['-fdiagnostics-format=sarif', '-c', 'packet_path.bpf.c', '-o', 'p.o']);
	real.push(['compile rejection', r.stderr, r.status === 1]);
	bpf(['--verify=off', '-c', 'packet_path.bpf.c', '-o', 'p.o']);
	bpf(['--verify=off', '-c', 'no_license.bpf.c', '-o', 'n.o']);
	bpf(['-c', 'loads.bpf.c', '-o', 'ok.o']);
	r = bpf(['verify', '--format=sarif', 'p.o', 'n.o', 'ok.o', 'missing.o']);
	real.push(['verify', r.stdout, r.status !== 0]);
	for (const [name, text, status] of real) {
		check(name + ': exit status', status);
		let doc;
		try {
			doc = JSON.parse(text);
		} catch (e) {
			check(name + ' parses', false, String(e) + '\n' + text.slice(0, 400));
			continue;
		}
		const ok = validate(doc);
		check(name + ' validates against the SARIF 2.1.0 schema', ok,
		      ok ? '' : JSON.stringify(validate.errors, null, 2));
		github(name, doc);
		const run = doc.runs[0];
		const v = run.results.find((x) => x.ruleId === 'verifier-packet-bounds');
		check(name + ': the verifier rejection is a result at its source line', v &&
		      v.locations[0].physicalLocation.artifactLocation.uri === 'packet_path.bpf.c' &&
		      v.locations[0].physicalLocation.region.startLine === 14, JSON.stringify(v));
		const flow = v && v.codeFlows && v.codeFlows[0].threadFlows[0].locations;
		check(name + ': its path is a codeFlow with the branch, ending at the finding', flow &&
		      flow.length >= 2 && (flow[0].kinds || []).includes('branch') &&
		      flow[0].location.physicalLocation.region.startLine === 13 &&
		      flow[flow.length - 1].location.physicalLocation.region.startLine === 14,
		      JSON.stringify(flow));
		const rule = run.tool.driver.rules.find((x) => x.id === 'verifier-packet-bounds');
		check(name + ': its rule has help with the fix', rule && /How to fix: /.test(rule.help.text));
		if (name === 'verify') {
			const gpl = run.results.find((x) => x.ruleId === 'check-helper-gpl');
			check('verify: the object-check finding is a result at its source line', gpl &&
			      gpl.locations[0].physicalLocation.artifactLocation.uri === 'no_license.bpf.c' &&
			      gpl.locations[0].physicalLocation.region.startLine === 10, JSON.stringify(gpl));
			const lic = run.results.find((x) => x.ruleId === 'check-license-missing');
			check('verify: an object-level finding is located at the object', lic &&
			      lic.locations[0].physicalLocation.artifactLocation.uri === 'n.o');
			const inv = run.invocations[0];
			check('verify: the missing file is a tool notification, not a result',
			      inv.executionSuccessful === false && inv.toolExecutionNotifications.some(
				      (n) => /missing\.o/.test(n.message.text)) &&
			      !run.results.some((x) => /missing\.o/.test(x.message.text)));
		}
	}
}

for (const mode of ['json', 'json-empty']) {
	try {
		const doc = JSON.parse(run(mode));
		check(mode + ' parses', doc.version === 1 && Array.isArray(doc.diagnostics));
		if (mode === 'json')
			check('json escapes and replaces bad UTF-8',
			      doc.diagnostics[3].message === 'float "x"\t\u0002 bad utf8 \ufffd',
			      JSON.stringify(doc.diagnostics[3]));
	} catch (e) {
		check(mode + ' parses', false, String(e));
	}
}

console.log(passed + ' passed, ' + failed + ' failed');
process.exit(failed ? 1 : 0);
