/**
 * Every command README.md shows works, as a newcomer would type it: run in README order in a temp copy of the project
 * (test/helpers/readme-commands.ts), its synopses checked against the help, the daemon started, asked and stopped.
 * Only the commands named in SKIPPED, each with its reason, are not run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startFaultServer, type FaultServer } from './helpers/fault-server.js';
import { OWN_FIXTURES } from './helpers/paths.js';
import {
  askHelps,
  checkShown,
  copyProject,
  type Project,
  SKIPPED,
  shellWords,
  shownCommands,
} from './helpers/readme-commands.js';
import { tempDir } from './helpers/tmp.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const COMMANDS = shownCommands(README);

let pages: FaultServer;
let t: { dir: string; cleanup: () => void };
let project: Project;
beforeAll(async () => {
  pages = await startFaultServer();
  pages.pages.set('/s', readFileSync(`${OWN_FIXTURES}pages/article.html`, 'utf8'));
  t = tempDir('wxfeed-readme-');
  project = copyProject(t.dir, pages.origin);
  askHelps(COMMANDS, project);
});
afterAll(async () => {
  await pages?.close();
  t?.cleanup();
});

describe('every command in README.md runs', () => {
  it('finds its commands, both to run and synopses; every command skipped is still in it', () => {
    expect(COMMANDS.filter((c) => c.kind === 'run').length).toBeGreaterThanOrEqual(4);
    expect(COMMANDS.some((c) => c.kind === 'usage')).toBe(true);
    for (const skipped of SKIPPED.keys()) expect(COMMANDS.map((c) => c.text)).toContain(skipped);
  });

  for (const cmd of COMMANDS) {
    const why = SKIPPED.get(cmd.text);
    const name = `line ${cmd.line}: ${cmd.text}${why ? ` (not run: ${why})` : ''}`;
    it(name, () => checkShown(cmd, project));
  }
});

describe('the check fails for a command that does not work', () => {
  const bad = (markdown: string) => {
    const [cmd] = shownCommands(markdown);
    if (!cmd) throw new Error(`no command in ${markdown}`);
    return checkShown(cmd, project);
  };

  it.each([
    ['a misspelt subcommand', '```sh\nnpx wxfeed bulid\n```', /exit 2: error: unknown command 'bulid'/],
    ['a misspelt flag', '```sh\nwxfeed build --ofline   # offline\n```', /exit 2: error: unknown option '--ofline'/],
    ['a script package.json lacks', '`npm run srve`', /no script "srve" in package.json/],
    ['an npm command neither run nor skipped', '`npm ci`', /npm ci is not run here/],
    ['a synopsis of no subcommand', '```\nwxfeed lst [--config FILE]\n```', /lst: not a command of wxfeed --help/],
    ['a synopsis with a flag the help lacks', '```\nwxfeed list [--jsn]\n```', /--jsn: not an option of wxfeed list/],
    ['a URL placeholder without example', "`wxfeed add 'https://mp.weixin.qq.com/s?__biz=…&chksm=…'`", /no example/],
    ['a pipe', '```sh\nwxfeed list | head\n```', /shell syntax \(\|\)/],
    ['a curl the server answers 404', '```sh\ncurl <baseUrl>missing/atom.xml\n```', /exit 22/],
    ['a curl to another host', '`curl https://example.org/`', /no request to another host/],
  ])('%s', async (_what, markdown, message) => {
    await expect(bad(markdown)).rejects.toThrow(message);
  });

  it('and passes them spelt right: a curl to the server, a synopsis', async () => {
    await bad('```sh\ncurl <baseUrl>healthz\n```');
    await bad('```\nwxfeed list [--config FILE] [--json]\n```');
  });
});

describe('reading the commands out of markdown', () => {
  it('fenced lines without prompt and comment, split at &&; inline code; synopses told apart; each once', () => {
    const md = [
      'Intro `wxfeed list` and `not-ours --x`.',
      '```sh',
      '$ npm install && npm start   # sets up',
      "npx wxfeed add 'https://a/?x=1#frag' # a comment",
      'echo not a command',
      '```',
      '```',
      'wxfeed build [--config FILE]',
      'wxfeed add URL...',
      '```',
      'Then `wxfeed list` again, and `npx wxfeed …`.',
    ].join('\n');
    expect(shownCommands(md)).toEqual([
      { text: 'wxfeed list', line: 1, kind: 'run' },
      { text: 'npm install', line: 3, kind: 'run' },
      { text: 'npm start', line: 3, kind: 'run' },
      { text: "npx wxfeed add 'https://a/?x=1#frag'", line: 4, kind: 'run' },
      { text: 'wxfeed build [--config FILE]', line: 8, kind: 'usage' },
      { text: 'wxfeed add URL...', line: 9, kind: 'usage' },
      { text: 'npx wxfeed …', line: 11, kind: 'usage' },
    ]);
  });

  it('words as the shell reads them', () => {
    expect(shellWords(`a 'b c' "d \\"e\\"" f\\ g`)).toEqual(['a', 'b c', 'd "e"', 'f g']);
    expect(() => shellWords('a > b')).toThrow(/shell syntax/);
    expect(() => shellWords("a 'b")).toThrow(/unclosed/);
  });
});
