/**
 * A fixed list of feed articles for the renderer tests and golden files: every `ContentState`, a later notice above
 * saved content, hostile text (`]]>`, control characters, lone surrogates, markup, `&amp;`, emoji, CJK), covers of
 * every kind (WeChat with `wx_fmt=`, a `mmbiz_<fmt>` path, a path extension, no type, relative), empty fields.
 */
import type { FeedMeta, ImageOptions } from '../../src/feeds/render.js';
import type { FeedArticle } from '../../src/types.js';
import type { ContentState } from '../../src/states.js';

const wx = (n: number): string =>
  `https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=22475169${String(n).padStart(2, '0')}&idx=1&sn=${'a'.repeat(30)}${String(n).padStart(2, '0')}`;

/** Markup, entities, `]]>` twice, quotes, emoji and CJK. */
export const HOSTILE = 'A ]]> B ]]> C <b>x</b> & &amp; 🎉 中文 "q" \'s\'';
/** Characters XML 1.0 forbids and lone surrogates, around text that must survive. */
export const CONTROLS = 'a\u0000b\u0008c\u000Bd\u000Ce\u001Ff\uFFFEg\uFFFFh\uD800i\uDC00j\u0009k';
/** What `CONTROLS` is once cleaned: tab stays. */
export const CONTROLS_CLEAN = 'abcdefghij\tk';

export const COVERS = {
  wxFmt: 'https://mmbiz.qpic.cn/mmbiz_jpg/abc/0?wx_fmt=jpeg&from=appmsg',
  mmbizSegment: 'http://mmbiz.qpic.cn/sz_mmbiz_png/def/640',
  wxGif: 'https://mmbiz.qpic.cn/mmbiz_gif/g1/0?wx_fmt=gif',
  extension: 'https://blog.example.com/img/cover.webp?v=1&w=2',
  untyped: 'https://cdn.example.com/cover?id=7',
  relative: '/img/cover.png',
  quoted: `https://mmbiz.qpic.cn/mmbiz_jpg/q"u'o/0?wx_fmt=jpeg&x=1`,
} as const;

let n = 0;
function article(over: Partial<FeedArticle>): FeedArticle {
  n += 1;
  const link = wx(n);
  return {
    key: `sn:${n}`,
    id: link,
    link,
    title: `文章 ${n}`,
    account: '丙号',
    author: '作者',
    date: Date.UTC(2024, 6, 20 - n, 4, n, n),
    datePrecision: 'exact',
    mid: `22475169${n}`,
    idx: '1',
    state: 'full',
    contentHtml: `<p>正文 ${n}</p>`,
    summary: `正文 ${n}`,
    contentHash: `h${n}`,
    ...over,
  };
}

const BODY_WITH_IMAGES = [
  '<p>正文有图：</p>',
  '<p><img src="https://mmbiz.qpic.cn/mmbiz_png/x/640?wx_fmt=png&amp;from=appmsg" alt="图"></p>',
  '<p><img src="https://blog.example.com/a.png" alt="外图"></p>',
  '<p><img referrerpolicy="origin" src="https://mmbiz.qpic.cn/mmbiz_jpg/y/0?wx_fmt=jpeg" alt="已有策略"></p>',
].join('\n');

const NOTICE_STATES: ContentState[] = ['shell', 'captcha', 'deleted', 'blocked', 'migrated', 'expired'];

