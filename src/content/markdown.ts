/**
 * Markdown → sanitized HTML. markdown-it renders; the sanitizer runs last.
 */
import MarkdownIt from 'markdown-it';
import cjkFriendly from 'markdown-it-cjk-friendly';
import { decode as decodeUrl, encode as encodeUrl } from 'mdurl';
import { alreadySanitized, sanitizeHtml, writtenTagAllowed } from './sanitize.js';
import { cleanText } from './text.js';

/** CommonMark will not close `**粗体（注）**后文` (punctuation before, a CJK letter after); the plugin lets it. */
const md = new MarkdownIt({ html: true, linkify: true, breaks: false }).use(cjkFriendly);
// Bare URLs with a scheme (https://…) become links; words that merely look like a domain (`README.md`,
// `config.sh`, `x.com`) or an address stay text.
md.linkify.set({ fuzzyLink: false });

// Links with a plain ASCII host skip the URL parsing, punycode and formatting markdown-it puts every link through, a
// costly path: for them it gives exactly what encoding (or decoding, for the link's text) the URL as written gives.
const PLAIN_URL = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:[/?#][\x21-\x7e]*)?$/;
const plainUrl = (url: string): boolean => PLAIN_URL.test(url) && !/^https?:\/\/[^/?#]*xn--/i.test(url);
const normalizeLink = md.normalizeLink.bind(md);
const normalizeLinkText = md.normalizeLinkText.bind(md);
// Encoding keeps these characters and the escapes already made (`%` and two hex digits): a URL of them alone is
// its own encoding, and is not copied a character at a time.
const ENCODED = /^(?:[\w;/?:@&=+$,.!~*'()#-]|%[0-9A-Fa-f]{2})*$/;
const encoded = (url: string): string => (ENCODED.test(url) ? url : encodeUrl(url));
md.normalizeLink = (url) => (plainUrl(url) ? encoded(url) : normalizeLink(url));
md.normalizeLinkText = (url) => (plainUrl(url) ? decodeUrl(url, `${decodeUrl.defaultChars}%`) : normalizeLinkText(url));

// linkify's own quick test of each paragraph is a costly pattern of every scheme and fuzzy host. With fuzzy links off,
// a link has a scheme's colon, `//` or an e-mail's `@`: a paragraph with none has none (nor has an entity `&#58;`).
const MAY_LINK = /[:@]|\/\//;
const linkifyPretest = md.linkify.pretest.bind(md.linkify);
md.linkify.pretest = (text) => MAY_LINK.test(text);

// linkify's test of each text token searches every position for a scheme: a token finds a link only where it holds
// one of linkify's schemes (`http:`, `https:`, `ftp:`, `//`, `mailto:`, any case) or an e-mail's `@`.
const LINK_SIGN = /https?:|ftp:|mailto:|\/\/|@/i;
const linkifyTest = md.linkify.test.bind(md.linkify);
md.linkify.test = (text) => LINK_SIGN.test(text) && linkifyTest(text);

// markdown-it's text rule reads a run of plain characters a character at a time; a search for the next of the same
// terminators (rules_inline/text.mjs) finds the same run end.
const TERMINATOR = /[\n!#$%&*+\-:<=>@[\\\]^_`{}~]/g;
const ownText = md.inline.ruler.getRules('')[0]!;
const textRun: typeof ownText = (state, silent) => {
  const start = state.pos;
  TERMINATOR.lastIndex = start;
  const found = TERMINATOR.exec(state.src);
  const end = found === null || found.index > state.posMax ? state.posMax : found.index;
  if (end <= start) return false;
  if (!silent) state.pending += state.src.slice(start, end);
  state.pos = end;
  return true;
};
md.inline.ruler.at('text', textRun);

// markdown-it lowercases a link's whole URL to read its scheme (a data: image can be megabytes long): its start
// decides (the schemes it refuses are matched from the first character), so only the start is looked at.
const LINK_START = 64;
const validateLink = md.validateLink.bind(md);
md.validateLink = (url) => validateLink(url.length > LINK_START ? url.trimStart().slice(0, LINK_START) : url);

// The first core rule writes every line ending as `\n` and NUL as U+FFFD: a copy of the whole text even when it holds
// neither, as dumps' text does (their lines end in `\n`).
const ownNormalize = md.core.ruler.getRules('')[0]!;
md.core.ruler.at('normalize', (state) => {
  if (state.src.includes('\r') || state.src.includes('\0'))
    state.src = state.src.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
});
/** A text as a core rule of normalizing leaves it: markdown-it's own (`own`) or ours. */
const normalized = (text: string, own: boolean): string => {
  const state = new md.core.State(text, md, {});
  (own ? ownNormalize : md.core.ruler.getRules('')[0]!)(state);
  return state.src;
};

/**
 * For the tests only, which check the shortcuts against markdown-it's own: the link normalising in use and
 * markdown-it's, linkify's own quick test with a way to render with it (or with ours), the link check and the text
 * normalizing, each markdown-it's and ours.
 */
export const forTesting = {
  normalizeLink,
  normalizeLinkText,
  plainUrl,
  encoded,
  link: (url: string) => md.normalizeLink(url),
  text: (url: string) => md.normalizeLinkText(url),
  linkifyPretest,
  usePretest: (pretest: (text: string) => boolean) => {
    md.linkify.pretest = pretest;
  },
  mayLink: (text: string) => MAY_LINK.test(text),
  /** linkify's own test of a text, ours, and a way to render with either. */
  linkifyTest,
  useLinkifyTest: (test: (text: string) => boolean) => {
    md.linkify.test = test;
  },
  linkSign: (text: string) => LINK_SIGN.test(text) && linkifyTest(text),
  /** The pattern linkify's test looks for schemes with. */
  schemeSearch: (md.linkify as unknown as { re: { schema_test: RegExp } }).re.schema_test,
  /** markdown-it's own text rule, ours, and a way to render with either. */
  ownText,
  textRun,
  useTextRule: (rule: typeof ownText) => {
    md.inline.ruler.at('text', rule);
  },
  /** markdown-it's own link check, and ours. */
  validateLink,
  linkValid: (url: string) => md.validateLink(url),
  normalized,
  /** The names of the renderer's rules, and those checked on what they write. */
  rendererRules: () => Object.keys(md.renderer.rules),
  tagRules: (): readonly string[] => TAG_RULES,
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

// Whether every tag written so far is one the sanitizer keeps as it is (sanitize.ts): told from each tag's name and
// attributes as the renderer writes them, instead of reading the HTML again after.
let keptAsWritten = true;
const escapeHtml = md.utils.escapeHtml;
const ownRenderToken = md.renderer.renderToken.bind(md.renderer);
md.renderer.renderToken = (tokens, idx, options) => {
  const token = tokens[idx]!;
  if (keptAsWritten && !token.hidden) {
    const attrs = token.attrs?.map(([name, value]): [string, string] => [name, escapeHtml(value)]) ?? null;
    keptAsWritten = writtenTagAllowed(token.tag, token.nesting === -1, attrs);
  }
  return ownRenderToken(tokens, idx, options);
};
/** The renderer's rules that write tags of their own, checked on what they write; `text` writes none (escaped). */
const TAG_RULES = ['code_inline', 'code_block', 'fence', 'hardbreak', 'softbreak'] as const;
for (const name of TAG_RULES) {
  const rule = md.renderer.rules[name]!;
  md.renderer.rules[name] = (tokens, idx, options, env, self) => {
    const out = rule(tokens, idx, options, env, self);
    if (keptAsWritten) keptAsWritten = alreadySanitized(out);
    return out;
  };
}
for (const name of ['html_block', 'html_inline'] as const) {
  const rule = md.renderer.rules[name]!;
  md.renderer.rules[name] = (tokens, idx, options, env, self) => {
    keptAsWritten = false;
    return rule(tokens, idx, options, env, self);
  };
}

/** Empty images (`![]()`) carry nothing; drop them before rendering. */
const EMPTY_IMAGE = /!\[[^\]]*\]\(\s*\)/g;

/**
 * Markdown → HTML as markdown-it writes it, not yet sanitized; `raw`: whether the markdown held raw HTML; `kept`:
 * whether every tag written is one the sanitizer keeps as it is (what `alreadySanitized` says of the HTML).
 */
export function markdownItHtml(markdown: string): { html: string; raw: boolean; kept: boolean } {
  const env = {};
  const tokens = md.parse(markdown.replace(EMPTY_IMAGE, ''), env);
  // Raw HTML is an html_block or html_inline token; a `<` in text or code is escaped by markdown-it.
  const raw =
    markdown.includes('<') &&
    tokens.some((t) => t.type === 'html_block' || t.children?.some((c) => c.type === 'html_inline') === true);
  keptAsWritten = true;
  const html = md.renderer.render(tokens, md.options, env);
  return { html, raw, kept: keptAsWritten };
}

/**
 * Markdown → sanitized HTML. Markdown without raw HTML renders to tags markdown-it writes itself; when those are
 * all on the allow-list (most articles), the sanitizer would return them as they are and is skipped.
 */
export function renderMarkdown(markdown: string): string {
  const { html, raw, kept } = markdownItHtml(markdown);
  return !raw && kept ? html.trim() : sanitizeHtml(html);
}

/** Markdown → the sanitized HTML a feed carries. A change to what it gives must bump `MARKDOWN_VERSION` (body.ts). */
export function markdownHtml(markdown: string): string {
  return markdown === '' ? '' : cleanText(renderMarkdown(markdown));
}
