/**
 * The index page's management panel as a pure function: carried only when `server.token` is set (`manage`), hidden
 * until its script has asked the server, allowed by hash with requests to its own origin only; without a token, one
 * line says how to enable it. Its texts exist in both languages with the same `{name}` parts, and its script writes
 * no markup, stores nothing and sends the token only in a POST body.
 */
import { createHash } from 'node:crypto';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { messages } from '../../src/feeds/messages.js';
import { type IndexPage, renderIndex } from '../../src/feeds/index-page.js';
import { MANAGE_SCRIPT } from '../../src/feeds/manage-script.js';

const BASE = 'http://feeds.example.test/wx/';
const T0 = Date.UTC(2024, 6, 20, 4);

function page(extra: Partial<IndexPage> = {}): IndexPage {
  return {
    title: '订阅',
    baseUrl: BASE,
    all: { slug: 'all', title: 'All accounts', items: 3, base: `${BASE}all/` },
    entries: [{ slug: 'a', title: '甲号', items: 2, base: `${BASE}a/`, newestTitle: '甲的文章', newestDate: T0 }],
    latest: [],
    ...extra,
  };
}

const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
const cspOf = (html: string) => /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
const scriptsOf = (html: string) => [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
const jsonOf = (html: string, id: string) =>
  JSON.parse(new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`).exec(html)![1]!) as {
    base: string;
    texts: Record<string, unknown>;
  };

describe('without server.token', () => {
  const html = renderIndex(page());

  it('carries no panel, no script of it and no request: one line says how to enable management', () => {
    expect(html).not.toContain('wxManage');
    expect(scriptsOf(html)).toHaveLength(2);
    expect(cspOf(html)).not.toContain('connect-src');
    expect(cspOf(html)).toMatch(/^default-src 'none'; /);
    expect(html).toContain(
      '<footer class="wrap mute"><p>只读页面。要在这里关注和取消关注，请在配置中设置 <code>server.token</code>，并用 <code>wxfeed daemon</code> 或 <code>wxfeed serve</code> 提供此页。</p></footer>',
    );
    expect(renderIndex(page({ language: 'en' }))).toContain(
      '<p>Read-only. To follow and unfollow from this page, set <code>server.token</code> in the config and serve it with <code>wxfeed daemon</code> or <code>wxfeed serve</code>.</p>',
    );
  });
});

describe('with server.token', () => {
  const html = renderIndex(page({ manage: true }));
  const csp = cspOf(html);

  it('allows its style and three scripts by hash, and requests to its own origin only', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(csp).toContain(`style-src ${hash(style)};`);
    const scripts = scriptsOf(html);
    expect(scripts).toHaveLength(3);
    expect(scripts[2]).toBe(MANAGE_SCRIPT);
    expect(csp).toContain(`script-src ${scripts.map(hash).join(' ')};`);
    expect(csp).toContain("connect-src 'self';");
    expect(csp).toContain("form-action 'none'");
    expect(csp).not.toContain('unsafe');
    expect(html).not.toContain('<footer');
  });

  it('is hidden until the script knows what the server offers; the token is a password field of a form that posts nowhere', () => {
    expect(html).toMatch(/<section class="card" id="wxManage" aria-labelledby="wxmH" hidden>/);
    expect(html).toMatch(/<form id="wxmIn" hidden>/);
    expect(html).toMatch(/<div id="wxmPanel" hidden>/);
    expect(html).toContain(
      '<input id="wxmToken" name="token" type="password" autocomplete="current-password" required>',
    );
    expect(html).not.toMatch(/<form[^>]*\s(action|method)=/);
    // Every control has a label.
    for (const id of ['wxmToken', 'wxmText']) expect(html).toContain(`<label for="${id}">`);
  });

  it('gives the script the API base path (baseUrl path) and its texts in the feed language', () => {
    const zh = jsonOf(html, 'wxManageText');
    expect(zh.base).toBe('/wx/');
    expect(zh.texts.signIn).toBe('登录');
    expect(zh.texts.cooldown).toEqual({
      captcha: '遇到验证码或限流，实时抓取暂停到 {until}。',
      refused: '微信拒绝了请求（HTTP 429/403 或频率限制），实时抓取暂停到 {until}。',
      unreachable: '连不上微信，实时抓取暂停到 {until}。',
    });
    expect(jsonOf(renderIndex(page({ manage: true, baseUrl: 'https://x.example/' })), 'wxManageText').base).toBe('/');
    const en = renderIndex(page({ manage: true, language: 'en' }));
    expect(jsonOf(en, 'wxManageText').texts.signIn).toBe('Sign in');
    // No Chinese text of ours in the English page, the panel and its texts included.
    expect(en.replaceAll('甲号', '').replaceAll('甲的文章', '').replaceAll('订阅', '')).not.toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('the panel texts', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('every text in both languages, with the same {name} parts, each one the script fills', () => {
    const zh = messages('zh-CN').manage;
    const en = messages('en').manage;
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const key of Object.keys(zh) as Array<keyof typeof zh>) {
      expect(zh[key].trim(), key).not.toBe('');
      expect(placeholders(en[key]), key).toEqual(placeholders(zh[key]));
      for (const name of placeholders(zh[key]))
        expect(MANAGE_SCRIPT, `${key}: {${name}}`).toMatch(new RegExp(`[{,]\\s*${name}\\s*[:,}]`));
    }
  });
});

describe('the panel script', () => {
  it('is a script a browser compiles (plain JavaScript, no module syntax)', () => {
    expect(() => new Script(MANAGE_SCRIPT)).not.toThrow();
  });

  it('writes no markup, evaluates nothing, stores nothing', () => {
    expect(MANAGE_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
    expect(MANAGE_SCRIPT).not.toMatch(/localStorage|sessionStorage|indexedDB|document\.cookie/);
    // It cannot end its own element.
    expect(MANAGE_SCRIPT).not.toMatch(/<\/script|<!--/i);
  });

  it('sends the token only as the JSON body of POST api/session', () => {
    const uses = [...MANAGE_SCRIPT.matchAll(/token\.value/g)];
    expect(uses.length).toBeGreaterThan(0);
    expect(MANAGE_SCRIPT).toContain("call('POST', 'session', { token: token.value })");
    // Requests go through one function, to the API under the base path, never with the token in their URL.
    expect(MANAGE_SCRIPT.match(/fetch\(/g)).toHaveLength(1);
    expect(MANAGE_SCRIPT).toContain("fetch(C.base + 'api/' + path, init)");
  });
});
