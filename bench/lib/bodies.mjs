// Body builders: what a dump holds under its front matter. The fixed texts (shell, captcha, deleted, violation,
// migrated, and the WeChat UI tail of full dumps) reproduce the form of the real dumps in
// ../shared/fixtures/dumps-real byte for byte (apart from the title and account name they embed).

import { Rng } from './rng.mjs';
import {
  zhSentence,
  enSentence,
  sentencePool,
  EN_TERM,
  ZH_OBJ,
  TOPICS,
  PRODUCTS,
  VULN_EN,
  IT_SENT,
  GH_OWNERS,
  GH_REPOS,
} from './text.mjs';

// ---- fixed WeChat texts ----------------------------------------------------------------------------------------

/** a11y spans at the end of shell and captcha dumps: one "，", ending in "，轻点两下取消在看", no final newline. */
const A11Y_SHORT = '：\n，\n。\n\n视频\n小程序\n赞\n，轻点两下取消赞\n在看\n，轻点两下取消在看';
/** a11y spans at the end of full/deleted/violation/migrated dumps: twelve "，", ending in "听过". */
const A11Y_LONG =
  '：\n' +
  '，\n'.repeat(12) +
  '。\n\n视频\n小程序\n赞\n，轻点两下取消赞\n在看\n，轻点两下取消在看\n分享\n留言\n收藏\n听过';
const RULE_CENTER = '[微信公众平台运营中心](https://mp.weixin.qq.com/webpoc/ruleCenter?type=oa)';

export const shellBody = (title) => `# ${title}\n\n${A11Y_SHORT}`;
export const captchaBody = (title) =>
  `# ${title}\n\n## 环境异常\n\n当前环境异常，完成验证后即可继续访问。\n\n去验证\n\n${A11Y_SHORT}`;
export const deletedBody = (title) => `# ${title}\n\n该内容已被发布者删除\n\n${RULE_CENTER}\n\n${A11Y_LONG}`;
export function violationBody(title, variant) {
  if (variant === 0) {
    return `# ${title}\n\n## 此内容因违规无法查看\n\n接相关投诉，此内容违反《互联网用户公众账号信息服务管理规定》，查看[详细内容](http://www.cac.gov.cn/2021-01/22/c_1612887880656609.htm)\n\n${A11Y_LONG}`;
  }
  return `# ${title}\n\n## 此内容因违规无法查看\n\n接相关投诉，此内容违反《中华人民共和国网络安全法》，查看[详细内容](https://mp.weixin.qq.com/cgi-bin/announce?action=getannouncement&key=11667987808ZCUPR&version=1&lang=zh_CN&platform=2)\n\n${RULE_CENTER}\n\n${A11Y_LONG}`;
}
export const migratedBody = (title) =>
  `# ${title}\n\n## 该公众号已迁移\n\n该公众号已迁移至新的账号，原账号已回收。若需访问原文章链接，请点击下方按钮。\n\n访问文章\n\n[公众号迁移说明](https://kf.qq.com/touch/scene_faq.html?scene_id=kf3416)\n\n${A11Y_LONG}`;

/** The WeChat UI debris a browser capture ends with (see the seed dump). */
function wechatTail(acct, extraLine) {
  const av = `http://mmbiz.qpic.cn/${acct.dir}_png/${acct.avatar}/0?wx_fmt=png`;
  return (
    `预览时标签不可点\n\n${extraLine ? `${extraLine}\n\n` : ''}![]()\n\n微信扫一扫\n关注该公众号\n\n继续滑动看下一个\n\n轻触阅读原文\n\n` +
    `![](${av})\n\n${acct.name}\n\n向上滑动看下一个\n\n知道了\n\n![]()\n微信扫一扫\n使用小程序\n\n取消\n允许\n\n取消\n允许\n\n取消\n允许\n\n` +
    `×\n分析\n\n![跳转二维码]()\n\n![作者头像](${av})\n\n微信扫一扫可打开此内容，\n使用完整服务\n\n${A11Y_LONG}`
  );
}