/** The corpus: newest first, as the store hands it over (the renderer keeps the order it is given). */
export function corpus(): FeedArticle[] {
  n = 0;
  return [
    article({
      title: '全文，带封面',
      contentHtml: BODY_WITH_IMAGES,
      summary: '正文有图：',
      cover: COVERS.wxFmt,
      reprint: { from: '中国信息安全', author: '郭威' },
    }),
    article({
      state: 'truncated',
      title: '被截断的文章',
      contentHtml: '<p>前八千字……</p>',
      summary: '前八千字……',
      cover: COVERS.mmbizSegment,
    }),
    ...NOTICE_STATES.map((state) =>
      article({
        state,
        title: `状态 ${state}`,
        // A notice's own text never reaches the feed: the state's sentence stands in for it.
        contentHtml: state === 'captcha' ? '<p>环境异常，完成验证后即可继续访问</p>' : '',
        summary: state === 'shell' ? '' : `存档是 ${state}`,
        ...(state === 'deleted' ? { cover: COVERS.wxGif } : {}),
      }),
    ),
    article({
      title: '后来被删，存档是全文',
      notice: 'deleted',
      contentHtml: '<p>删除前保存的正文。</p>',
      summary: '删除前保存的正文。',
      cover: COVERS.extension,
    }),
    article({
      state: 'truncated',
      title: '后来被屏蔽，存档被截断',
      notice: 'blocked',
      contentHtml: '<p>屏蔽前保存的一半。</p>',
      summary: '屏蔽前保存的一半。',
    }),
    article({ title: '后来迁移', notice: 'migrated', contentHtml: '', summary: '', cover: COVERS.untyped }),
    article({
      title: HOSTILE,
      summary: HOSTILE,
      account: '账号 <a> & b ]]>',
      author: '作者 <x> & y &amp; z ]]>',
      contentHtml: `<p>]]&gt; x ]]> y</p><pre><code>a &lt; b &amp;&amp; c ]]&gt; d</code></pre><p>${HOSTILE.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`,
      cover: COVERS.quoted,
    }),
    article({
      title: `控制字符 ${CONTROLS}`,
      summary: `摘要 ${CONTROLS}`,
      account: `账号${CONTROLS}`,
      author: `作者${CONTROLS}`,
      contentHtml: `<p>${CONTROLS}</p><p>😀 emoji 🇨🇳 and 汉字</p>`,
      cover: COVERS.relative,
    }),
    article({
      key: 'hash:0123456789abcdef0123456789abcdef',
      id: 'urn:wxfeed:hash:0123456789abcdef0123456789abcdef',
      link: 'https://blog.example.com/posts/1?a=1&b=2#top',
      title: 'Blog post without author',
      account: 'Example Blog',
      author: undefined,
      datePrecision: 'day',
      mid: undefined,
      idx: undefined,
      summary: '   ',
      contentHtml: '<p>Plain text &amp; an <a href="https://example.com/?q=1&amp;r=2">anchor</a>.</p>',
    }),
    article({ title: '空正文', contentHtml: '', summary: '' }),
    article({ title: '作者就是账号', author: '丙号' }),
    article({ title: '', summary: '', contentHtml: '<p>没有标题</p>', account: undefined, author: '' }),
  ];
}

export const META: FeedMeta = {
  id: 'urn:wxfeed:feed:3267269114',
  title: '丙号 <&> "测试" &amp; 🎉',
  description: 'WeChat articles of 丙号 <&>, published by wxfeed',
  selfBase: 'http://feeds.example.test/wx/3267269114/',
  home: 'http://feeds.example.test/wx/#3267269114',
  author: '丙号 & Co',
};

/** A feed without articles, whose meta names no author. */
export const EMPTY_META: FeedMeta = {
  id: 'urn:wxfeed:feed:all',
  title: '测试订阅',
  description: 'Every account followed with wxfeed',
  selfBase: 'http://feeds.example.test/wx/all/',
  home: 'http://feeds.example.test/wx/#all',
};

/** The three image modes; the proxy rewrites as the worker job does (`work/jobs.ts`). */
export const IMAGE_MODES: Record<'direct' | 'no-referrer' | 'proxy', ImageOptions> = {
  direct: { mode: 'direct' },
  'no-referrer': { mode: 'no-referrer' },
  proxy: {
    mode: 'proxy',
    proxy: (url) => `http://feeds.example.test/wx/img/SIG/${Buffer.from(url, 'utf8').toString('base64url')}?u=1&v=2`,
  },
};
