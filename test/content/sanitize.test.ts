/**
 * Every URL attribute gets the same scheme check (issue 13, item 5): links may be http, https or mailto; media
 * (img, video, audio, source, iframe, poster, srcset) only http or https; never protocol-relative. Through the
 * sanitizer and through its fast path (`alreadySanitized`), which must never pass what the sanitizer would change.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { load } from 'cheerio';
import { alreadySanitized, sanitizeHtml } from '../../src/content/sanitize.js';

/** Hostile and harmless spellings of URLs, as they appear inside a double-quoted attribute. */
const HOSTILE = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  '&#106;avascript:alert(1)',
  '&#x6A;avascript&colon;alert(1)',
  'java&#9;script:alert(1)',
  ' javascript:alert(1)',
  '\tjavascript:alert(1)',
  'vbscript:msgbox(1)',
  'data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+',
  'data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;',
  'DATA:image/png;base64,iVBORw0KGgo=',
  '//evil.example/x.png',
  '\\\\evil.example/x.png',
  'ftp://h/f',
  'file:///etc/passwd',
];
/** Allowed for links, refused for media. */
const MAILTO = 'mailto:someone@example.com';
const FINE = ['https://example.com/p.jpg', 'http://example.com/v.mp4', 'p.jpg', '/a/b.png', '#top'];
const MEDIA_TAGS = ['img', 'video', 'audio', 'source', 'iframe'];
const URL_ATTRIBUTES = [
  'src',
  'href',
  'poster',
  'srcset',
  'data-src',
  'cite',
  'action',
  'formaction',
  'background',
  'longdesc',
  'xlink:href',
];

/** The same HTML however it is spelled: parsed and written back by one serializer. */
const normal = (html: string): string => load(html, null, false).html();

/** Every URL-valued attribute left in sanitized HTML, with its tag, as the browser would read it. */
function urlsIn(html: string): Array<{ tag: string; attr: string; value: string }> {
  const $ = load(html, null, false);
  const out: Array<{ tag: string; attr: string; value: string }> = [];
  $('*').each((_, el) => {
    if (el.type !== 'tag') return;
    for (const [attr, value] of Object.entries(el.attribs)) {
      if (!URL_ATTRIBUTES.includes(attr)) continue;
      const values = attr === 'srcset' ? value.split(',').map((v) => v.trim().split(/\s+/)[0] ?? '') : [value];
      for (const v of values) out.push({ tag: el.name, attr, value: v });
    }
  });
  return out;
}

