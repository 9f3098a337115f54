/**
 * A loopback HTTP receiver that records every request (an alert target, a WebSub hub): method, path, headers, body
 * and time. It answers 200, or what `answers` says for the next requests (a status, or `hang`: never answer, as a
 * target that times out does).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

export interface Receiver {
  origin: string;
  received: Received[];
  /** What the next requests get, in order (a status, or `hang`); then 200. */
  answers: Array<number | 'hang'>;
  /** Requests being held (`hang`) right now. */
  held(): number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  const r: Receiver = {
    origin: '',
    received,
    answers: [],
    held: () => hanging.size,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      });
      const answer = r.answers.shift() ?? 200;
      if (answer === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      res.writeHead(answer, { 'content-type': 'application/json' });
      res.end(answer === 200 ? '{"ok":true}' : '{"ok":false}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  r.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return r;
}

/** Keeps what a receiver got in test-artifacts/<name>, one request a line, for people to read after the run. */
export function keepReceived(name: string, received: readonly Received[]): void {
  const dir = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const lines = received.map((r) => `${new Date(r.at).toISOString()} ${r.method} ${r.path} ${r.body}`);
  writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
}
