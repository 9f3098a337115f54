/**
 * Dumps of synthetic web pages for the site-chrome tests: the page shapes of test/fixtures/site-chrome/ filled in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OWN_FIXTURES } from './paths.js';
import { dump } from './tmp.js';

const fixture = (name: string) => readFileSync(join(OWN_FIXTURES, 'site-chrome', name), 'utf8');
const SITE_PAGE = fixture('site-page.md');
const RELAY_PAGE = fixture('relay-page.md');
const WALL = fixture('wall.md');

const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => values[k] ?? '');

/** Hosts and slugs the aggregator's pages name as their sources: different words, as real addresses are. */
const HOSTS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
const SLUGS = [
  'router-backdoor',
  'botnet-takedown',
  'ioctl-fuzzing',
  'parcel-phish',
  'ca-distrust',
  'heap-overflow',
  'ir-report',
  'lock-replay',
];

/** Article texts, each its own: a few paragraphs, one with an image and one with a list. */
export const ARTICLES: string[] = [
  'A researcher found that the update service of a popular router accepts firmware images without checking their signature.\n\nAn attacker on the same network can push a modified image and keep access across reboots. The vendor has shipped a fix in version 4.2.\n\n![Diagram of the attack](https://img.example/router-attack.png)',
  'Law enforcement agencies in three countries took down the servers of a botnet that rented out residential proxies.\n\nThe operators sold access to more than 200,000 infected devices, mostly cameras and set-top boxes.\n\n* 14 servers seized\n* two arrests\n* a decryptor for one of the payloads',
  'The new release of the open source scanner adds templates for cloud misconfigurations and a faster HTTP engine.\n\nMaintainers say scans of large address ranges now finish in half the time, with fewer false positives on redirects.',
  'A phishing campaign impersonates a parcel service and asks for a small customs fee paid by card.\n\nThe pages are hosted on short-lived domains registered in bulk, and the kit checks the visitor’s country before showing anything.',
  'Browser makers agreed on a schedule to distrust certificates from an authority that failed repeated audits.\n\nSites using those certificates have until the end of the year to move to another authority.',
  'An integer overflow in a widely used image library lets a crafted file write past a heap buffer.\n\nThe bug is reachable from thumbnail generation on many desktop systems; distributions are shipping patched packages this week.',
  'A report on incident response times finds that most breaches are still discovered by outside parties.\n\nThe median time from intrusion to detection fell slightly, but ransomware cases are detected far faster than espionage.',
  'Researchers showed how a smart lock can be opened by replaying a captured Bluetooth exchange.\n\nThe manufacturer says a firmware update adds a rolling challenge, but older models cannot be updated.',
];

/** A dump of `site-page.md` (source `Example Security News`, host news.example) with article `n`. */
export function siteDump(n: number, extra: { article?: string; date?: string; source?: string } = {}): string {
  const title = `Example story number ${n + 1}`;
  const url = `https://news.example/${2024}/07/story-${n + 1}.html`;
  const date = extra.date ?? `2024-07-${String(10 + (n % 18)).padStart(2, '0')}`;
  const body = fill(SITE_PAGE, {
    TITLE: title,
    DATE: `July ${10 + (n % 18)}, 2024`,
    AUTHOR: ['alice', 'bob', 'carol'][n % 3]!,
    ARTICLE: extra.article ?? ARTICLES[n % ARTICLES.length]!,
    URL: url,
  });
  return dump(
    { title, url, source: extra.source ?? 'Example Security News', date, fetch_date: '2025-10-04T08:00:00.000000' },
    body,
  );
}

/** A dump of `wall.md` (source `Example Social @someone`): a post the dumper only saw the wall of. */
export function wallDump(n: number): string {
  return dump(
    {
      title: `Post ${n + 1}: a thread about a new exploit`,
      url: `https://example-social.test/someone/status/17000000000000${String(n).padStart(5, '0')}`,
      source: 'Example Social @someone',
      date: `2024-07-${String(10 + (n % 18)).padStart(2, '0')}`,
      fetch_date: '2025-10-04T08:00:00.000000',
    },
    WALL,
  );
}

/**
 * A dump of `relay-page.md` (source `中转站 - 安全文摘`): the aggregator's copy of a page. `original` is the line it
 * names as its source (a WeChat article URL, as markdown writes it, or another site's).
 */
export function relayDump(
  n: number,
  extra: { article?: string; original?: string; excerpt?: string; title?: string } = {},
): string {
  const title = extra.title ?? `转载文章 ${n + 1}：一次供应链攻击的复盘`;
  const article = extra.article ?? ARTICLES[(n + 3) % ARTICLES.length]!;
  const body = fill(RELAY_PAGE, {
    TITLE: title,
    EXCERPT: extra.excerpt ?? article.split('\n')[0]!.slice(0, 60),
    DATE: `2024-7-${10 + (n % 18)}`,
    HOST: `${HOSTS[n % HOSTS.length]}.example`,
    ID: String(200_000 + n),
    READS: String(10 + n * 7),
    ARTICLE: article,
    ORIGINAL: extra.original ?? `https://${HOSTS[n % HOSTS.length]}.example/posts/${SLUGS[n % SLUGS.length]}.html`,
  });
  return dump(
    {
      title,
      url: `https://relay.example/go-${200_000 + n}.html`,
      source: '中转站 - 安全文摘',
      date: `2024-07-${String(10 + (n % 18)).padStart(2, '0')}`,
      fetch_date: '2025-10-04T08:00:00.000000',
    },
    body,
  );
}

/** The page a WeChat captcha shows, as an aggregator relays it in place of the article. */
export const RELAYED_CAPTCHA = '## 环境异常\n\n当前环境异常，完成验证后即可继续访问。\n\n去验证';

/** A WeChat article URL written as markdown escapes it in a dump body (`\_\_biz`). */
export function escapedWechatUrl(biz: string, mid: number, sn: string): string {
  return `https://mp.weixin.qq.com/s?\\_\\_biz=${biz}&mid=${mid}&idx=1&sn=${sn}&chksm=0123abcd&scene=58#rd`;
}