/** The rule: the scheme (after dropping what browsers ignore) is allowed for the tag; no protocol-relative URL. */
function allowed(tag: string, value: string): boolean {
  const url = value.replace(/[\x00-\x20]+/g, '');
  if (/^[/\\]{2}/.test(url)) return false;
  const scheme = /^([a-zA-Z][a-zA-Z0-9.\-+]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return true;
  return (MEDIA_TAGS.includes(tag) ? ['http', 'https'] : ['http', 'https', 'mailto']).includes(scheme);
}

const SHAPES = [
  (u: string) => `<video poster="${u}" src="https://example.com/v.mp4" controls></video>`,
  (u: string) => `<video src="${u}" controls></video>`,
  (u: string) => `<audio src="${u}" controls></audio>`,
  (u: string) => `<video controls><source src="${u}" type="video/mp4" /></video>`,
  (u: string) => `<img src="${u}" alt="x" />`,
  (u: string) => `<img src="https://example.com/a.png" srcset="${u} 2x, https://example.com/b.png 1x" />`,
  (u: string) => `<img src="https://example.com/a.png" data-src="${u}" />`,
  (u: string) => `<iframe src="${u}"></iframe>`,
  (u: string) => `<a href="${u}">x</a>`,
  (u: string) => `<blockquote cite="${u}">q</blockquote>`,
  (u: string) => `<q cite="${u}">q</q>`,
  (u: string) => `<form action="${u}"><button formaction="${u}">b</button></form>`,
  (u: string) => `<table background="${u}"><tr><td background="${u}">c</td></tr></table>`,
  (u: string) => `<svg><a xlink:href="${u}">x</a></svg>`,
];

describe('sanitizer: one scheme rule for every URL attribute (item 5)', () => {
  it('no hostile URL survives in any URL attribute of any tag', () => {
    for (const shape of SHAPES)
      for (const u of [...HOSTILE, MAILTO]) {
        const html = shape(u);
        const out = sanitizeHtml(html);
        for (const found of urlsIn(out)) expect(allowed(found.tag, found.value), `${html}\n→ ${out}`).toBe(true);
        expect(out.toLowerCase(), html).not.toMatch(/javascript|vbscript|data:|evil\.example|file:/);
      }
  });

  it('poster="javascript:…" and data: posters are removed; an https poster stays', () => {
    expect(sanitizeHtml('<video poster="javascript:alert(1)" src="https://e.example/v.mp4"></video>')).toBe(
      '<video src="https://e.example/v.mp4"></video>',
    );
    expect(sanitizeHtml('<video poster="data:image/png;base64,iVBORw0KGgo=" controls></video>')).toBe(
      '<video controls></video>',
    );
    expect(sanitizeHtml('<video poster="mailto:a@b.example"></video>')).toBe('<video></video>');
    expect(sanitizeHtml('<video poster="https://e.example/p.jpg" controls></video>')).toBe(
      '<video poster="https://e.example/p.jpg" controls></video>',
    );
    expect(sanitizeHtml('<a href="mailto:a@b.example">m</a>')).toBe('<a href="mailto:a@b.example">m</a>');
    expect(sanitizeHtml('<video src="mailto:a@b.example"></video>')).toBe('<video></video>');
  });

  it('harmless URLs are kept where the tag allows the attribute', () => {
    for (const u of FINE) {
      expect(sanitizeHtml(`<a href="${u}">x</a>`)).toBe(`<a href="${u}">x</a>`);
      expect(sanitizeHtml(`<video poster="${u}"></video>`)).toBe(`<video poster="${u}"></video>`);
    }
  });
});

describe('the fast path applies the same rule (item 5)', () => {
  it('refuses every hostile URL attribute, so the sanitizer runs', () => {
    for (const shape of SHAPES)
      for (const u of HOSTILE) {
        const html = `<p>${shape(u)}</p>`;
        expect(alreadySanitized(html), html).toBe(false);
      }
    for (const shape of SHAPES.slice(0, 8))
      expect(alreadySanitized(`<p>${shape(MAILTO)}</p>`), shape(MAILTO)).toBe(false);
    expect(alreadySanitized(`<p><a href="${MAILTO}">x</a></p>`)).toBe(true);
    expect(alreadySanitized('<p><video poster="mailto:a@b.example"></video></p>')).toBe(false);
    expect(alreadySanitized('<p><video src="mailto:a@b.example"></video></p>')).toBe(false);
    expect(alreadySanitized('<p><source src="mailto:a@b.example"></p>')).toBe(false);
  });

  it('passes only what the sanitizer leaves as it is (fast-check, 5,000 tags)', () => {
    const tag = fc.constantFrom('a', 'img', 'video', 'audio', 'source', 'span', 'blockquote', 'q', 'iframe');
    const attr = fc.constantFrom(...URL_ATTRIBUTES.filter((a) => !a.includes(':')), 'alt', 'title', 'controls');
    const value = fc.constantFrom(...HOSTILE, ...FINE, MAILTO);
    const element = fc.tuple(tag, fc.array(fc.tuple(attr, value), { maxLength: 3 })).map(([t, attrs]) => {
      const list = [...new Map(attrs).entries()].map(([a, v]) => ` ${a}="${v}"`).join('');
      return t === 'img' || t === 'source' ? `<${t}${list} />` : `<${t}${list}>x</${t}>`;
    });
    fc.assert(
      fc.property(element, (inner) => {
        const html = `<div>${inner}</div>`;
        const out = sanitizeHtml(html);
        if (alreadySanitized(html)) expect(normal(out), html).toBe(normal(html));
        for (const found of urlsIn(out)) expect(allowed(found.tag, found.value), html).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('paragraphs as HTML reads them (the W3C validator’s NotHtml)', () => {
  it('a paragraph that holds a block becomes a div; other paragraphs stay', () => {
    expect(sanitizeHtml('<p>Allowed HTML <a href="https://x.example/">x <em> <ul> <li> • <blockquote> &lt;...')).toBe(
      '<div>Allowed HTML <a href="https://x.example/">x <em> <ul> <li> • <blockquote> &lt;...</blockquote></li></ul></em></a></div>',
    );
    expect(sanitizeHtml('<p>a</p><p>b <b>c</b></p>')).toBe('<p>a</p><p>b <b>c</b></p>');
    expect(sanitizeHtml('<div><p>a <span><p>b</p></span></p></div>')).toBe(
      '<div><div>a <span><p>b</p></span></div></div>',
    );
  });

  it('a heading inside a heading becomes a span (as nmap output quoting pages leaves in a dump); others stay', () => {
    expect(sanitizeHtml('<h1>Bad Request <h1>Not <b>Found</b></h1> tail</h1><h2>next</h2>')).toBe(
      '<h1>Bad Request <span>Not <b>Found</b></span> tail</h1><h2>next</h2>',
    );
    expect(sanitizeHtml('<p>SF:<h1>a<h2>b<h3>c</h3></h2></h1></p>')).toBe(
      '<p>SF:</p><h1>a<span>b<span>c</span></span></h1><p></p>',
    );
    expect(sanitizeHtml('<h1>one</h1><h3>two</h3>')).toBe('<h1>one</h1><h3>two</h3>');
  });
});
