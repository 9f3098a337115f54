/**
 * Relative links in bodies (issue 12, item 8): resolved against the article's URL; without a usable base, a link is
 * dropped with its text kept and an image dropped; a link inside a link keeps its text.
 */
import { describe, expect, it } from 'vitest';
import { linkBase, resolveLinks } from '../../src/content/links.js';
import { renderMarkdown } from '../../src/content/markdown.js';

const BASE = linkBase('https://blog.example.com/2024/07/post.html?x=1', true);

describe('resolveLinks', () => {
  it('against the article’s URL: paths, relative paths, fragments, queries; absolute links and mailto as they are', () => {
    const html = [
      '<p><a href="/archives">a</a> <a href="img/b.png">b</a> <a href="#notes">c</a> <a href="?page=2&amp;y=1">d</a></p>',
      '<p><a href="https://other.example/x?a=1&amp;b=2">e</a> <a href="mailto:a@b.c">f</a> <a title="t">g</a></p>',
      '<p><img src="../logo.png" alt="L"> <img src="https://cdn.example/i.png" alt=""></p>',
      '<video src="clip.mp4" poster="/p.jpg" controls></video><audio controls><source src="a.mp3" type="audio/mpeg"></audio>',
    ].join('\n');
    expect(resolveLinks(html, BASE)).toBe(
      [
        '<p><a href="https://blog.example.com/archives">a</a> <a href="https://blog.example.com/2024/07/img/b.png">b</a> <a href="https://blog.example.com/2024/07/post.html?x=1#notes">c</a> <a href="https://blog.example.com/2024/07/post.html?page=2&amp;y=1">d</a></p>',
        '<p><a href="https://other.example/x?a=1&amp;b=2">e</a> <a href="mailto:a@b.c">f</a> <a title="t">g</a></p>',
        '<p><img src="https://blog.example.com/2024/logo.png" alt="L"> <img src="https://cdn.example/i.png" alt=""></p>',
        '<video src="https://blog.example.com/2024/07/clip.mp4" poster="https://blog.example.com/p.jpg" controls></video><audio controls><source src="https://blog.example.com/2024/07/a.mp3" type="audio/mpeg"></audio>',
      ].join('\n'),
    );
  });

  it('no usable base (an urn: id, a temporary link): a relative link keeps its text only, a relative image goes', () => {
    expect(linkBase('urn:wxfeed:hash:abc', false)).toBeUndefined();
    expect(linkBase('https://mp.weixin.qq.com/s?src=11&timestamp=1&signature=x', false)).toBeUndefined();
    const html =
      '<p>See <a href="/archives">the <em>archives</em></a> and <a href="https://x.example/">x</a>.</p><p><img src="a.png" alt=""><img src="https://x.example/b.png" alt=""></p>';
    expect(resolveLinks(html, undefined)).toBe(
      '<p>See the <em>archives</em> and <a href="https://x.example/">x</a>.</p><p><img src="https://x.example/b.png" alt=""></p>',
    );
  });

  it('a link inside a link keeps its text (HTML has no nested links; readers split them)', () => {
    const html =
      '<p><a href="https://x.example/v.mp4?_=1"><a href="https://x.example/v.mp4">https://x.example/v.mp4</a></a> after</p>';
    expect(resolveLinks(html, BASE)).toBe(
      '<p><a href="https://x.example/v.mp4?_=1">https://x.example/v.mp4</a> after</p>',
    );
  });

  it('through markdown: a dump’s relative links and images', () => {
    const html = renderMarkdown('[Home](/) and ![logo](/static/logo.png)\n\n[[1]](#ref-1)');
    expect(resolveLinks(html, BASE)).toBe(
      '<p><a href="https://blog.example.com/">Home</a> and <img src="https://blog.example.com/static/logo.png" alt="logo"></p>\n<p><a href="https://blog.example.com/2024/07/post.html?x=1#ref-1">[1]</a></p>',
    );
  });

  it('HTML without links or media is returned as it is', () => {
    const html = '<p>abc <abbr>x</abbr> <audiox></audiox></p>';
    expect(resolveLinks(html, undefined)).toBe(html);
  });
});
