/**
 * Bidi controls and other invisible format characters (issue 20, item 5): they reach the terminal quoted, as their
 * code points (`\u202e`), like C0 controls do, in what `wxfeed add`, `wxfeed unfollow` and `wxfeed list` print from
 * outside (URLs, album titles, account names, reasons, file names), and in `--json`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeControls, quoteName, shellWord, terminalJson } from '../src/commands/report.js';
import { closeStore, openStore } from '../src/store/db.js';
import { Store } from '../src/store/store.js';
import { tempDir } from './helpers/tmp.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'src/commands/cli.ts');
const TSX = import.meta.resolve('tsx');
const RLO = '\u202e';
/** Every character a terminal must not get raw: the bidi controls, and the other invisible format characters. */
const BIDI = ['\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e'];
const ISOLATES = ['\u2066', '\u2067', '\u2068', '\u2069'];
const INVISIBLE = ['\u00ad', '\u180e', '\u200b', '\u2028', '\u2029', '\u2060', '\u2064', '\u206a', '\u206f', '\ufeff'];
const ANNOTATION = ['\ufff9', '\ufffb'];
const ALL = [...BIDI, ...ISOLATES, ...INVISIBLE, ...ANNOTATION];
/** Nothing a terminal acts on: C0 (but the newline), DEL, C1, and the format characters above. */
const RAW =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/;
const hex = (ch: string) => ch.codePointAt(0)!.toString(16).padStart(4, '0');

describe('quoteName, escapeControls, shellWord, terminalJson', () => {
  it('each bidi control and invisible format character is quoted as its code point', () => {
    for (const ch of ALL) {
      expect(quoteName(`a${ch}b`), hex(ch)).toBe(`"a\\u${hex(ch)}b"`);
      expect(escapeControls(`a${ch}b`), hex(ch)).toBe(`a\\u${hex(ch)}b`);
      expect(shellWord(`a${ch}b`), hex(ch)).toBe(`"a\\u${hex(ch)}b"`);
    }
    // The classic: a name that reads as `invoice_exe.pdf` on a terminal.
    expect(quoteName(`invoice_${RLO}fdp.exe`)).toBe('"invoice_\\u202efdp.exe"');
    // A tag character (U+E0041, outside the BMP) is one code point, not two halves.
    expect(quoteName('a\u{e0041}b')).toBe('"a\\u{e0041}b"');
    // With C0 controls and quotes in the same name, each keeps its own escape.
    expect(quoteName(`"x"${RLO}\x1b[2J`)).toBe('"\\"x\\"\\u202e\\033[2J"');
  });

  it('joiners, variation selectors, CJK and emoji are left as they are (no quotes)', () => {
    for (const plain of [
      '👨\u200d👩\u200d👧',
      'می\u200cخواهم',
      '❤\ufe0f',
      '测试合集：文章 🎉',
      'https://mp.weixin.qq.com/s?a=1',
    ])
      expect(quoteName(plain)).toBe(plain);
  });

  it('terminalJson: the same value to a JSON reader, no raw DEL, C1 or format character to the terminal', () => {
    const value = { title: `t${RLO}x\u009b2J\u007f\u{e0041}`, plain: '合集 👨\u200d👩' };
    const text = terminalJson(value);
    expect(text).toBe('{"title":"t\\u202ex\\u009b2J\\u007f\\udb40\\udc41","plain":"合集 👨\u200d👩"}');
    expect(JSON.parse(text)).toEqual(value);
    expect(text).not.toMatch(RAW);
  });
});