// ---- accounts ----------------------------------------------------------------------------------------------------

const SURNAME = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '罗',
  '高',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '强',
  '磊',
  '洋',
  '勇',
  '艳',
  '杰',
  '涛',
  '明',
  '超',
  '霞',
  '平',
  '刚',
  '辉',
  '鹏',
  '雪',
];
const HANDLE = [
  'MY0723',
  'xiaoyu',
  'Tide',
  'Sp4ce',
  'r00t',
  'Ha1c9on',
  '0x6270',
  'n0thing',
  'Kali',
  'Echo',
  'LeeH',
  'zero',
];

/** Account details that follow from its biz number alone (so --mutate-one can rebuild them from a dump's URL). */
export function accountDetails(name, bizNum) {
  const r = new Rng(`acct|${bizNum}`);
  const prefix = r.str(r.range(22, 34));
  const authors = [];
  for (let i = r.range(1, 3); i > 0; i--) {
    authors.push(
      r.chance(0.75) ? r.pick(SURNAME) + r.pick(GIVEN) + (r.chance(0.5) ? r.pick(GIVEN) : '') : r.pick(HANDLE),
    );
  }
  return {
    name,
    bizNum,
    biz: Buffer.from(bizNum).toString('base64'),
    dir: r.chance(0.45) ? 'sz_mmbiz' : 'mmbiz',
    imgPrefix: prefix,
    avatar: prefix + r.str(86 - prefix.length),
    authors,
    bylineStyle: r.int(5),
    oldStyle: bizNum.startsWith('3') && r.chance(0.2),
    midBase: r.chance(0.55)
      ? 2247480000 + r.int(60000)
      : r.pick([2649000000, 2650000000, 2651000000, 2652000000, 2664000000]) + r.int(900000),
    repostFrom: r.pick([
      'CAICT互联网法律研究中心',
      '不秃头的安全',
      '中国信息安全',
      '安全内参',
      '网安寻路人',
      '信息安全研究',
    ]),
  };
}

// ---- full WeChat article ---------------------------------------------------------------------------------------

let ZH_POOL = null;
let EN_POOL = null;
/** Build the shared sentence pools once per seed. */
export function initPools(seed) {
  const r = new Rng(`pools|${seed}`);
  ZH_POOL = sentencePool(r, 6000, zhSentence);
  EN_POOL = sentencePool(r, 3000, enSentence);
}

function zhPara(r, n) {
  let s = '';
  for (let i = 0; i < n; i++) {
    const sent = ZH_POOL[r.int(ZH_POOL.length)];
    if (r.chance(0.08)) s += `**${sent}**`;
    else if (r.chance(0.06)) s += `${EN_POOL[r.int(EN_POOL.length)]} `;
    else s += sent;
  }
  return s;
}
function enPara(r, n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(EN_POOL[r.int(EN_POOL.length)]);
  return out.join(' ');
}

const FMT = ['png', 'png', 'png', 'jpeg', 'jpeg', 'gif'];
function wxImage(r, acct) {
  const fmt = r.pick(FMT);
  const dirFmt = fmt === 'jpeg' ? 'jpg' : fmt;
  const id = acct.imgPrefix + r.str(86 - acct.imgPrefix.length);
  const q = r.next();
  const tail =
    q < 0.55
      ? `wx_fmt=${fmt}&from=appmsg`
      : q < 0.85
        ? `wx_fmt=${fmt}`
        : q < 0.93
          ? `wx_fmt=${fmt}&wxfrom=5&wx_lazy=1&wx_co=1`
          : `wx_fmt=other&from=appmsg&wxfrom=5&wx_lazy=1&wx_co=1&tp=webp`;
  return `![](https://mmbiz.qpic.cn/${acct.dir}_${dirFmt}/${id}/640?${tail})`;
}
const cover = (r, acct) =>
  `![cover_image](https://mmbiz.qpic.cn/${acct.dir}_jpg/${acct.imgPrefix}${r.str(86 - acct.imgPrefix.length)}/0?wx_fmt=jpeg)`;

