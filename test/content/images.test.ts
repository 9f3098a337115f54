/**
 * WeChat's image hosts (content/images.ts): what the image proxy fetches and what a WeChat cover may name (issue 20,
 * item 5: covers naming internal addresses were published for readers to fetch). Strict about everything a URL
 * parser and a reader's parser may read differently: credentials, ports, schemes, IP literals, trailing dots,
 * encoded or escaped hosts.
 */
import { describe, expect, it } from 'vitest';
import { isWechatImage, WECHAT_IMAGE_HOSTS, wechatImageUrl } from '../../src/content/images.js';

const IMG = '/mmbiz_jpg/4q8J3pWcWxYeeBSiaAAxqEHyrz/0?wx_fmt=jpeg';

describe('isWechatImage / wechatImageUrl', () => {
  it("accepts each of WeChat's image hosts over https or http, on the scheme's own port, any case", () => {
    for (const host of WECHAT_IMAGE_HOSTS) {
      expect(isWechatImage(`https://${host}${IMG}`), host).toBe(true);
      expect(isWechatImage(`http://${host}${IMG}`), host).toBe(true);
    }
    expect(wechatImageUrl(`https://mmbiz.qpic.cn${IMG}`)).toBe(`https://mmbiz.qpic.cn${IMG}`);
    expect(wechatImageUrl(`HTTP://MMBIZ.QPIC.CN${IMG}`)).toBe(`http://mmbiz.qpic.cn${IMG}`);
    expect(wechatImageUrl(`https://mmbiz.qpic.cn:443${IMG}`)).toBe(`https://mmbiz.qpic.cn${IMG}`);
    expect(wechatImageUrl(`http://mmbiz.qpic.cn:80${IMG}`)).toBe(`http://mmbiz.qpic.cn${IMG}`);
    expect(wechatImageUrl('https://mmbiz.qpic.cn')).toBe('https://mmbiz.qpic.cn/');
    // A scheme-relative cover, as pages write some images, is https; the proxy takes absolute URLs only.
    expect(wechatImageUrl(`//mmbiz.qpic.cn${IMG}`)).toBe(`https://mmbiz.qpic.cn${IMG}`);
    expect(isWechatImage(`//mmbiz.qpic.cn${IMG}`)).toBe(false);
    expect(wechatImageUrl('//127.0.0.1/x')).toBeUndefined();
  });

  it('refuses internal addresses, credentials, other ports and schemes, IP literals, look-alike hosts', () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'https://mmbiz.qpic.cn@127.0.0.1:8080/x',
      'https://mmbiz.qpic.cn:@127.0.0.1/x',
      'https://user:pw@mmbiz.qpic.cn/x',
      'https://user@mmbiz.qpic.cn/x',
      'https://mmbiz.qpic.cn:8080/x',
      'http://mmbiz.qpic.cn:443/x',
      'https://mmbiz.qpic.cn:80/x',
      'https://mmbiz.qpic.cn:0443/x',
      'ftp://mmbiz.qpic.cn/x',
      'file://mmbiz.qpic.cn/etc/passwd',
      'javascript://mmbiz.qpic.cn/%0aalert(1)',
      'data:image/png;base64,iVBORw0KGgo=',
      'gopher://mmbiz.qpic.cn/x',
      'http://127.0.0.1/x',
      'http://2130706433/x',
      'http://0x7f.1/x',
      'http://[::1]/x',
      'http://[::ffff:a9fe:a9fe]/x',
      'http://localhost/x',
      'https://mmbiz.qpic.cn./x',
      'https://mmbiz.qpic.cn.evil.example/x',
      'https://evil.example/mmbiz.qpic.cn/x',
      'https://xmmbiz.qpic.cn/x',
      'https://qpic.cn/x',
      'https://mmbiz%2eqpic.cn/x',
      'https://mmbiz.qpic.cn\\@127.0.0.1/x',
      'https://mmbiz.qpic.cn\\.evil.example/x',
      'https://mmbiz.qpic.cn\t.evil.example/x',
      'https://mmbiz.qpic.cn\n/x',
      ' https://mmbiz.qpic.cn/x',
      'mmbiz.qpic.cn/x',
      '/mmbiz_jpg/x/0',
      '',
      'https://ｍｍbiz.qpic.cn/x',
      'https://mmbiz.qpic.cn%00/x',
    ]) {
      expect(isWechatImage(url), JSON.stringify(url)).toBe(false);
      expect(wechatImageUrl(url), JSON.stringify(url)).toBeUndefined();
    }
  });

  it('what is published is the parsed URL: a path a reader could read as another host is never handed on', () => {
    // A backslash in the path is a path character to every parser once it is percent-encoded.
    expect(wechatImageUrl('https://mmbiz.qpic.cn/a\\@127.0.0.1/x')).toBe('https://mmbiz.qpic.cn/a/@127.0.0.1/x');
    expect(wechatImageUrl('https://mmbiz.qpic.cn/a b"<c>?wx_fmt=png')).toBe(
      'https://mmbiz.qpic.cn/a%20b%22%3Cc%3E?wx_fmt=png',
    );
  });
});
