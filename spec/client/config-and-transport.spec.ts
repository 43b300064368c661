// Configuration with the historical keys, timeouts in virtual time, and abort on unsubscribe.
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { VirtualTimeScheduler, lastValueFrom } from 'rxjs';
import { normalizeConfig } from '../../src/client/normalizeConfig.js';
import { ConfigurationError, NetworkError, TimeoutError, TimetricClient } from '../../src/index.js';

describe('config', () => {
  it('defaults to oauth and accepts the historical spellings', () => {
    assert.deepEqual(normalizeConfig({ consumer_key: 'c', consumer_secret: 's', oauth_key: 't', access_secret: 'ts' }), {
      type: 'oauth', consumerKey: 'c', consumerSecret: 's', token: 't', tokenSecret: 'ts',
    });
    assert.equal((normalizeConfig({ consumer_key: 'c', consumer_secret: 's', access_token: 'a' }) as { token?: string }).token, 'a');
    assert.deepEqual(normalizeConfig({ authtype: 'apitoken', apitoken_key: 'k', 'apitoken-secret': 's' }), { type: 'apitoken', key: 'k', secret: 's' });
  });

  it('names the missing key at construction', () => {
    assert.throws(() => new TimetricClient({ authtype: 'apitoken', apitoken_key: 'k' }), (e: unknown) => e instanceof ConfigurationError && e.key === 'apitoken_secret' && /apitoken_secret/.test(e.message));
    assert.throws(() => new TimetricClient({ consumer_secret: 's' }), (e: unknown) => e instanceof ConfigurationError && e.key === 'consumer_key');
    assert.throws(() => new TimetricClient({ authtype: 'basic' as 'oauth' }), /unknown authtype/);
    assert.throws(() => new TimetricClient({ consumer_key: 'c', consumer_secret: 's' }, { baseUrl: 'ftp://x' }), /baseUrl/);
  });
});

describe('transport', () => {
  // A TCP peer that accepts connections and never answers: the shape of a hung server.
  const sockets = new Set<Socket>();
  const seen: Promise<Socket>[] = [];
  let resolveNext: ((s: Socket) => void) | undefined;
  const blackHole = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    resolveNext?.(socket);
  });
  let url = '';
  const nextConnection = (): Promise<Socket> => {
    const p = new Promise<Socket>((resolve) => (resolveNext = resolve));
    seen.push(p);
    return p;
  };
  before(async () => {
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(blackHole.address() as { port: number }).port}`;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => blackHole.close(resolve));
  });
  const config = { authtype: 'apitoken' as const, apitoken_key: 'k', apitoken_secret: 's' };

  it('fails with TimeoutError when the timeout elapses on the client scheduler (virtual time)', async () => {
    const scheduler = new VirtualTimeScheduler();
    const client = new TimetricClient(config, { baseUrl: url, timeoutMs: 5000, scheduler });
    const connected = nextConnection();
    const result = lastValueFrom(client.series('AAAAAAAAAAAAAAAAAAAAAA').latest());
    const socket = await connected;
    const closed = new Promise((resolve) => socket.once('close', resolve));
    scheduler.flush();
    await assert.rejects(result, (e: unknown) => e instanceof TimeoutError && e.timeoutMs === 5000 && /timed out after 5000 ms/.test(e.message));
    await closed;
  });

  it('unsubscribing aborts the request in flight', async () => {
    const client = new TimetricClient(config, { baseUrl: url, timeoutMs: 0 });
    const connected = nextConnection();
    const sub = client.series('AAAAAAAAAAAAAAAAAAAAAA').update([[1, 1]]).subscribe({ error: () => assert.fail('no error after unsubscribe') });
    const socket = await connected;
    const closed = new Promise((resolve) => socket.once('close', resolve));
    sub.unsubscribe();
    await closed;
  });

  it('options.signal aborts every request of the client; an injected fetch gets the URL, user agent and Basic header', async () => {
    const calls: { input: string; init: RequestInit | undefined }[] = [];
    const controller = new AbortController();
    const client = new TimetricClient(config, {
      baseUrl: `${url}/`,
      timeoutMs: 0,
      signal: controller.signal,
      userAgent: 'probe/1',
      fetch: (input, init) => {
        calls.push({ input, init });
        return fetch(input, init);
      },
    });
    const connected = nextConnection();
    const result = lastValueFrom(client.series('AAAAAAAAAAAAAAAAAAAAAA').latest());
    const socket = await connected;
    const closed = new Promise((resolve) => socket.once('close', resolve));
    controller.abort();
    await assert.rejects(result, (e: unknown) => e instanceof Error && e.name === 'AbortError');
    await closed;
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.input, `${url}/series/AAAAAAAAAAAAAAAAAAAAAA/value/json/`);
    assert.equal(calls[0]!.init?.redirect, 'manual');
    const headers = calls[0]!.init?.headers as Record<string, string>;
    assert.equal(headers['user-agent'], 'probe/1');
    assert.equal(headers.authorization, `Basic ${btoa('k:s')}`);
    // once aborted, later requests fail at once without a connection
    await assert.rejects(lastValueFrom(client.series('AAAAAAAAAAAAAAAAAAAAAA').latest()), (e: unknown) => e instanceof Error && e.name === 'AbortError');
  });

  it('an unreachable server fails with NetworkError', async () => {
    const client = new TimetricClient(config, { baseUrl: 'http://127.0.0.1:1' });
    await assert.rejects(lastValueFrom(client.series('AAAAAAAAAAAAAAAAAAAAAA').latest()), NetworkError);
  });
});