const CN_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
function table(r) {
  const rows = [];
  rows.push('| 漏洞编号 | 影响组件 | 危害等级 | 修复版本 |', '| --- | --- | --- | --- |');
  for (let i = r.range(2, 6); i > 0; i--) {
    rows.push(
      `| CVE-${r.range(2021, 2025)}-${r.range(1000, 59999)} | ${r.pick(PRODUCTS)} | ${r.pick(['高危', '严重', '中危', '低危'])} | ${r.range(1, 9)}.${r.range(0, 20)}.${r.range(0, 9)} |`,
    );
  }
  return rows.join('\n');
}
function codeBlock(r) {
  const lines = r.pick([
    () => [
      `POST /api/v1/${r.pick(['user', 'file', 'admin', 'config'])}/${r.pick(['upload', 'import', 'export', 'login'])} HTTP/1.1`,
      `Host: 192.168.${r.range(0, 255)}.${r.range(1, 254)}`,
      'Content-Type: application/json',
      '',
      `{"name":"test","path":"../../../../etc/passwd","id":${r.range(1, 9999)}}`,
    ],
    () => [`app="${r.pick(PRODUCTS)}" && body="${r.pick(['login.js', 'jsCore/rpcLogin.js', 'static/admin.css'])}"`],
    () => [
      'import requests',
      '',
      `url = "http://target:${r.range(80, 9999)}/${r.pick(['api', 'cgi-bin', 'servlet'])}"`,
      `r = requests.get(url, params={"cmd": "id"}, timeout=${r.range(3, 30)})`,
      'print(r.status_code, r.text[:200])',
    ],
    () => [
      `$ nuclei -u https://target -t cves/${r.range(2021, 2025)}/ -severity critical`,
      `[INF] Templates loaded: ${r.range(100, 9000)}`,
    ],
  ])();
  return `\`\`\`\n${lines.join('\n')}\n\`\`\``;
}
function wxLink(r, acct) {
  return `[${ZH_POOL[r.int(ZH_POOL.length)].replace(/[。！？，].*$/, '')}](http://mp.weixin.qq.com/s?__biz=${acct.biz}&mid=${acct.midBase - r.int(5000)}&idx=1&sn=${r.hex(32)}&chksm=${r.hex(76)}&scene=21#wechat_redirect)`;
}

function bylineText(r, acct) {
  const style = r.chance(0.7) ? acct.bylineStyle : r.int(5);
  const author = r.pick(acct.authors);
  switch (style) {
    case 0:
      return `${acct.name}`;
    case 1:
      return `原创\n\n${author}\n\n${acct.name}`;
    case 2:
      return `${author}\n\n${acct.name}`;
    case 3:
      return `${acct.name}\n\n${acct.name}`;
    default:
      return `${acct.name}\n\n以下文章来源于${acct.repostFrom}\n，作者${author}\n\n![](http://wx.qlogo.cn/mmhead/${acct.imgPrefix}${r.str(20)}/0)\n\n**${acct.repostFrom}**\n.\n\n${zhPara(r, 2)}`;
  }
}

