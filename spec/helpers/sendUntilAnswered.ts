// One request over its own connection (node:http, no keep-alive) that stops sending its body as
// soon as the server answers. fetch reports "fetch failed" when a server answers early and closes
// while the body is still going out (a 413 on Content-Length, a 400 on the first bad line); a
// browser or curl shows the answer, and so does this.
import { request, type IncomingHttpHeaders } from 'node:http';

export interface EarlyAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Body bytes sent when the answer came. */
  sent: number;
}

/** A body: bytes, or chunks (e.g. a generator of filler) with their total length. */
export type RequestBody = string | Buffer | { chunks: Iterable<Buffer | string>; length: number };

export function sendUntilAnswered(url: string, method: string, headers: Record<string, string>, body?: RequestBody): Promise<EarlyAnswer> {
  const { chunks, length } =
    body === undefined ? { chunks: [], length: 0 } : typeof body === 'string' || Buffer.isBuffer(body) ? { chunks: [body], length: Buffer.byteLength(body) } : body;
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(url, { method, agent: false, headers: { ...headers, 'content-length': String(length) } }, (res) => {
      answered = true;
      const at = sent;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('error', reject);
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, sent: at });
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const iterator = chunks[Symbol.iterator]();
    const pump = (): void => {
      while (!answered) {
        const next = iterator.next();
        if (next.done) return void req.end();
        sent += Buffer.byteLength(next.value);
        if (!req.write(next.value)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}
