// Hardening #11 finding 7 (client part): `latest$` in push mode buffered a `data:` line that never
// ends without limit (3.1 GB RSS in 28 s). The event-stream parser now caps what it buffers (a line
// not yet ended plus the data of an event not yet dispatched) at the client's maxPushEventChars,
// and the stream errors at once with a ParseError naming the cap. In 'auto' mode the same error
// ends the stream: no reconnecting into the same hostile stream, no silent fallback to polling.
// The hostile peer is a raw node:http server streaming `data: xxxx…` with no line end.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { firstValueFrom } from 'rxjs';
import { DEFAULT_CLIENT_OPTIONS } from '../../src/client/ClientOptions.js';
import { TimetricClient } from '../../src/client/TimetricClient.js';
import type { LiveMode } from '../../src/streams/liveLatest.js';
import { ConfigurationError } from '../../src/errors/ConfigurationError.js';
import { ParseError } from '../../src/errors/ParseError.js';

const ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const MiB = 1024 * 1024;
/** The peer gives up (and the test fails) after sending this much without the client hanging up. */
const FAILSAFE = 128 * MiB;

describe('latest$ against an event stream whose data line never ends', () => {
  let server: Server;
  let url = '';
  let events = 0;
  let polls = 0;
  let sent = 0;
  let overran = false;
  let hungUp: Promise<void> = Promise.resolve();
  let onOverrun = (): void => undefined;
  /** What the peer sends on the events path: the endless line, or one whole event of this many characters. */
  let oneEventOf: number | undefined;

  before(async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    server = createServer((req, res) => {
      if (req.url === `/series/${ID}/value/json/`) {
        polls++;
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"timestamp":1,"value":1}');
      }
      if (req.url !== `/series/${ID}/value/events/`) return void res.writeHead(404).end();
      events++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (oneEventOf !== undefined) {
        const pad = 'y'.repeat(oneEventOf - '{"timestamp":2,"value":2,"pad":""}'.length);
        return void res.write(`data: {"timestamp":2,"value":2,"pad":"${pad}"}\n\n`);
      }
      hungUp = new Promise((resolve) => res.once('close', resolve));
      let open = true;
      res.once('close', () => (open = false));
      res.write('data: ');
      const pump = (): void => {
        while (open) {
          if (sent >= FAILSAFE) {
            overran = true;
            onOverrun();
            return void res.end();
          }
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    events = polls = sent = 0;
    overran = false;
    oneEventOf = undefined;
  });

  /** Subscribes to latest$ until it errors; returns the error and the peak RSS growth meanwhile. */
  async function endlessLine(mode: LiveMode): Promise<{ error: unknown; growth: number }> {
    const client = new TimetricClient({ authtype: 'anonymous' }, { baseUrl: url, latest: { mode } });
    const baseline = process.memoryUsage.rss();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
    try {
      let subscription: { unsubscribe(): void } | undefined;
      const error = await new Promise<unknown>((resolve) => {
        onOverrun = () => resolve(new Error('overran'));
        subscription = client.series(ID).latest$.subscribe({ next: (p) => resolve(new Error(`unexpected point ${JSON.stringify(p)}`)), error: resolve, complete: () => resolve(new Error('completed')) });
      });
      subscription?.unsubscribe();
      await hungUp;
      peak = Math.max(peak, process.memoryUsage.rss());
      return { error, growth: peak - baseline };
    } finally {
      clearInterval(sampler);
    }
  }

  for (const mode of ['push', 'auto'] as const) {
    it(`${mode}: errors with a ParseError naming maxPushEventChars, RSS grows < 50 MB, one connection, closed`, { timeout: 60_000 }, async (t) => {
      const { error, growth } = await endlessLine(mode);
      t.diagnostic(`RSS +${(growth / MiB).toFixed(1)} MiB, peer sent ${(sent / MiB).toFixed(1)} MiB before the client hung up`);
      assert.equal(overran, false, `the client read ${FAILSAFE / MiB} MiB of one line without failing`);
      assert.ok(error instanceof ParseError, String(error));
      assert.match(error.message, /value\/events\/ sent an event or line longer than 65,536 characters \(maxPushEventChars\)/);
      assert.ok(growth < 50 * MiB, `RSS grew ${(growth / MiB).toFixed(1)} MiB`);
      assert.equal(events, 1, 'not reconnected into the same stream');
      assert.equal(polls, 0, 'no silent fallback to polling');
      assert.ok(sent < 16 * MiB, `the client hung up only after ${(sent / MiB).toFixed(1)} MiB`);
    });
  }

  it('an event under the cap is read; one that outgrows it across chunks is refused, unless maxPushEventChars is raised', async () => {
    // The cap bounds what is held between chunks, so an event may pass it by up to one chunk (64 KB).
    oneEventOf = 60_000;
    const client = (extra = {}): TimetricClient => new TimetricClient({ authtype: 'anonymous' }, { baseUrl: url, latest: { mode: 'push' }, ...extra });
    assert.deepEqual(await firstValueFrom(client().series(ID).latest$), [2, 2]);
    oneEventOf = 300_000;
    await assert.rejects(firstValueFrom(client().series(ID).latest$), (err: unknown) => err instanceof ParseError && /maxPushEventChars/.test(err.message));
    assert.deepEqual(await firstValueFrom(client({ maxPushEventChars: 400_000 }).series(ID).latest$), [2, 2]);
  });

  it('maxPushEventChars defaults to 64 Ki characters and must be a positive integer', () => {
    assert.equal(DEFAULT_CLIENT_OPTIONS.maxPushEventChars, 65_536);
    assert.equal(new TimetricClient({ authtype: 'anonymous' }).maxPushEventChars, 65_536);
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity]) {
      assert.throws(() => new TimetricClient({ authtype: 'anonymous' }, { maxPushEventChars: bad }), (err: unknown) => err instanceof ConfigurationError && err.key === 'maxPushEventChars', String(bad));
    }
  });
});
