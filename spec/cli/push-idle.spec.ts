// `timetric push` from a pipe that stays open (a sensor: `sensor | timetric push ID`): what it has
// read is written once the input has been quiet for PUSH_IDLE_FLUSH_MS, not when the pipe closes.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, it } from 'node:test';
import { firstValueFrom, toArray } from 'rxjs';
import { TimetricClient } from '../../src/index.js';
import type { CliIo } from '../../src/cli/Command.js';
import { PUSH_IDLE_FLUSH_MS, streamPoints } from '../../src/cli/streamPoints.js';
import { startServer, type TestServer } from '../helpers/startServer.js';

let server: TestServer;
let client: TimetricClient;

before(async () => {
  server = await startServer();
  const user = await server.user();
  client = new TimetricClient({ authtype: 'apitoken', apitoken_key: user.key, apitoken_secret: user.secret }, { baseUrl: server.url });
});
after(() => server.close());

/** Resolves once the series holds `count` points; fails after `deadlineMs`. */
async function whenStored(id: string, count: number, deadlineMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const points = await firstValueFrom(client.series(id).values$.pipe(toArray()));
    if (points.length >= count) return Date.now() - started;
    if (Date.now() - started > deadlineMs) assert.fail(`the series held ${points.length} of ${count} points after ${deadlineMs} ms, the pipe still open`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

it('writes the readings of a pipe that stays open, each batch once the input is quiet, and the rest at its end', async () => {
  const series = await client.createSeries({ title: 'Sensor', caption: '°C' });
  const stdin = new PassThrough();
  const io = { stdin, out: () => undefined, err: () => undefined, drained: () => Promise.resolve(), outClosed: new AbortController().signal } as unknown as CliIo;
  const pushed = streamPoints(client.series(series.id), '-', io);
  stdin.write('21.5\n');
  stdin.write('1700000000,3\n');
  const firstMs = await whenStored(series.id, 2, 5_000);
  stdin.write('22\n');
  await whenStored(series.id, 3, 5_000);
  stdin.end('23\n');
  assert.equal(await pushed, 4);
  const values = (await firstValueFrom(client.series(series.id).values$.pipe(toArray()))).map(([, v]) => v);
  assert.deepEqual(values.sort(), [21.5, 22, 23, 3].sort());
  process.stderr.write(`# first readings stored ${firstMs} ms after they were piped (idle flush after ${PUSH_IDLE_FLUSH_MS} ms)\n`);
});
