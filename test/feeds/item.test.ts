/**
 * The model the formats render: an article as a feed item (content presented with its archive state, cover and
 * enclosure by image mode, text cleaned), the feed's updated time, and the escaping the XML formats share.
 */
import { describe, expect, it } from 'vitest';
import { encodeXML, escapeAttribute, escapeText, escapeUTF8 } from 'entities';
import {
  canonicalId,
  cdataHtml,
  feedItem,
  feedItems,
  feedUpdated,
  itemAuthors,
  rssText,
  rssTitle,
} from '../../src/feeds/item.js';
import { escapeAttr, escapeHtml, escapeXml, escapeXmlName } from '../../src/content/escape.js';
import { stateNotice } from '../../src/feeds/notices.js';
import { COVERS, CONTROLS, CONTROLS_CLEAN, IMAGE_MODES, corpus } from './corpus.js';

const articles = corpus();
const byTitle = (title: string) => articles.find((a) => a.title === title)!;
const open = (link: string, text = '阅读原文') => `<a href="${link.replaceAll('&', '&amp;')}">${text}</a>`;

describe('feedItem', () => {
  it('a notice or a shell is published as a plain sentence and a link, never as the page’s text', () => {
    for (const state of ['shell', 'captcha', 'deleted', 'blocked', 'migrated', 'expired'] as const) {
      const a = byTitle(`状态 ${state}`);
      expect(feedItem(a).content).toBe(`<p>${stateNotice(state)} ${open(a.link)}</p>`);
    }
  });

  it('a cut copy ends with a note; a later notice stands above the saved copy', () => {
    const cut = byTitle('被截断的文章');
    expect(feedItem(cut).content).toBe(
      `<p>前八千字……</p>\n<p><em>${stateNotice('truncated')}</em> ${open(cut.link)}</p>`,
    );
    const deleted = byTitle('后来被删，存档是全文');
    expect(feedItem(deleted).content).toBe(
      `<p><strong>${stateNotice('deleted')}</strong> 以下是此前保存的内容。</p>\n<p>删除前保存的正文。</p>`,
    );
    const both = byTitle('后来被屏蔽，存档被截断');
    expect(feedItem(both).content).toBe(
      [
        `<p><strong>${stateNotice('blocked')}</strong> 以下是此前保存的内容。</p>`,
        '<p>屏蔽前保存的一半。</p>',
        `<p><em>${stateNotice('truncated')}</em> ${open(both.link)}</p>`,
      ].join('\n'),
    );
  });

  it('a reprint: one credit line above the body, in the feed’s language', () => {
    const a = byTitle('全文，带封面');
    expect(feedItem(a).content).toBe(`<p>转载自 中国信息安全 · 作者 郭威</p>\n${a.contentHtml}`);
    expect(feedItem(a, undefined, 'en').content).toBe(`<p>Reprinted from 中国信息安全 · by 郭威</p>\n${a.contentHtml}`);
    expect(feedItem({ ...a, reprint: { from: '红<数>位' } }).content).toMatch(/^<p>转载自 红&lt;数&gt;位<\/p>\n/);
    expect(feedItem(a).summary).toBe('正文有图：');
  });

  it('in English (feed.language: en): every text wxfeed adds', () => {
    const a = byTitle('状态 shell');
    expect(feedItem(a, undefined, 'en').content).toBe(
      `<p>${stateNotice('shell', 'en')} ${open(a.link, 'Open the original article')}</p>`,
    );
    expect(stateNotice('shell', 'en')).toBe(
      'The archived copy holds only the page frame, not the article text. Open the original to read it.',
    );
    expect(feedItem(byTitle('后来被删，存档是全文'), undefined, 'en').content).toBe(
      '<p><strong>The author has deleted this article (该内容已被发布者删除).</strong> The copy below was saved before.</p>\n<p>删除前保存的正文。</p>',
    );
    expect(feedItem(a, undefined, 'en').summary).toBe(stateNotice('shell', 'en'));
  });

  it('the Chinese texts a Chinese reader expects', () => {
    expect(stateNotice('deleted')).toBe('原文已被作者删除。');
    expect(stateNotice('shell')).toBe('存档只有页面框架，没有正文。请打开原文阅读。');
    expect(stateNotice('full')).toBeUndefined();
  });

  it('a copy that is not the article: the summary says what the archive holds, in the feed’s language, whatever summary was stored', () => {
    // The corpus stores `存档是 deleted` (an old English notice, say) with the deleted copy: the notice replaces it.
    for (const state of ['shell', 'captcha', 'deleted', 'blocked', 'migrated', 'expired'] as const) {
      expect(feedItem(byTitle(`状态 ${state}`)).summary).toBe(stateNotice(state));
      expect(feedItem(byTitle(`状态 ${state}`), undefined, 'en').summary).toBe(stateNotice(state, 'en'));
    }
  });

  it('the summary is the title when the article has none; text is cleaned of what XML 1.0 forbids', () => {
    expect(feedItem(byTitle('空正文')).summary).toBe('空正文');
    expect(feedItem(byTitle('Blog post without author')).summary).toBe('Blog post without author');
    const controls = feedItem(byTitle(`控制字符 ${CONTROLS}`));
    expect([controls.title, controls.summary, controls.account, controls.author]).toEqual([
      `控制字符 ${CONTROLS_CLEAN}`,
      `摘要 ${CONTROLS_CLEAN}`,
      `账号${CONTROLS_CLEAN}`,
      `作者${CONTROLS_CLEAN}`,
    ]);
    expect(controls.content).toBe(`<p>${CONTROLS_CLEAN}</p><p>😀 emoji 🇨🇳 and 汉字</p>`);
    expect(feedItem(byTitle('Blog post without author'))).not.toHaveProperty('author');
    expect(feedItem(byTitle('Blog post without author')).account).toBe('Example Blog');
    // An author who is the account is named once.
    expect(itemAuthors(feedItem(byTitle('作者就是账号')))).toEqual(['丙号']);
    expect(itemAuthors(feedItem(byTitle('全文，带封面')))).toEqual(['丙号', '作者']);
    expect(itemAuthors(feedItem(articles.at(-1)!))).toEqual([]);
  });

  it('covers: absolute ones become the image, and the enclosure when their type is known', () => {
    const cover = (c: string, mode: keyof typeof IMAGE_MODES = 'direct') => {
      const i = feedItem({ ...articles[0]!, cover: c }, IMAGE_MODES[mode]);
      return [i.image, i.enclosure?.type];
    };
    expect(cover(COVERS.wxFmt)).toEqual([COVERS.wxFmt, 'image/jpeg']);
    expect(cover(COVERS.mmbizSegment)).toEqual([COVERS.mmbizSegment, 'image/png']);
    expect(cover(COVERS.extension)).toEqual([COVERS.extension, 'image/webp']);
    expect(cover(COVERS.untyped)).toEqual([COVERS.untyped, undefined]);
    expect(cover(COVERS.relative)).toEqual([undefined, undefined]);
    const proxy = IMAGE_MODES.proxy.proxy!;
    expect(cover(COVERS.wxFmt, 'proxy')).toEqual([proxy(COVERS.wxFmt), 'image/jpeg']);
    expect(cover(COVERS.extension, 'proxy')).toEqual([COVERS.extension, 'image/webp']);
  });

  it('images in content: no-referrer asks readers to send no Referer; proxy points WeChat images at the proxy', () => {
    const a = { ...byTitle('全文，带封面'), reprint: undefined };
    expect(feedItem(a, IMAGE_MODES.direct).content).toBe(a.contentHtml);
    const noReferrer = feedItem(a, IMAGE_MODES['no-referrer']).content;
    expect(noReferrer.match(/<img [^>]*>/g)).toEqual([
      '<img referrerpolicy="no-referrer" src="https://mmbiz.qpic.cn/mmbiz_png/x/640?wx_fmt=png&amp;from=appmsg" alt="图">',
      '<img referrerpolicy="no-referrer" src="https://blog.example.com/a.png" alt="外图">',
      '<img referrerpolicy="origin" src="https://mmbiz.qpic.cn/mmbiz_jpg/y/0?wx_fmt=jpeg" alt="已有策略">',
    ]);
    const proxied = feedItem(a, IMAGE_MODES.proxy).content;
    const proxy = IMAGE_MODES.proxy.proxy!;
    expect(proxied).toContain(
      `src="${proxy('https://mmbiz.qpic.cn/mmbiz_png/x/640?wx_fmt=png&from=appmsg').replaceAll('&', '&amp;')}"`,
    );
    expect(proxied).toContain('src="https://blog.example.com/a.png"');
  });

  it('the feed is as new as its newest item; an empty feed is the epoch', () => {
    const items = feedItems([articles[3]!, articles[0]!, articles[5]!]);
    expect(feedUpdated(items).toISOString()).toBe(new Date(articles[0]!.date).toISOString());
    expect(feedUpdated([]).toISOString()).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('canonicalId (the W3C validator’s NonCanonicalURI)', () => {
  it('percent-escapes in upper case, escaped unreserved characters unescaped; other ids as they are', () => {
    expect(canonicalId('https://zgao.top/%e5%9f%ba%e4%ba%8e/')).toBe('https://zgao.top/%E5%9F%BA%E4%BA%8E/');
    expect(canonicalId('https://x.example/a%2db%7E%41?q=%2f')).toBe('https://x.example/a-b~A?q=%2F');
    const wechat = 'https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=1&idx=1&sn=abc';
    expect(canonicalId(wechat)).toBe(wechat);
    expect(canonicalId('urn:wxfeed:hash:%ab')).toBe('urn:wxfeed:hash:%ab');
    expect(feedItem({ ...articles[0]!, id: 'https://b.example/%e4%b8%ad' }).id).toBe('https://b.example/%E4%B8%AD');
  });
});

describe('escaping', () => {
  const s = `a & b &amp; c < d > e " f ' g \u00A0 中`;
  it('writes these bytes', () => {
    expect(escapeHtml(s)).toBe(`a &amp; b &amp;amp; c &lt; d &gt; e &quot; f ' g \u00A0 中`);
    expect(escapeXml(s)).toBe(`a &amp; b &amp;amp; c &lt; d &gt; e " f ' g \u00A0 中`);
    // As `feed` (xml-js) wrote names and titles: an `&amp;` already there is kept.
    expect(escapeXmlName(s)).toBe(`a &amp; b &amp; c &lt; d &gt; e " f ' g \u00A0 中`);
    expect(escapeAttr(s)).toBe(`a &amp; b &amp;amp; c &lt; d > e &quot; f ' g \u00A0 中`);
    // An RSS title is HTML, as Atom's: each `&` of it written as a hexadecimal reference (no CDATA needed).
    expect(rssTitle('A & B <b>x</b> "q" ]]> &amp;')).toBe(
      'A &#x26;amp; B &#x26;lt;b&#x26;gt;x&#x26;lt;/b&#x26;gt; &#x26;quot;q&#x26;quot; ]]&#x26;gt; &#x26;amp;amp;',
    );
    expect(cdataHtml('<p>]]></p>')).toBe('<![CDATA[<p>]]&gt;</p>]]>');
    // Plain text in RSS (a category): `&` and `<` as hexadecimal references.
    expect(rssText('KitPloit - PenTest &amp; Hacking <Tools>')).toBe(
      'KitPloit - PenTest &#x26;amp; Hacking &#x3C;Tools&gt;',
    );
  });

  it('which the entities package does not: its escapers write `&apos;`, `&nbsp;` or numeric references', () => {
    expect(escapeUTF8(s)).not.toBe(escapeHtml(s));
    expect(escapeText(s)).not.toBe(escapeXml(s));
    expect(escapeAttribute(s)).not.toBe(escapeAttr(s));
    expect(encodeXML(s)).not.toBe(escapeXml(s));
  });
});
