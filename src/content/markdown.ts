/**
 * Markdown → sanitized HTML. markdown-it renders; the sanitizer runs last.
 */
import MarkdownIt from 'markdown-it';
import cjkFriendly from 'markdown-it-cjk-friendly';
import { decode as decodeUrl, encode as encodeUrl } from 'mdurl';
import { alreadySanitized, sanitizeHtml } from './sanitize.js';
import { cleanText } from './text.js';

/** CommonMark will not close `**粗体（注）**后文` (punctuation before, a CJK letter after); the plugin lets it. */
const md = new MarkdownIt({ html: true, linkify: true, breaks: false }).use(cjkFriendly);
// Bare URLs with a scheme (https://…) become links; words that merely look like a domain (`README.md`,
// `config.sh`, `x.com`) or an address stay text.
md.linkify.set({ fuzzyLink: false });

// Links with a plain ASCII host need none of the URL parsing, punycode and formatting markdown-it puts every link
// through (a third of its time on real archived bodies, which hold dozens of links each): for them that path gives
// exactly what encoding, or decoding for the link's text, the URL as written gives (checked in the tests).
const PLAIN_URL = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:[/?#][\x21-\x7e]*)?$/;
const plainUrl = (url: string): boolean => PLAIN_URL.test(url) && !/^https?:\/\/[^/?#]*xn--/i.test(url);
const normalizeLink = md.normalizeLink.bind(md);
const normalizeLinkText = md.normalizeLinkText.bind(md);
md.normalizeLink = (url) => (plainUrl(url) ? encodeUrl(url) : normalizeLink(url));
md.normalizeLinkText = (url) => (plainUrl(url) ? decodeUrl(url, `${decodeUrl.defaultChars}%`) : normalizeLinkText(url));

// Before linkify looks for links in a paragraph it runs a quick test: one case-insensitive pattern of every scheme and
// of fuzzy hosts (a tenth of markdown-it's time on archived bodies). With fuzzy links off, what linkify can find has a
// scheme (`http:`, `https:`, `ftp:`, `mailto:`: a colon), is protocol-relative (`//`), or is an e-mail address (`@`):
// a paragraph with none of the three has no link, and any other goes on to linkify's full test as before. (A colon
// written as an entity, `&#58;`, is not a text token's: linkify never saw it.)
const MAY_LINK = /[:@]|\/\//;
const linkifyPretest = md.linkify.pretest.bind(md.linkify);
md.linkify.pretest = (text) => MAY_LINK.test(text);

/** The link normalising in use, and markdown-it's own, for the tests that check the shortcut against it. */
export const markdownItLink = {
  normalizeLink,
  normalizeLinkText,
  plainUrl,
  link: (url: string) => md.normalizeLink(url),
  text: (url: string) => md.normalizeLinkText(url),
  /** linkify's own quick test, and a way to render with it (or with ours) for the tests. */
  linkifyPretest,
  usePretest: (pretest: (text: string) => boolean) => {
    md.linkify.pretest = pretest;
  },
  mayLink: (text: string) => MAY_LINK.test(text),
};

// Table cell alignment as the `align` attribute the sanitizer keeps, not a `style` it would drop.
md.core.ruler.push('wxfeed_align', (state) => {
  for (const token of state.tokens) {
    if (token.type === 'th_open' || token.type === 'td_open') {
      const style = token.attrGet('style');
      const align = style && /^text-align:(left|right|center)$/.exec(style)?.[1];
      token.attrs = align ? [['align', align]] : null;
    }
  }
});

/** Empty images (`![]()`) carry nothing; drop them before rendering. */
const EMPTY_IMAGE = /!\[[^\]]*\]\(\s*\)/g;

/** Markdown → HTML as markdown-it writes it, not yet sanitized; `raw`: whether the markdown held raw HTML. */
export function markdownItHtml(markdown: string): { html: string; raw: boolean } {
  const env = {};
  const tokens = md.parse(markdown.replace(EMPTY_IMAGE, ''), env);
  // Raw HTML is an html_block or html_inline token; a `<` in text or code is escaped by markdown-it.
  const raw =
    markdown.includes('<') &&
    tokens.some((t) => t.type === 'html_block' || t.children?.some((c) => c.type === 'html_inline') === true);
  return { html: md.renderer.render(tokens, md.options, env), raw };
}

/** Markdown → HTML as markdown-it writes it, not yet sanitized. */
export function unsanitizedHtml(markdown: string): string {
  return markdownItHtml(markdown).html;
}

/**
 * Markdown → sanitized HTML. Markdown without raw HTML renders to tags markdown-it writes itself; when those are
 * all on the allow-list (most articles), the sanitizer would return them as they are and is skipped.
 */
export function renderMarkdown(markdown: string): string {
  const { html, raw } = markdownItHtml(markdown);
  return !raw && alreadySanitized(html) ? html.trim() : sanitizeHtml(html);
}

/** Markdown → the sanitized HTML a feed carries. A change to what it gives must bump `MARKDOWN_VERSION` (body.ts). */
export function markdownHtml(markdown: string): string {
  return markdown === '' ? '' : cleanText(renderMarkdown(markdown));
}
