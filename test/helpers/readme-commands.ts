/**
 * The commands a markdown text shows, and how test/readme.test.ts checks that each one works. A command is a shell
 * line of a fenced code block, or an inline code span, that starts with `wxfeed`, `npm`, `npx`, `node`, `curl` or
 * `docker` (which runs nowhere here: skipped, with the reason).
 *
 * Commands run in a temp copy of the project (its package.json and config/, the config's output, store and URL file
 * inside the copy, WeChat pages fetched from a loopback server), with `wxfeed`, `npx wxfeed` and `node dist/cli.js`
 * mapped to the compiled dist/cli.js. A synopsis (`wxfeed build [--config FILE]`, `wxfeed …`) is checked against the
 * command's help: the subcommand exists and has every flag named. The daemon and the server are started, asked for
 * /healthz on a loopback port and stopped; a `curl` is sent to a server of the copy.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { DIST_CLI } from './paths.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ShownCommand {
  /** As written; a fenced line's comment left out, and each of the commands a `&&` joins on its own. */
  text: string;
  /** Its line in the markdown text, from 1. */
  line: number;
  /** `usage`: a synopsis, with placeholders (`FILE`, `<URL>`, `[--json]`, `…`): checked against the help, not run. */
  kind: 'run' | 'usage';
}

/** Commands that cannot run here, each with why. The check left is that a script they name exists. */
export const SKIPPED: ReadonlyMap<string, string> = new Map([
  ['npm install', 'installs from the registry, and tests use no network: the installed tree is the one under test'],
  ['npm test', 'the whole suite, this test among it: it runs as the suite itself'],
  ['docker compose up -d', "these machines have no container engine: test/pack.test.ts runs the image's steps"],
]);

/** What `<baseUrl>` in a command stands for: the default baseUrl (a `curl` to it goes to the copy's server). */
const DEFAULT_BASE_URL = 'http://localhost:8080/';

const PROGRAM = /^(?:[A-Z_][A-Z0-9_]*=\S*\s+)*(?:wxfeed|npm|npx|node|curl|docker)(?=\s|$)/;

/** Values for the `key=…` placeholders of URLs: a real-looking article, album and homepage. */
const EXAMPLE_PARAMS: Record<string, string> = {
  __biz: 'MzAwMDAwMDAwMQ==',
  mid: '2650000001',
  idx: '1',
  sn: 'aaaabbbbccccddddeeeeffff00001111',
  album_id: '3000000000000000001',
  hid: '1',
};

/** The commands of `markdown`, in their order, each once. */
export function shownCommands(markdown: string): ShownCommand[] {
  const out: ShownCommand[] = [];
  const seen = new Set<string>();
  const add = (text: string, line: number): void => {
    const t = text.trim().replace(/\s+/g, ' ');
    if (!PROGRAM.test(t) || seen.has(t)) return;
    seen.add(t);
    out.push({ text: t, line, kind: isUsage(t) ? 'usage' : 'run' });
  };
  let fenced = false;
  // Comments are not shown to readers.
  const shown = markdown.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ''));
  shown.split('\n').forEach((raw, i) => {
    if (/^\s*(?:```|~~~)/.test(raw)) {
      fenced = !fenced;
      return;
    }
    if (fenced) for (const piece of shellPieces(raw.replace(/^\s*\$\s+/, ''))) add(piece, i + 1);
    else for (const m of raw.matchAll(/`([^`]+)`/g)) add(m[1]!, i + 1);
  });
  return out;
}

/** A shell line cut at its comment and split at each `&&` outside quotes. */
function shellPieces(line: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      pieces.push(line.slice(start, i));
      return pieces;
    } else if (c === '&' && line[i + 1] === '&') {
      pieces.push(line.slice(start, i));
      start = i + 2;
      i++;
    }
  }
  pieces.push(line.slice(start));
  return pieces;
}

/**
 * True for a synopsis: brackets, `| --flag` alternatives, `...`/`…` words, `<placeholders>` or CAPITAL words, outside
 * quotes. Any other `|` is a pipe, which the check refuses to run.
 */
function isUsage(text: string): boolean {
  const bare = text.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, "''").replace(/<baseUrl>/g, '');
  return /[[\]]|\|\s*--|\.\.\.|(?:^|\s)…(?=\s|$)|<[^>]+>|(?:^|\s)[A-Z][A-Z0-9]+(?:\.\.\.|…)?(?=\s|$)/.test(bare);
}