/** One body block (markdown, no surrounding blank lines). */
function block(r, acct, state) {
  const x = r.next();
  if (x < 0.44) return zhPara(r, r.range(1, 5));
  if (x < 0.58) return wxImage(r, acct);
  if (x < 0.64) return `**${r.pick(TOPICS)}${r.pick(['概述', '分析', '建议', '背景', '影响范围', '修复方案'])}**`;
  if (x < 0.7) {
    state.h++;
    return r.chance(0.6)
      ? `## ${CN_NUM[(state.h - 1) % 10]}、${r.pick(TOPICS)}${r.pick(['现状', '挑战', '实践', '思路'])}`
      : `### ${state.h}.${r.range(1, 5)} ${r.pick(ZH_OBJ)}`;
  }
  if (x < 0.77) {
    const n = r.range(3, 8);
    const items = [];
    const ordered = r.chance(0.3);
    for (let i = 1; i <= n; i++) {
      const t = r.chance(0.5) ? `${r.pick(EN_TERM)} ${r.pick(ZH_OBJ)}` : ZH_POOL[r.int(ZH_POOL.length)];
      items.push(ordered ? `${i}. ${t}` : `* ${t}`);
    }
    return items.join('\n');
  }
  if (x < 0.81) return codeBlock(r);
  if (x < 0.84) return wxLink(r, acct);
  if (x < 0.88) return enPara(r, r.range(2, 4));
  if (x < 0.9) return `> ${ZH_POOL[r.int(ZH_POOL.length)]}`;
  if (x < 0.93 && state.table) {
    state.table = false;
    return table(r);
  }
  if (x < 0.96) return `严重级别：${r.pick(['严重', '高危', '中危'])} CVSS：${r.range(4, 9)}.${r.range(0, 9)}`;
  return zhPara(r, r.range(3, 6));
}

const EPILOGUE = ['点个在看你最好看', '转发，点赞，在看，安排一下？', '关注公众号', '扫码关注我们', '往期推荐', 'END'];

/**
 * A full WeChat dump body (after the front matter).
 * opts.targetBytes: stop adding blocks at about this many UTF-8 bytes for the whole body (bench mode);
 * opts.targetChars: same in characters (archive mode; picker's limits are in characters);
 * opts.cutAt: produce a picker-cut dump: body text cut at this many characters, then "...", no UI tail.
 */
export function fullBody(r, acct, title, opts) {
  const heading2 = title.replace(/\\"/g, '"');
  const parts = [`# ${heading2}`, cover(r, acct), `# ${heading2.replace(/\s+/g, ' ')}`, bylineText(r, acct)];
  const state = { h: 0, table: r.chance(0.25) };
  const tail = wechatTail(
    acct,
    r.chance(0.15) ? r.pick(['阅读原文', '阅读原文', '素材来源官方媒体/网络新闻', '文章来源：网络']) : '',
  );
  const useBytes = opts.targetBytes !== undefined;
  const tailSize = useBytes ? Buffer.byteLength(tail) : tail.length;
  const goal =
    opts.cutAt !== undefined ? opts.cutAt + 400 : (useBytes ? opts.targetBytes : opts.targetChars) - tailSize;
  let size = 0;
  for (const p of parts) size += (useBytes ? Buffer.byteLength(p) : p.length) + 2;
  while (size < goal) {
    const b = block(r, acct, state);
    size += (useBytes ? Buffer.byteLength(b) : b.length) + 2;
    parts.push(b);
  }
  if (r.chance(0.5)) {
    parts.push(r.pick(EPILOGUE));
    parts.push(wxImage(r, acct).replace(/\?wx_fmt=[^)]*/, '?wx_fmt=other&wxfrom=5&wx_lazy=1&wx_co=1&tp=webp'));
  }
  const text = parts.join('\n\n');
  if (opts.cutAt !== undefined) return `${text.slice(0, opts.cutAt)}...`;
  return `${text}\n\n${tail}`;
}

/** Extra paragraph used by --mutate-one edit. */
export function editParagraph(r) {
  return `**更新（${r.range(1, 28)}日）**：${zhPara(r, r.range(2, 4))}`;
}

// ---- non-WeChat items ------------------------------------------------------------------------------------------

const NAV_EN = [
  '[ ]',
  'SUPPORT',
  '* [Products](/products/)',
  '* [Solutions](/solutions/)',
  '* [Pricing](/pricing/)',
  'SIGN IN',
  '* [Partner Portal sign in](https://partners.example.com/)',
  '## Resources',
  '< Resources',
  '* [Threat Center](/threat-center/)',
  '* [Blog](/blog/)',
  '* [About Us](/about-us/)',
  '[Get a quote](/custom-quote/)',
  '[Buy now](/pricing/)',
  '[Home](/)\n>\n[Blog](/blog/)',
];

