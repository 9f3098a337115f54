/**
 * npx tsx bench/w3c.ts VALIDATOR OUTPUT [--jobs N] [--json FILE] [--examples N] [--opml]
 *
 * The W3C Feed Validation Service's own code as the judge of a built output folder: every `atom.xml` and `rss.xml`
 * under OUTPUT (and `feeds.opml` with `--opml`) is validated by the validator's Python package from a checkout of
 * github.com/w3c/feedvalidator (VALIDATOR: the folder holding `src/feedvalidator/`; it needs Debian's
 * python3-html5lib and python3-rdflib). Each file is validated as the online service does (its `AA` level: errors
 * and warnings), with every occurrence counted (not only the first of each type), and with the file's own self link
 * as the location it was fetched from (so `SelfDoesntMatchLocation` means what it says).
 *
 * Prints, by type: errors and warnings, occurrences and files; a few examples of each (file, element, value). Exit
 * code 1 when there is any error. `--json FILE` writes every event. Nothing of the validator is copied here: it is
 * imported from the checkout given.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';

const argv = process.argv.slice(2);
const valued = new Set(['--jobs', '--json', '--examples']);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const [validator, output] = argv.filter((a, i) => !a.startsWith('--') && !valued.has(argv[i - 1]!));
if (!validator || !output || !existsSync(join(validator, 'src', 'feedvalidator'))) {
  process.stderr.write(
    'usage: npx tsx bench/w3c.ts VALIDATOR OUTPUT [--jobs N] [--json FILE] [--examples N] [--opml]\n' +
      '  VALIDATOR: a checkout of github.com/w3c/feedvalidator (holding src/feedvalidator/)\n',
  );
  process.exit(2);
}
const jobs = Math.max(1, Number(opt('jobs') ?? availableParallelism()));
const examples = Number(opt('examples') ?? 3);

/** Validates the files named on stdin (one a line); prints one JSON line per file. */
const SCRIPT = String.raw`
import sys, json, re
sys.path.insert(0, sys.argv[1] + '/src')
import feedvalidator
from feedvalidator import compatibility
from feedvalidator.logging import Error, Warning
SELF = re.compile(rb'<(?:atom:)?link\b[^>]*\brel="self"[^>]*>')
HREF = re.compile(rb'\bhref="([^"]*)"')
for line in sys.stdin:
    path = line.rstrip('\n')
    if not path: continue
    data = open(path, 'rb').read()
    m = SELF.search(data)
    h = HREF.search(m.group(0)) if m else None
    base = h.group(1).decode('utf-8').replace('&amp;', '&') if h else 'http://localhost/' + path
    try:
        result = feedvalidator.validateString(data, firstOccurrenceOnly=0, base=base)
        events = result['loggedEvents']
    except feedvalidator.logging.ValidationFailure as vf:
        events = [vf.event]
    out = []
    for e in compatibility.AA(events):
        p = e.params
        out.append({
            'type': e.__class__.__name__,
            'level': 'error' if isinstance(e, Error) else 'warning',
            'element': str(p.get('element', '')), 'parent': str(p.get('parent', '')),
            'value': str(p.get('value', p.get('message', '')))[:300],
            'line': p.get('line'),
        })
    print(json.dumps({'path': path, 'events': out}), flush=True)
`;

function feedFiles(dir: string, opml: boolean): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    if (e.name === 'atom.xml' || e.name === 'rss.xml' || (opml && e.name === 'feeds.opml'))
      out.push(join(e.parentPath, e.name));
  }
  return out.sort();
}

interface Event {
  type: string;
  level: 'error' | 'warning';
  element: string;
  parent: string;
  value: string;
  line: number | null;
}
interface FileResult {
  path: string;
  events: Event[];
}

function validate(files: string[]): Promise<FileResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/python3', ['-c', SCRIPT, validator!], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buffer = '';
    const results: FileResult[] = [];
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        results.push(JSON.parse(buffer.slice(0, nl)) as FileResult);
        buffer = buffer.slice(nl + 1);
        if (results.length % 100 === 0) progress();
      }
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(results) : reject(new Error(`the validator exited with ${code}`)),
    );
    child.stdin.end(`${files.join('\n')}\n`);
  });
}

let done = 0;
let total = 0;
function progress(): void {
  done += 100;
  if (process.stderr.isTTY) process.stderr.write(`\r${Math.min(done, total)}/${total} files`);
}

const files = feedFiles(output, argv.includes('--opml'));
total = files.length;
const started = Date.now();
const slices = Array.from({ length: jobs }, (_, i) => files.filter((_f, n) => n % jobs === i));
const results = (await Promise.all(slices.map(validate))).flat();
if (process.stderr.isTTY) process.stderr.write('\r');

interface Tally {
  type: string;
  level: string;
  count: number;
  files: Set<string>;
  examples: Array<{ file: string; where: string; value: string }>;
}
const tallies = new Map<string, Tally>();
for (const r of results) {
  for (const e of r.events) {
    const key = `${e.level}\t${e.type}`;
    let t = tallies.get(key);
    if (!t) tallies.set(key, (t = { type: e.type, level: e.level, count: 0, files: new Set(), examples: [] }));
    t.count++;
    t.files.add(r.path);
    if (t.examples.length < examples && !t.examples.some((x) => x.file === relative(output, r.path)))
      t.examples.push({
        file: relative(output, r.path),
        where: `${e.parent}/${e.element}${e.line ? ` line ${e.line}` : ''}`,
        value: e.value,
      });
  }
}
const rows = [...tallies.values()].sort((a, b) => (a.level < b.level ? -1 : a.level > b.level ? 1 : b.count - a.count));
const errors = rows.filter((r) => r.level === 'error').reduce((n, r) => n + r.count, 0);
const warnings = rows.filter((r) => r.level === 'warning').reduce((n, r) => n + r.count, 0);
const clean = results.filter((r) => r.events.length === 0).length;
console.log(
  `${results.length} files validated in ${((Date.now() - started) / 1000).toFixed(0)} s: ${errors} errors, ${warnings} warnings; ${clean} files without either`,
);
for (const r of rows) {
  console.log(`  ${r.level.padEnd(7)} ${r.type.padEnd(28)} ${String(r.count).padStart(6)} in ${r.files.size} files`);
  for (const x of r.examples) console.log(`      ${x.file}  ${x.where}  ${JSON.stringify(x.value).slice(0, 160)}`);
}
const json = opt('json');
if (json) writeFileSync(json, JSON.stringify(results, null, 1));
process.exitCode = errors > 0 ? 1 : 0;
