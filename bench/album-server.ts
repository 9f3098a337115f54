/**
 * The loopback album server of the tests (test/helpers/album-server.ts) in a process of its own, for
 * bench/discovery.ts: its work does not share the build's event loop, as WeChat's would not. Arguments: albums,
 * articles per album, latency in ms. Reports its port to the parent over IPC, and answers `counts` (requests so far)
 * and `model` (each article's album, list time and page `ct`).
 * Run by the bench as: node --import tsx bench/album-server.ts 100 100 50
 */
import { startAlbumServer } from '../test/helpers/album-server.js';

const [albums = 100, articles = 100, latencyMs = 50] = process.argv.slice(2).map(Number);
const server = await startAlbumServer({ albums, articles, latencyMs });

process.on('message', (m: { type: string }) => {
  if (m.type === 'counts') process.send?.({ type: 'counts', counts: { ...server.counts } });
  if (m.type === 'model')
    process.send?.({
      type: 'model',
      urls: server.albums.map((al) => server.articleUrl(al.articles[0]!)),
      articles: server.albums.flatMap((al, a) => al.articles.map((x) => ({ album: a, ct: x.createTime + 23 }))),
    });
});
process.on('disconnect', () => {
  void server.close().then(() => process.exit(0));
});
process.send?.({ type: 'port', origin: server.origin });
