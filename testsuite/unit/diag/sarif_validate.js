// sarif_validate.js - validates bpfcc's SARIF output against the SARIF 2.1.0 JSON schema
// (the copy shipped in the npm package @microsoft/jest-sarif, checked with its ajv), and
// checks that the JSON output parses.  Usage: node sarif_validate.js <diag_sample> [prefix]
// where prefix is an npm --prefix directory holding those packages.  Exits 77 (ctest's
// skip) when the packages are not installed.
'use strict';
const { execFileSync } = require('child_process');

const sample = process.argv[2];
const prefix = process.argv[3] || process.env.BPFCC_NODE_PREFIX || '';

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
		check('sarif has every finding', results.length === 7, 'got ' + results.length);
		check('sarif lists each rule once',
		      doc.runs[0].tool.driver.rules.map((r) => r.id).join(',') ===
			      'verifier-map-bounds,elf-license,ir-float,verifier-complexity');
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
