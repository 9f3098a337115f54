// Loopback article-page server for bench/fetch-throughput.ts: every /s?…&sn=<hex> answers a small article page
// after the latency given as the first argument (ms). Reports its port to the parent over IPC.
import { createServer } from 'node:http';

const latency = Number(process.argv[2] ?? 50);

function articlePage(i) {
  const sn = i.toString(16).padStart(32, '0');
  return `<!DOCTYPE html><html><head><meta property="og:title" content="Article ${i}"><script>
var biz = "MzAwMDAwMDAwMQ==" || ""; var mid = "${2650000000 + i}" || ""; var idx = "1" || ""; var sn = "${sn}" || "";
var ct = "${1720000000 + i * 60}"; var nickname = "Bench account"; var msg_title = "Article ${i}";</script></head>
<body><div id="js_content"><p>Body of article ${i}. ${'Text. '.repeat(200)}</p></div></body></html>`;
}

const server = createServer((req, res) => {
  const sn = new URL(req.url ?? '/', 'http://x').searchParams.get('sn') ?? '0';
  setTimeout(
    () => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(articlePage(parseInt(sn, 16))),
    latency,
  );
});
server.listen(0, '127.0.0.1', () => process.send?.(server.address().port));
process.on('disconnect', () => process.exit(0));