/** A shell line's words (quotes and backslashes as the shell reads them); throws on what only a shell could run. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error('an unclosed quote');
      word += text.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '$' || text[i] === '`') throw new Error('a substitution inside double quotes');
        if (text[i] === '\\' && /["\\$`]/.test(text[i + 1] ?? '')) i++;
        word += text[i];
      }
      if (i >= text.length) throw new Error('an unclosed quote');
      inWord = true;
    } else if (c === '\\') {
      word += text[++i] ?? '';
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if ('|&;<>()$`'.includes(c)) {
      throw new Error(`shell syntax (${c}) that this check does not run`);
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The temp copy the commands run in. */
export interface Project {
  dir: string;
  /** package.json's scripts. */
  scripts: Record<string, string>;
  /** `wxfeed [command] --help` by command ('' for the top). */
  helps: Map<string, Promise<string>>;
}

/**
 * A copy of package.json and config/ in `dir`, the config changed only where a test must: pages fetched from
 * `origin` without delay or retries, the server on a free port.
 */
export function copyProject(dir: string, origin: string): Project {
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  cpSync(join(ROOT, 'config'), join(dir, 'config'), { recursive: true });
  const file = join(dir, 'config/wxfeed.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.setIn(['fetch', 'origin'], origin);
  doc.setIn(['fetch', 'delayMs'], 0);
  doc.setIn(['fetch', 'retries'], 0);
  doc.setIn(['server', 'port'], 0);
  writeFileSync(file, doc.toString());
  const scripts = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> })
    .scripts;
  return { dir, scripts: scripts ?? {}, helps: new Map() };
}

/** Check one command: run it, or, for a synopsis, check it against the help. Throws saying what failed. */
export async function checkShown(cmd: ShownCommand, project: Project): Promise<void> {
  try {
    if (cmd.kind === 'usage') await checkUsage(cmd.text, project);
    else await runLine(cmd.text, project);
  } catch (error) {
    throw new Error(`README line ${cmd.line}, \`${cmd.text}\`: ${(error as Error).message}`);
  }
}

/** `wxfeed`, `npx wxfeed` and `node dist/cli.js` → the arguments after them; undefined for another program. */
function wxfeedArgs(words: string[]): string[] | undefined {
  if (words[0] === 'wxfeed') return words.slice(1);
  if (words[0] === 'npx' && words[1] === 'wxfeed') return words.slice(2);
  if (words[0] === 'node' && words[1] === 'dist/cli.js') return words.slice(2);
  return undefined;
}

async function runLine(text: string, project: Project): Promise<void> {
  const skipped = SKIPPED.get(text);
  const words = shellWords(text.replaceAll('<baseUrl>', DEFAULT_BASE_URL)).map(withExamples);
  const env: Record<string, string> = {};
  while (/^[A-Z_][A-Z0-9_]*=/.test(words[0] ?? '')) {
    const [name, ...value] = words.shift()!.split('=');
    env[name!] = value.join('=');
  }
  if (words[0] === 'npm') return runNpm(words, project, skipped);
  if (skipped) return;
  if (words[0] === 'curl') return runCurl(words.slice(1), project, env);
  const args = wxfeedArgs(words);
  if (!args) throw new Error(`${words[0]} ${words[1] ?? ''}: not a command this check knows how to run here`);
  if (args[0] === 'daemon' || args[0] === 'serve') return checkServer(args, project, env);
  const r = await run([DIST_CLI, ...args], project, env);
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr.trim().split('\n').slice(0, 3).join(' | ')}`);
}

/** A long-running command: it serves, answers GET /healthz, and exits 0 on SIGTERM. */
async function checkServer(args: string[], project: Project, env: Record<string, string>): Promise<void> {
  const server = await startServer(args, project, env);
  const asked = fetch(`${new URL(server.url).origin}/healthz`).then(async (res) => {
    const body = (await res.json()) as { ok?: unknown };
    if (res.status !== 200 || typeof body.ok !== 'boolean') throw new Error(`GET /healthz answered ${res.status}`);
  });
  const failed = await asked.then(
    () => undefined,
    (error: unknown) => error,
  );
  const code = await server.stop();
  if (failed) throw failed;
  if (code !== 0) throw new Error(`exit ${code} on SIGTERM`);
}

/** `key=…` in a URL → the example value; any other `…` left is a placeholder with no example. */
function withExamples(word: string): string {
  const out = word.replace(/([?&])(\w+)=…/g, (m, sep: string, key: string) =>
    EXAMPLE_PARAMS[key] ? `${sep}${key}=${EXAMPLE_PARAMS[key]}` : m,
  );
  if (out.includes('…')) throw new Error(`a placeholder with no example value (EXAMPLE_PARAMS): ${out}`);
  return out;
}

/** `npm start`, `npm test`, `npm run X`: the script's own commands, each checked as a line of the README. */
async function runNpm(words: string[], project: Project, skipped: string | undefined): Promise<void> {
  const [verb, name] = [words[1], words[2]];
  const script =
    verb === 'run' || verb === 'run-script'
      ? name
      : ['start', 'test', 'stop', 'restart'].includes(verb ?? '')
        ? verb
        : undefined;
  if (script === undefined) {
    if (skipped) return;
    throw new Error(`npm ${verb ?? ''} is not run here: add it to SKIPPED with the reason`);
  }
  const body = project.scripts[script];
  if (body === undefined) throw new Error(`no script "${script}" in package.json`);
  if (skipped) return;
  for (const piece of shellPieces(body)) await runLine(piece.trim().replace(/\s+/g, ' '), project);
}

/** A `curl` of the default baseUrl, sent to `wxfeed serve` of the copy; one to any other host is refused. */
async function runCurl(args: string[], project: Project, env: Record<string, string>): Promise<void> {
  const ours = /^https?:\/\/(?:localhost|127\.0\.0\.1):8080\//;
  const away = args.find((a) => /^https?:\/\//.test(a) && !ours.test(a));
  if (away) throw new Error(`${away}: tests send no request to another host than the server of wxfeed`);
  const server = await startServer(['serve'], project, {});
  try {
    const base = server.url.replace(/\/?$/, '/');
    const local = args.map((a) => a.replace(ours, base));
    const r = await run(['--fail', '--silent', '--show-error', '--max-time', '10', ...local], project, env, 'curl');
    if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr.trim()}`);
  } finally {
    await server.stop();
  }
}

