// A Server-Sent Events reader on a raw node:http request (its own socket, no client library), for
// specs that hold many streams open at once or watch exactly when a stream ends.
import { request } from 'node:http';

export interface RawEventStream {
  /** The `data:` of each event received so far, parsed as JSON. */
  readonly data: unknown[];
  /** Named events (`event: deleted`) received so far. */
  readonly named: string[];
  /** `: heartbeat` comments received so far. */
  readonly heartbeats: number;
  /** Resolves with `performance.now()` when the server ended the response (or the socket closed). */
  readonly ended: Promise<number>;
  /** Whether the response has ended. */
  readonly done: boolean;
  /** Resolves once `predicate` holds (checked after every chunk); rejects after `ms` or when the stream ends first. */
  until(predicate: (s: RawEventStream) => boolean, what: string, ms?: number): Promise<void>;
  /** Closes the connection from the client side. */
  close(): void;
}

/** Opens `GET url` as an event stream; resolves once a 200 arrived, rejects with the status and body otherwise. */
export function openEventStream(url: string, headers: Record<string, string> = {}): Promise<RawEventStream> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false });
    req.on('error', reject);
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => reject(new Error(`event stream answered ${res.statusCode}: ${body}`)));
        return;
      }
      const data: unknown[] = [];
      const named: string[] = [];
      let heartbeats = 0;
      let buffer = '';
      let done = false;
      const waiters = new Set<() => void>();
      let markEnded: (at: number) => void = () => undefined;
      const ended = new Promise<number>((r) => (markEnded = r));
      const finish = (): void => {
        if (done) return;
        done = true;
        markEnded(performance.now());
        for (const w of [...waiters]) w();
      };
      const stream: RawEventStream = {
        data,
        named,
        get heartbeats() {
          return heartbeats;
        },
        ended,
        get done() {
          return done;
        },
        until(predicate, what, ms = 10_000) {
          return new Promise<void>((ok, fail) => {
            const check = (): void => {
              if (predicate(stream)) {
                cleanup();
                ok();
              } else if (done) {
                cleanup();
                fail(new Error(`the stream ended before ${what}`));
              }
            };
            const timer = setTimeout(() => {
              cleanup();
              fail(new Error(`timed out after ${ms} ms waiting for ${what}`));
            }, ms);
            const cleanup = (): void => {
              clearTimeout(timer);
              waiters.delete(check);
            };
            waiters.add(check);
            check();
          });
        },
        close() {
          req.destroy();
        },
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (frame.startsWith(': heartbeat')) heartbeats++;
          const event = /^event: (.*)$/m.exec(frame);
          if (event) named.push(event[1]!);
          else {
            const line = /^data: (.*)$/m.exec(frame);
            if (line) data.push(JSON.parse(line[1]!));
          }
        }
        for (const w of [...waiters]) w();
      });
      res.on('end', finish);
      res.on('close', finish);
      resolve(stream);
    });
    req.end();
  });
}
