/**
 * A real HTTP server on 127.0.0.1 that serves pages and injects faults, for the fetcher and live-fetch tests.
 * Routes by path (query kept in the key when a page is registered with one).
 */
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';

export interface FaultServer {
  origin: string;
  server: Server;
  /** Requests served, by path. */
  hits: Map<string, number>;
  /** Request start times (ms, performance.now()) in order, and the peak number in flight. */
  starts: number[];
  peakInFlight: () => number;
  cookiesSeen: string[];
  /** Pages: path (or path?query) → HTML, or a handler. */
  pages: Map<string, string | ((req: IncomingMessage, res: ServerResponse) => void)>;
  /** Serve a captcha page for every article request after this many (Infinity: never). */
  captchaAfter: number;
  latencyMs: number;
  close(): Promise<void>;
}

export const CAPTCHA_HTML = `<!DOCTYPE html><html><head><script>var PAGE_MID='mmbizwap:secitptpage/verify.html';</script><script src="https://ssl.captcha.qq.com/TCaptcha.js"></script></head><body><div id="app"></div></body></html>`;

let bomb: Buffer | undefined;
/** ~64 MB of zeros gzipped into ~64 KB. */
function gzipBomb(): Buffer {
  return (bomb ??= gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 }));
}

export async function startFaultServer(
  init: Partial<Pick<FaultServer, 'latencyMs' | 'captchaAfter'>> = {},
): Promise<FaultServer> {
  const state = {
    hits: new Map<string, number>(),
    starts: [] as number[],
    cookiesSeen: [] as string[],
    pages: new Map<string, string | ((req: IncomingMessage, res: ServerResponse) => void)>(),
    captchaAfter: init.captchaAfter ?? Number.POSITIVE_INFINITY,
    latencyMs: init.latencyMs ?? 0,
  };
  let inFlight = 0;
  let peak = 0;
  let articleRequests = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = url.pathname;
    state.hits.set(key, (state.hits.get(key) ?? 0) + 1);
    state.starts.push(performance.now());
    if (req.headers.cookie) state.cookiesSeen.push(req.headers.cookie);
    inFlight++;
    peak = Math.max(peak, inFlight);
    res.on('close', () => inFlight--);
    const respond = (): void => route(req, res, url);
    if (state.latencyMs > 0) setTimeout(respond, state.latencyMs);
    else respond();
  });

  function route(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const path = url.pathname;
    const page = state.pages.get(`${path}${url.search}`) ?? state.pages.get(path);
    if (page !== undefined && path.startsWith('/s')) {
      articleRequests++;
      if (articleRequests > state.captchaAfter) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(CAPTCHA_HTML);
        return;
      }
    }
    if (typeof page === 'function') {
      page(req, res);
      return;
    }
    if (typeof page === 'string') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'set-cookie': 'wxuin=123; Path=/' }).end(page);
      return;
    }
    const n = state.hits.get(path) ?? 0;
    switch (path) {
      case '/fault/slow':
        setTimeout(() => res.writeHead(200).end('late'), 5000).unref();
        return;
      case '/fault/500-then-ok':
        if (n <= 2) res.writeHead(500).end('boom');
        else res.writeHead(200, { 'content-type': 'text/html' }).end('<html>ok after 500s</html>');
        return;
      case '/fault/always-500':
        res.writeHead(503).end('down');
        return;
      case '/fault/404':
        res.writeHead(404).end('missing');
        return;
      case '/fault/reset':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.write('<html>partial');
        setTimeout(() => req.socket.destroy(), 10);
        return;
      case '/fault/truncated':
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': '100000' });
        res.write('<html>only a little');
        setTimeout(() => req.socket.end(), 10);
        return;
      case '/fault/huge': {
        res.writeHead(200, { 'content-type': 'text/html' });
        const chunk = Buffer.alloc(256 * 1024, 0x61);
        let sent = 0;
        let closed = false;
        res.on('close', () => (closed = true));
        const pump = (): void => {
          while (!closed && sent < 50 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          if (!closed) res.end();
        };
        pump();
        return;
      }
      case '/fault/gzip-bomb':
        res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(gzipBomb());
        return;
      case '/fault/loop':
        res.writeHead(302, { location: '/fault/loop2' }).end();
        return;
      case '/fault/loop2':
        res.writeHead(302, { location: '/fault/loop' }).end();
        return;
      case '/fault/chain': {
        const i = Number(url.searchParams.get('i') ?? 0);
        res.writeHead(302, { location: `/fault/chain?i=${i + 1}` }).end();
        return;
      }
      case '/fault/elsewhere':
        res.writeHead(301, { location: 'http://127.0.0.2:9/s?x=1' }).end();
        return;
      case '/fault/to-captcha':
        res.writeHead(302, { location: '/mp/wappoc_appmsgcaptcha?poc_token=abc&target_url=x' }).end();
        return;
      case '/fault/redirect-ok':
        res.writeHead(302, { location: '/fault/404-not' }).end();
        return;
      default:
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    origin: `http://127.0.0.1:${port}`,
    server,
    peakInFlight: () => peak,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  }) as FaultServer;
}
