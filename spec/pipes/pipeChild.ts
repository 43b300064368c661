// The sensor pipe of the soak (spec/pipes/soak.spec.ts, bench/pipes.ts), in its own process so it
// can be SIGKILLed: 1,000 points a second through a journaled writeTo and 1 increment a second
// through a journaled incrementTo, each with its own journal directory. It reports on stdout,
// with synchronous writes so a line is out before anything after it happens:
//   R key amount          an increment window an earlier run left in the journal (accepted)
//   I key amount          an increment window appended to the journal (accepted)
//   P first last count    a batch of points appended to the journal (accepted)
//   READY / DONE
// SIGTERM ends the sources; the process exits once everything is acknowledged.
// Usage: tsx spec/pipes/pipeChild.ts URL SERIES_ID COUNTER_ID POINTS_DIR COUNTS_DIR
import { writeSync } from 'node:fs';
import { Subject, lastValueFrom, merge } from 'rxjs';
import { TimetricClient } from '../../src/index.js';
import { FileJournal } from '../../src/node/FileJournal.js';
import { incrementTo, writeTo } from '../../src/node/index.js';

const [url, seriesId, counterId, pointsDir, countsDir] = process.argv.slice(2) as [string, string, string, string, string];
const say = (line: string): void => void writeSync(1, `${line}\n`);
const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: 'crash-key', apitoken_secret: 'crash-secret' }, { baseUrl: url, timeoutMs: 3_000 });
const retry = { retryBaseMs: 50, maxBackoffMs: 1_000 };

// Windows an earlier run accepted but may not have reported: listed before the sink resends them.
const look = new FileJournal(countsDir);
for (const p of await look.open()) {
  const r = await look.read(p.seq);
  if (r.kind === 'increment') say(`R ${r.key} ${r.amount}`);
}
await look.close();

const points = new Subject<readonly [number, number]>();
const clicks = new Subject<number>();
const writing = points.pipe(
  writeTo(client.series(seriesId), { journal: pointsDir, windowMs: 200, maxBatchPoints: 1_000, ...retry, onJournaled: (b) => say(`P ${b.firstTime} ${b.lastTime} ${b.points}`) }),
);
const counting = clicks.pipe(incrementTo(client.series(counterId), { journal: countsDir, windowMs: 1_000, ...retry, onJournaled: (w) => say(`I ${w.key} ${w.amount}`) }));
const done = lastValueFrom(merge(writing, counting), { defaultValue: undefined });

// Times in whole milliseconds, strictly increasing, stamped from the clock (so a restart continues after the last run).
let last = 0;
const tick = setInterval(() => {
  for (let i = 0; i < 10; i++) {
    last = Math.max(last + 1, Date.now());
    points.next([last / 1000, last % 100_000]);
  }
}, 10);
const click = setInterval(() => clicks.next(1), 1_000);
process.once('SIGTERM', () => {
  clearInterval(tick);
  clearInterval(click);
  points.complete();
  clicks.complete();
});
say('READY');
await done;
say('DONE');
process.exit(0);
