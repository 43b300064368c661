// Fuzz (hardening #11): a seeded generator throws 10,000 random and mutated bodies at every write
// endpoint (POST/PUT /series/ID/ as CSV, form and multipart, POST /create/ in its three shapes,
// DELETE), with good, missing and forged credentials, a few at a time, within a minute. No answer
// may be a 5xx or take a second, the server must keep answering, and the data accepted before the
// fuzz (another user's series, and the fuzzer's own series where its writes were refused) must
// read back byte for byte.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { CSV, createSeries, readCsv } from '../helpers/http.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';
import { seededRandom } from '../helpers/seededRandom.js';

const REQUESTS = 10_000;
const IN_FLIGHT = 8;
const DEADLINE_MS = 60_000;
const SLOW_MS = 1_000;
const SEED = 20261202;


interface Shot {
  method: 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

interface Answer {
  status: number;
  ms: number;
  shot: Shot;
}

let t: TestServer;
let alice: TestUser;
let mallory: TestUser;
let pristine: string;
let pristineCsv: string;
let target: string;
const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });

before(async () => {
  t = await startServer();
  alice = await t.user('fuzz-alice');
  mallory = await t.user('fuzz-mallory');
  pristine = await createSeries(t.url, alice.basic, { public: 'true' });
  const rows = Array.from({ length: 1_000 }, (_, i) => `${1_400_000_000 + i},${(i * 0.25).toFixed(2)}`).join('\n');
  const r = await fetch(`${t.url}/series/${pristine}/`, { method: 'POST', headers: { ...CSV, authorization: alice.basic }, body: `${rows}\n` });
  assert.equal(r.status, 204);
  pristineCsv = await readCsv(t.url, pristine, alice.basic);
  target = await createSeries(t.url, mallory.basic);
});
after(async () => {
  agent.destroy();
  await t.close();
});

/** The generator: every choice comes from `random`, so a failure replays from the seed. */
function makeShots(random: () => number): () => Shot {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const int = (n: number): number => Math.floor(random() * n);
  const digits = (n: number): string => Array.from({ length: n }, () => String(int(10))).join('');
  const junk = (n: number): string => Array.from({ length: n }, () => String.fromCharCode(int(256))).join('');
  // Alternatives are thunks: only the one picked is built.
  const one = <T>(...choices: (() => T)[]): T => choices[int(choices.length)]!();
  const number = (): string =>
    one(
      () => digits(1 + int(12)),
      () => `-${digits(3)}.${digits(4)}`,
      () => `${digits(2)}e${digits(2)}`,
      () => digits(200 + int(4000)),
      () => `${digits(50)}x`,
      () => pick(['NaN', 'Infinity', '1e999', '0x1f', '', ' ', 'true', 'null', '١٢٣']),
    );
  const time = (): string =>
    one(
      () => String(1_400_000_000 + int(1e6)),
      () => `${1_400_000_000 + int(1e6)}.${digits(1 + int(9))}`,
      () => pick(['2014-05-13T16:53:20Z', '2014-13-45T99:99:99Z', '-1', '1e12', '']),
      () => digits(400 + int(3000)),
      number,
    );
  const csvLine = (): string =>
    one(
      () => `${1_400_000_000 + int(1e6)},${int(1000) / 100}`,
      () => `${1_400_000_000 + int(1e6)},${int(1000) / 100}`,
      () => `${time()},${number()}`,
      () => time(),
      () => `${time()},${number()},${number()}`,
      () => `"${time()}","${number()}"`,
      () => `${time()};${number()}`,
      () => junk(int(40)),
    );
  const mutate = (text: string): string => {
    // Half the bodies go as generated, so valid writes are in the mix too.
    if (random() < 0.5) return text;
    let s = text;
    for (let k = int(4); k > 0; k--) {
      const at = int(s.length + 1);
      s = one(
        () => s.slice(0, at) + junk(1 + int(8)) + s.slice(at),
        () => s.slice(0, at) + s.slice(at + 1 + int(8)),
        () => s.slice(0, at) + pick(['\r', '\n', ',', '"', '\0', '%', '&', '=', '\r\n\r\n', '--']) + s.slice(at),
        () => s.replace(/\n/g, ''),
        () => s + digits(int(2000)),
      );
    }
    return s;
  };
  const csv = (): string => mutate(Array.from({ length: 1 + int(20) }, csvLine).join(pick(['\n', '\r\n', '\r'])) + pick(['\n', '']));
  const form = (): string => {
    const fields = [
      one(
        () => `value=${number()}`,
        () => `increment=${number()}`,
        () => `value=${number()}&increment=${number()}`,
        () => `title=${junk(5)}&caption=x`,
        () => 'title=T&caption=C&public=maybe',
        () => junk(20),
      ),
    ];
    if (random() < 0.3) fields.push(`tags=${encodeURIComponent(junk(10))}`);
    return mutate(fields.join('&'));
  };
  const multipart = (boundary: string): string => {
    const parts = [`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nT\r\n`, `--${boundary}\r\nContent-Disposition: form-data; name="caption"\r\n\r\nC\r\n`];
    if (random() < 0.7) parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="csv"; filename="d.csv"\r\nContent-Type: text/csv\r\n\r\n${csv()}\r\n`);
    if (random() < 0.3) parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="value"\r\n\r\n${number()}\r\n`);
    return mutate(`${parts.join('')}--${boundary}--\r\n`);
  };
  const auth = (): Record<string, string> =>
    pick([
      { authorization: mallory.basic },
      { authorization: mallory.basic },
      { authorization: mallory.basic },
      { authorization: mallory.basic },
      { authorization: mallory.basic },
      { authorization: mallory.basic },
      {},
      { authorization: `Basic ${Buffer.from(`${mallory.key}:wrong`).toString('base64')}` },
      { authorization: `Basic ${junk(30)}`.replace(/[^\t\x20-\x7e]/g, 'A') },
      { authorization: 'OAuth oauth_consumer_key="x"' },
      { authorization: `OAuth a=${' '.repeat(int(5000))}x"` },
      { authorization: alice.basic.slice(0, -2) },
    ]);
  return () => {
    const method = pick(['POST', 'POST', 'PUT', 'DELETE'] as const);
    // DELETE goes only where it must be refused: the fuzzer's own series has to stay to be written to.
    const path = method === 'DELETE' ? pick([`/series/${pristine}/`, `/series/${junk(22)}/`.replace(/[^A-Za-z0-9/_-]/g, 'a')]) : pick([`/series/${target}/`, `/series/${target}/`, `/series/${target}/`, `/series/${target}`, `/series/${pristine}/`, '/create/', `/create/?title=T&caption=${junk(3)}`.replace(/[^\x21-\x7e]/g, '_'), `/series/${junk(22)}/`.replace(/[^A-Za-z0-9/_-]/g, 'a')]);
    const boundary = `b${digits(8)}`;
    const shape = int(5);
    const [type, text] =
      shape === 0 ? [pick(['text/csv', 'text/plain', 'application/csv', 'application/octet-stream']), csv()]
      : shape === 1 ? ['application/x-www-form-urlencoded', form()]
      : shape === 2 ? [pick([`multipart/form-data; boundary=${boundary}`, 'multipart/form-data', `multipart/form-data; boundary="${boundary}"`, `multipart/form-data; boundary=${'x'.repeat(100)}`]), multipart(boundary)]
      : shape === 3 ? [pick(['application/json', 'text/html', junk(10).replace(/[^\x21-\x7e]/g, 'x'), 'text/csv; charset=latin1']), junk(int(3000))]
      : ['text/csv', ''];
    const body = Buffer.from(text, random() < 0.5 ? 'latin1' : 'utf8');
    return { method, path, headers: { ...auth(), 'content-type': type, 'content-length': String(body.length) }, body };
  };
}

