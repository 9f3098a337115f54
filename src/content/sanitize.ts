/**
 * The one HTML sanitizer. Always the last step of the content chain: whatever produced the HTML (markdown,
 * a fetched page), what leaves here has no script, style, event handler, `javascript:` URL, or iframe from an
 * unknown host. Images, links, lists, tables and code are kept.
 */
import sanitize from 'sanitize-html';

/** Hosts whose players may be embedded as iframes (WeChat and Tencent video). */
export const IFRAME_HOSTS = ['v.qq.com', 'mp.weixin.qq.com', 'channels.weixin.qq.com'];

const OPTIONS: sanitize.IOptions = {
  allowedTags: [
    'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'details',
    'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'iframe', 'img',
    'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'section', 'small', 'span', 'strong', 'sub', 'summary',
    'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul', 'audio', 'video', 'source',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height', 'referrerpolicy', 'loading'],
    iframe: ['src', 'width', 'height', 'allowfullscreen', 'frameborder'],
    audio: ['src', 'controls', 'preload'],
    video: ['src', 'controls', 'poster', 'preload', 'width', 'height'],
    source: ['src', 'type'],
    td: ['colspan', 'rowspan', 'align'],
    th: ['colspan', 'rowspan', 'align', 'scope'],
    ol: ['start', 'type'],
    code: ['class'],
    pre: ['class'],
  },
  allowedClasses: { code: [/^language-[\w-]+$/], pre: [/^language-[\w-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  allowedIframeHostnames: IFRAME_HOSTS,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'template'],
  parseStyleAttributes: false,
  // An iframe whose src was refused (unknown host) or an image with no source shows nothing: drop it.
  exclusiveFilter: (frame) => (frame.tag === 'iframe' || frame.tag === 'img') && !frame.attribs.src,
};

/** Sanitize untrusted HTML into what feeds may carry. */
export function sanitizeHtml(html: string): string {
  return sanitize(html, OPTIONS).trim();
}