function enLinkPara(r, domain, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    let s = EN_POOL[r.int(EN_POOL.length)];
    if (r.chance(0.25)) s = s.replace(/(\w+)([.,]?)$/, `[$1](https://${domain}/blog/${r.str(8).toLowerCase()}/)$2`);
    out.push(s);
  }
  return out.join(' ');
}

function itPara(r, n) {
  const out = [];
  for (let i = 0; i < n; i++)
    out.push(r.pick(IT_SENT) + (r.chance(0.3) ? `, ${EN_POOL[r.int(EN_POOL.length)].toLowerCase()}` : '.'));
  return out.join(' ');
}

function githubChrome(r, repo) {
  const [owner, name] = repo.split('/');
  return [
    'Skip to content',
    '## Navigation Menu',
    'Toggle navigation',
    '[Sign in](/login)',
    '* Product',
    '* Solutions',
    '* Resources',
    '* Open Source',
    '* Pricing',
    'Search or jump to...',
    '# Search code, repositories, users, issues, pull requests...',
    '[Sign up](/signup)',
    `${owner} / **${name}** Public`,
    '* [Notifications](/login)',
    `* [Fork ${r.range(10, 9000)}](/login)`,
    `* [Star ${(r.range(10, 900) / 10).toFixed(1)}k](/login)`,
  ].join('\n\n');
}