function send(shot: Shot): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(`${t.url}${shot.path}`, { method: shot.method, headers: shot.headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, shot }));
      res.on('error', reject);
    });
    // The server may answer (401, 400, 413) and close before the whole body is out.
    req.on('error', (err: NodeJS.ErrnoException) => reject(Object.assign(err, { shot })));
    req.end(shot.body);
  });
}

describe('fuzzing the write endpoints', () => {
  it(`answers ${REQUESTS.toLocaleString('en')} seeded random and mutated writes without a 5xx or a slow answer, and loses nothing`, async (ctx) => {
    const next = makeShots(seededRandom(SEED));
    const shots = Array.from({ length: REQUESTS }, next);
    const answers: Answer[] = [];
    const failures: string[] = [];
    const started = performance.now();
    let cursor = 0;
    const worker = async (): Promise<void> => {
      while (cursor < shots.length && performance.now() - started < DEADLINE_MS) {
        const shot = shots[cursor++]!;
        try {
          answers.push(await send(shot));
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          // An early answer the client could not read past its own write is not a server fault; a
          // connection the server dropped without answering is.
          failures.push(`${code ?? String(err)} on ${shot.method} ${shot.path} (${shot.headers['content-type']}, ${shot.body.length} bytes)`);
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const elapsed = performance.now() - started;
    const byStatus = new Map<number, number>();
    for (const a of answers) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
    const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
    ctx.diagnostic(`${answers.length} answers in ${(elapsed / 1000).toFixed(1)} s; statuses ${[...byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')}; median ${ms[ms.length >> 1]?.toFixed(1)} ms, max ${ms[ms.length - 1]?.toFixed(0)} ms; ${failures.length} transport errors`);

    assert.equal(answers.length + failures.length, REQUESTS, `only ${answers.length + failures.length} requests sent within ${DEADLINE_MS / 1000} s`);
    const fiveHundreds = answers.filter((a) => a.status >= 500);
    assert.deepEqual(fiveHundreds.slice(0, 5).map((a) => `${a.status} ${a.shot.method} ${a.shot.path} ${a.shot.headers['content-type']} ${JSON.stringify(a.shot.body.toString('latin1').slice(0, 400))}`), []);
    const slow = answers.filter((a) => a.ms > SLOW_MS);
    assert.deepEqual(slow.slice(0, 5).map((a) => `${a.ms.toFixed(0)} ms ${a.shot.method} ${a.shot.path} ${a.shot.headers['content-type']}`), []);
    // A server that answered early may reset a connection while the client still writes; allow
    // a handful, never a pattern.
    assert.ok(failures.length <= REQUESTS / 1000, `transport errors: ${failures.slice(0, 5).join('; ')}`);
    assert.ok(byStatus.get(204) !== undefined && byStatus.get(400) !== undefined && byStatus.get(401) !== undefined, 'the generator reaches accepted writes, bad input and refused credentials');

    const home = await fetch(`${t.url}/`);
    assert.equal(home.status, 200, 'the server keeps answering');
    assert.equal(await readCsv(t.url, pristine, alice.basic), pristineCsv, "another user's series is unchanged");
    const r = await fetch(`${t.url}/series/${target}/`, { method: 'PUT', headers: { ...CSV, authorization: mallory.basic }, body: '1,2\n' });
    assert.equal(r.status, 204, 'the fuzzed series still takes a valid write');
    assert.equal(await readCsv(t.url, target, mallory.basic), '1,2\n');
  });
});
