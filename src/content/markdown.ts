/**
 * Markdown → sanitized HTML, and the plain text and summary of HTML. markdown-it renders; the sanitizer runs last.
 */
import MarkdownIt from 'markdown-it';
import cjkFriendly from 'markdown-it-cjk-friendly';
import { decodeHTML } from 'entities';
import { sanitizeHtml } from './sanitize.js';

/** CommonMark will not close `**粗体（注）**后文` (punctuation before, a CJK letter after); the plugin lets it. */
const md = new MarkdownIt({ html: true, linkify: true, breaks: false }).use(cjkFriendly);

/** Empty images (`![]()`) carry nothing; drop them before rendering. */
const EMPTY_IMAGE = /!\[[^\]]*\]\(\s*\)/g;

export function renderMarkdown(markdown: string): string {
  return sanitizeHtml(md.render(markdown.replace(EMPTY_IMAGE, '')));
}

const BLOCK_TAG = /<\/?(?:p|div|br|hr|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre|figure|figcaption|section|img|iframe|video|audio)\b[^>]*>/gi;

/** Visible text of HTML, whitespace squeezed: block tags separate words, inline tags do not. */
export function htmlToText(html: string): string {
  return decodeHTML(
    html
      .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
      .replace(BLOCK_TAG, ' ')
      .replace(/<[^>]*>/g, ''),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

/** The first ~`max` characters of the text, cut at a character boundary (never inside a surrogate pair). */
export function summarise(text: string, max = 140): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, max).join('').trimEnd()}…`;
}