describe('wxfeed add, unfollow and list print no bidi control raw', () => {
  let t: { dir: string; cleanup: () => void };
  const URLS = `urls${RLO}txt.md`;
  const wxfeed = (args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', TSX, CLI, ...args, '--config', join(t.dir, 'wxfeed.yaml')], {
      cwd: t.dir,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  beforeEach(() => {
    t = tempDir();
    mkdirSync(join(t.dir, 'dumps'));
    writeFileSync(join(t.dir, 'wxfeed.yaml'), `dumps: [dumps]\nurlFiles: ["${URLS}"]\nstore: data/wxfeed.db\n`);
  });
  afterEach(() => t.cleanup());

  const BIZ = 'Mzg4NTc2OTYxMQ==';
  const ALBUM = '3329839945947119618';
  const ALBUM_URL = `https://mp.weixin.qq.com/mp/appmsgalbum?__biz=${BIZ}&action=getalbum&album_id=${ALBUM}`;
  const ARTICLE = `https://mp.weixin.qq.com/s?__biz=${BIZ}&mid=2247483650&idx=1&sn=0123456789abcdef0123456789abcdef`;

  it('add: a refused URL and the URL file name are quoted with \\u202e', () => {
    const r = wxfeed(['add', `https://example.com/${RLO}gpj.exe`, ARTICLE]);
    expect(r.code).toBe(2);
    const file = join(t.dir, URLS);
    expect(r.out.split('\n')).toEqual([
      'refused  "https://example.com/\\u202egpj.exe": not a WeChat article URL (mp.weixin.qq.com)',
      `added  ${ARTICLE}`,
      `1 added to "${file.replace(RLO, '\\u202e')}"; the next build fetches them.`,
      '',
    ]);
    expect(`${r.out}${r.err}`).not.toMatch(RAW);
    expect(readFileSync(file, 'utf8')).toContain(`${ARTICLE}\n`);
  }, 30_000);

  it('unfollow and list: an album title and account with U+202E; a URL file line refused with its reason', () => {
    writeFileSync(join(t.dir, URLS), `${ALBUM_URL}\nhttps://mp.weixin.qq.com/s/${RLO}x y\n`);
    const db = openStore(join(t.dir, 'data/wxfeed.db'));
    try {
      const store = new Store(db);
      store.albums.insert({ albumId: ALBUM, biz: BIZ }, 'url', null, true, Date.UTC(2025, 0, 1));
      store.albums.recordPage(ALBUM, { title: `合集${RLO}cod.exe`, account: `账号${RLO}` }, Date.UTC(2025, 0, 1));
    } finally {
      closeStore(db, true);
    }
    const list = wxfeed(['list']);
    expect(list.code).toBe(0);
    expect(list.out).not.toMatch(RAW);
    // The album's title and its account's name, each escaped wherever the listing puts them.
    expect(list.out).toContain(`合集\\u202ecod.exe  ${ALBUM_URL}`);
    expect(list.out).toContain('账号\\u202e');
    expect(list.out).toContain(`${join(t.dir, URLS).replace(RLO, '\\u202e')}:2: https://mp.weixin.qq.com/s/\\u202ex y`);
    const json = wxfeed(['list', '--json']);
    expect(json.out).not.toMatch(RAW);
    const parsed = JSON.parse(json.out) as { albums: Array<{ title: string; account: string }> };
    expect(parsed.albums.map((a) => [a.title, a.account])).toEqual([[`合集${RLO}cod.exe`, `账号${RLO}`]]);

    const un = wxfeed(['unfollow', ALBUM, `album-${RLO}1`]);
    expect(un.code).toBe(2);
    expect(un.out).not.toMatch(RAW);
    expect(un.out.split('\n')).toEqual([
      `unfollowed  "合集\\u202ecod.exe · 账号\\u202e"  ${ALBUM_URL}: no more polls; its 0 articles and its feed stay`,
      `  still listed at "${join(t.dir, URLS).replace(RLO, '\\u202e')}:1": it stays unfollowed; remove that line, or \`wxfeed follow\` it to follow it again`,
      '"album-\\u202e1": not an album or homepage URL, id or feed folder (album-<id>, home-<account>-<hid>)'.replace(
        /^/,
        'refused  ',
      ),
      '',
    ]);
  }, 60_000);
});