/** Body of a non-WeChat item; cut at ~8,000 characters with "..." like picker does for every source. */
export function webBody(r, type, title, domain, targetChars) {
  const parts = [`# ${title}`];
  let size = parts[0].length;
  const push = (s) => {
    parts.push(s);
    size += s.length + 2;
  };
  switch (type) {
    case 'packetstorm':
      if (targetChars < 1500) {
        return `# ${title}\n\n[![](/logos/smalllogobeta.webp)](/)\n\n* files\n* news\n* users\n* cve\n\n[![](/logos/smalllogobeta.webp)](/)\n\n![](/logos/linegray.webp)\n\n[About](/help/view/4) |\n[Terms](/tos/) |\n[Copyright](/help/view/7) |\n[Privacy](/help/view/6)`;
      }
      push(
        '```\n' +
          '='.repeat(72) +
          `\n${title}\n${r.range(1, 28)} ${r.pick(['March', 'June', 'October'])} ${r.range(2022, 2025)}\n` +
          '='.repeat(72),
      );
      while (size < targetChars + 200)
        push(
          enPara(r, r.range(2, 5))
            .replace(/(.{1,72})(\s|$)/g, '$1\n')
            .trim(),
        );
      push('```');
      break;
    case 'cxsecurity':
      push(
        `**Risk:** ${r.pick(['High', 'Medium', 'Low'])}\n\n**Local:** ${r.pick(['Yes', 'No'])}\n\n**Remote:** ${r.pick(['Yes', 'No'])}\n\n**CVE:** CVE-${r.range(2021, 2025)}-${r.range(1000, 59999)}\n\n**CWE:** CWE-${r.range(20, 1000)}`,
      );
      while (size < targetChars + 200) push(r.chance(0.3) ? codeBlock(r) : enPara(r, r.range(2, 5)));
      break;
    case 'ghsa':
      push(
        `## Package\n\n${r.pick(['npm', 'pip', 'Maven', 'Go', 'crates.io'])} ${r.pick(GH_REPOS)}\n\n## Affected versions\n\n< ${r.range(1, 9)}.${r.range(0, 9)}.${r.range(0, 9)}\n\n## Patched versions\n\n${r.range(1, 9)}.${r.range(0, 9)}.${r.range(0, 9)}\n\n## Description\n\n### Impact`,
      );
      while (size < targetChars + 200) push(r.chance(0.2) ? codeBlock(r) : enPara(r, r.range(2, 4)));
      push(
        `### References\n\n* https://github.com/${r.pick(GH_OWNERS)}/${r.pick(GH_REPOS)}/security/advisories\n* https://nvd.nist.gov/vuln/detail/CVE-${r.range(2021, 2025)}-${r.range(1000, 59999)}`,
      );
      break;
    case 'commit':
      push(githubChrome(r, domain));
      push(`## Commit\n\n${title.slice(0, 200)}\n\n${r.hex(7)}`);
      while (size < targetChars + 200) {
        const f = `${r.pick(['http', 'cves', 'pkg', 'src', 'lib'])}/${r.range(2021, 2025)}/${r.pick(PRODUCTS).replace(/\W+/g, '-').toLowerCase()}.${r.pick(['yaml', 'go', 'py', 'rb', 'ts'])}`;
        push(
          `### ${f}\n\n\`\`\`diff\n@@ -${r.range(1, 300)},${r.range(3, 20)} +${r.range(1, 300)},${r.range(3, 20)} @@\n- ${enPara(r, 1)}\n+ ${enPara(r, 1)}\n+ ${enPara(r, 1)}\n\`\`\``,
        );
      }
      break;
    case 'cn-site': {
      const ymd = `${r.range(2022, 2025)}${String(r.range(1, 12)).padStart(2, '0')}${String(r.range(1, 28)).padStart(2, '0')}`;
      if (r.chance(0.5))
        push(`${r.pick(['文章', '漏洞', '资讯'])}\n\n* [首页](/)\n* [专栏](/column)\n* [漏洞](/vuls)\n\n登录 注册`);
      while (size < targetChars + 200) {
        const x = r.next();
        push(
          x < 0.6
            ? zhPara(r, r.range(2, 5))
            : x < 0.75
              ? `![](https://image.${domain}/images/${ymd}/${r.hex(20)}.png)`
              : x < 0.85
                ? `## ${CN_NUM[r.int(10)]}、${r.pick(TOPICS)}`
                : x < 0.95
                  ? codeBlock(r)
                  : table(r),
        );
      }
      break;
    }
    case 'it-news':
      push(
        `![](https://${domain}/wp-content/uploads/${r.range(2022, 2025)}/${String(r.range(1, 12)).padStart(2, '0')}/${r.str(10).toLowerCase()}.jpg)`,
      );
      while (size < targetChars + 200) push(r.chance(0.85) ? itPara(r, r.range(2, 5)) : `## ${r.pick(IT_SENT)}`);
      break;
    default: {
      // blog-en
      if (r.chance(0.5)) {
        const nav = [];
        for (let i = r.range(4, NAV_EN.length); i > 0; i--) nav.push(r.pick(NAV_EN));
        push(nav.join('\n\n'));
      }
      push(
        `![${title.slice(0, 40)}](https://${domain}/wp-content/uploads/${r.range(2022, 2025)}/${String(r.range(1, 12)).padStart(2, '0')}/${r.str(12).toLowerCase()}.jpg?w=736)`,
      );
      push(
        `## ${title}\n\n${r.pick(['January', 'April', 'July', 'October'])} ${r.range(1, 28)}, ${r.range(2022, 2025)}\n\n[${r.pick(['Mark', 'Jane', 'Ravi', 'Chen', 'Lucia'])} ${r.pick(['Stockley', 'Doe', 'Patel', 'Wei', 'Rossi'])}](https://${domain}/author/${r.str(6).toLowerCase()}/)`,
      );
      while (size < targetChars + 200) {
        const x = r.next();
        push(
          x < 0.62
            ? enLinkPara(r, domain, r.range(2, 6))
            : x < 0.74
              ? `### ${r.pick(VULN_EN)} in ${r.pick(PRODUCTS)}`
              : x < 0.84
                ? Array.from({ length: r.range(3, 7) }, () => `* ${EN_POOL[r.int(EN_POOL.length)]}`).join('\n')
                : x < 0.92
                  ? codeBlock(r)
                  : `> ${EN_POOL[r.int(EN_POOL.length)]}`,
        );
      }
    }
  }
  const text = parts.join('\n\n');
  return text.length > 8000 ? `${text.slice(0, 7960 + r.int(100))}...` : text;
}
