/**
 * A reprint's card taken out of the body (content/reprint.ts), on real dumps and on the variants the archive holds
 * (issue 12, item 7).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { splitReprint } from '../../src/content/reprint.js';
import { dumpMarkdown } from '../../src/dumps/parse.js';
import { HAVE_SHARED, REAL_DUMPS } from '../helpers/paths.js';

const AVATAR = '![](http://wx.qlogo.cn/mmhead/Q3auHgzwzM66wWXsrziazzu4plImwBgRGRhhiaTwtm7EP4L6sa73MAkA/0)';

describe('splitReprint', () => {
  it('the whole card (source, author, avatar, name, separator, description) goes; the article starts the body', () => {
    const md = `以下文章来源于中国信息安全\n，作者郭威\n\n${AVATAR}\n\n**中国信息安全**\n.\n\n《中国信息安全》杂志，介绍国内外最新网络安全动态。\n\n党的“十八大”以来，……\n\n**一、意义**`;
    expect(splitReprint(md)).toEqual({
      reprint: { from: '中国信息安全', author: '郭威' },
      markdown: '党的“十八大”以来，……\n\n**一、意义**',
    });
  });

  it('without a separator there is no description: the next paragraph is the article', () => {
    const md = `以下文章来源于红数位\n，作者红数位\n\n${AVATAR}\n\n**红数位**\n\n奥克兰是加利福尼亚州的一座城市。`;
    // An author who is the account is named once.
    expect(splitReprint(md)).toEqual({ reprint: { from: '红数位' }, markdown: '奥克兰是加利福尼亚州的一座城市。' });
  });

  it('on one line; or only the first line at the top of the body', () => {
    expect(splitReprint('以下文章来源于安全客 ，作者某某\n\n正文。')).toEqual({
      reprint: { from: '安全客', author: '某某' },
      markdown: '正文。',
    });
    expect(splitReprint('以下文章来源于美团安全应急响应中心\n\n// 文丨支叶盛\n\n正文。')).toEqual({
      reprint: { from: '美团安全应急响应中心' },
      markdown: '// 文丨支叶盛\n\n正文。',
    });
  });

  it('after the reposting account’s name (a byline the dump kept): the name goes too; an editor’s note stays', () => {
    const card = `以下文章来源于信息安全与通信保密杂志社\n，作者Cismag\n\n${AVATAR}\n\n**信息安全与通信保密杂志社**\n.\n\n网络强国建设的思想库\n\n**摘要：**正文`;
    expect(splitReprint(`网络安全应急技术国家工程中心\n\n${card}`)).toEqual({
      reprint: { from: '信息安全与通信保密杂志社', author: 'Cismag' },
      markdown: '**摘要：**正文',
    });
    expect(splitReprint(`编者荐语：\n\n美国防部发布路线图。\n\n${card}`)).toEqual({
      reprint: { from: '信息安全与通信保密杂志社', author: 'Cismag' },
      markdown: '编者荐语：\n\n美国防部发布路线图。\n\n**摘要：**正文',
    });
  });

  it('no card: the body as it is (a sentence that starts so deep in the text, a card far down a web page)', () => {
    for (const md of [
      '正文。\n\n以下文章来源于网络，侵删。',
      `${'段落。\n\n'.repeat(12)}以下文章来源于安全客\n，作者某某`,
      '没有卡片。',
      '第一段。\n\n以下文章来源于网络\n\n第三段。',
    ])
      expect(splitReprint(md)).toEqual({ markdown: md });
  });

  it.skipIf(!HAVE_SHARED)('real dumps: the card of each is its credit, and the body starts with the article', () => {
    const body = (name: string) => {
      const r = dumpMarkdown(readFileSync(`${REAL_DUMPS}${name}`), name);
      if (!r.ok) throw new Error(r.reason);
      return splitReprint(r.markdown);
    };
    const a = body('chainreactors__picker__2023-03-24__full__2247535561_1.md');
    expect(a.reprint).toEqual({ from: '中国信息安全', author: '郭威' });
    expect(a.markdown).toMatch(/^党的“十八大”以来/);
    const b = body('chainreactors__picker__2025-01-25__full__2247496940_1.md');
    expect(b.reprint).toEqual({ from: '不秃头的安全', author: 'MY0723' });
    expect(b.markdown).toMatch(/^# 小白都能会的通用漏洞挖掘技巧/);
    const c = body('chainreactors__picker__2023-01-29__full__2664174393_4.md');
    expect(c.reprint).toEqual({ from: 'CAICT互联网法律研究中心', author: '信通院互联网法律研究中心' });
    expect(c.markdown).toMatch(/^!\[\]\(https:\/\/mmbiz\.qpic\.cn\//);
    expect(c.markdown).not.toContain('以下文章来源于');
  });
});
