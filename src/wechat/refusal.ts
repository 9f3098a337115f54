/**
 * Pure: which WeChat answers refuse **the client** (pause every request: a captcha or verify page, a frequency
 * control code) and which concern only the list or page asked for (a mistyped or deleted album, an answer of the
 * wrong shape). One home for the markers, so that article pages, album pages, album lists and homepage lists agree.
 *
 * Frequency control: `base_resp.ret` 200013 with `errmsg` "freq control" is what WeChat's endpoints answer a client
 * that asks too often (reported on its public issue trackers, e.g. leo8916/wxhub#8: "200013 freq control", lifted
 * hours later). Any `ret` whose message speaks of frequency or verification is taken the same way. Every other
 * non-zero `ret` (`-2 "invalid args"` for an album id that does not exist) concerns the list alone.
 */

/** Markers of the verification page's raw HTML (its visible text is drawn by a script). */
const VERIFY_MARKERS: readonly string[] = [
  'secitptpage/verify.html',
  'TCaptcha.js',
  'cgiData.poc_token',
  'poc_token',
  'wappoc_appmsgcaptcha',
];

/** Visible captcha and rate-limit text (a browser's dump of the verify page, or a plain rate-limit page). */
export const VERIFY_TEXT = /当前环境异常|完成验证后即可继续访问|环境异常|访问过于频繁/;

/** True when the HTML carries a marker of WeChat's verification (captcha) page. */
export function hasVerifyMarker(html: string): boolean {
  return VERIFY_MARKERS.some((m) => html.includes(m));
}

/** `base_resp.ret` codes of frequency control. */
const FREQ_CONTROL_RETS: ReadonlySet<number> = new Set([200013]);

/** An `errmsg` that speaks of frequency control or verification. */
const REFUSING_MESSAGE = /freq|frequen|too often|频繁|verify|验证|环境异常/i;

/** True when a non-zero `base_resp.ret` (with its `errmsg`) refuses the client rather than the list asked for. */
export function retRefusesClient(ret: number, errmsg?: string): boolean {
  return FREQ_CONTROL_RETS.has(ret) || (errmsg !== undefined && REFUSING_MESSAGE.test(errmsg));
}

/** A redirect's target path that is the verification page: the client is refused. */
export const VERIFY_PATH = /captcha|verify/i;