/** A synopsis's alternatives (`a | --b`), each as its words without brackets; undefined when it is not wxfeed's. */
function alternativesOf(text: string): string[][] | undefined {
  const [first, ...others] = text.split(/\s+\|\s+/);
  const head = wxfeedArgs(first!.split(/\s+/));
  if (!head) return undefined;
  return [head.join(' '), ...others].map((a) => a.split(/\s+/).map((w) => w.replace(/^\[+|\]+$/g, '')));
}

const subOf = (words: string[]) => (/^[a-z][a-z-]*$/.test(words[0] ?? '') ? words[0]! : '');

/** Ask, all at once, for the helps the synopses among `commands` are checked against. */
export function askHelps(commands: readonly ShownCommand[], project: Project): void {
  for (const cmd of commands)
    if (cmd.kind === 'usage') for (const words of alternativesOf(cmd.text) ?? []) void help(subOf(words), project);
}

/** A synopsis: its subcommand is listed by `wxfeed --help` and has a help; every flag named is in those helps. */
async function checkUsage(text: string, project: Project): Promise<void> {
  const alternatives = alternativesOf(text);
  if (!alternatives) throw new Error('a synopsis of a command other than wxfeed: nothing to check it against');
  const top = await help('', project);
  for (const words of alternatives) {
    const sub = subOf(words);
    if (sub && !new RegExp(`^ {2}${sub}\\b`, 'm').test(top)) throw new Error(`${sub}: not a command of wxfeed --help`);
    const own = sub ? await help(sub, project) : '';
    for (const flag of words.filter((w) => /^--?[A-Za-z][\w-]*$/.test(w)))
      if (!new RegExp(`(?:^|[\\s,])${flag}\\b`, 'm').test(`${own}\n${top}`))
        throw new Error(`${flag}: not an option of wxfeed${sub ? ` ${sub}` : ''} (see its --help)`);
  }
}

/** `wxfeed [sub] --help` (its output; '' when it fails), asked once per project. */
function help(sub: string, project: Project): Promise<string> {
  let text = project.helps.get(sub);
  if (!text) {
    text = run([DIST_CLI, ...(sub ? [sub] : []), '--help'], project, {}).then(
      (r) => (r.status === 0 ? r.stdout : ''),
      () => '',
    );
    project.helps.set(sub, text);
  }
  return text;
}

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', ...extra };
  // The daemon and the server say where they listen at the info level.
  if (!('WXFEED_LOG_LEVEL' in extra)) delete env.WXFEED_LOG_LEVEL;
  return env;
}

/** Run a program in the project (node unless named) and wait for it, at most 20 s. */
function run(args: string[], project: Project, env: Record<string, string>, program = process.execPath): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: project.dir, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Start `wxfeed daemon` or `serve` in the project; resolves with the URL it says it serves. */
function startServer(
  args: string[],
  project: Project,
  env: Record<string, string>,
): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [DIST_CLI, ...args], {
    cwd: project.dir,
    env: childEnv(env),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`no "serving feeds" line in 15 s: ${err.slice(0, 500)}`));
    }, 15_000);
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      const url = /"url":"(http:\/\/[^"]+)"/.exec(err)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, stop });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exit ${code} before serving: ${err.trim().split('\n').slice(0, 3).join(' | ')}`));
    });
  });
}
