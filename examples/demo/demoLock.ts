// One demo per data folder: `npm start` takes <dir>/demo.lock (its pid, URL and start time) and
// removes it when it stops. A lock whose process is gone (the demo was killed) is stale and is
// taken over; a live one is refused with a message naming it. The examples read it to tell
// whether the demo is running.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the lock file holds. */
export interface DemoLock {
  pid: number;
  url?: string;
  startedAt: string;
}

/** Whether process `pid` is alive (EPERM: alive, but another user's). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock of a running demo in `dir`, or undefined when there is none or it is stale. */
export function runningDemo(dir: string): DemoLock | undefined {
  let lock: DemoLock;
  try {
    lock = JSON.parse(readFileSync(join(dir, 'demo.lock'), 'utf8')) as DemoLock;
  } catch {
    return undefined; // none, or half-written by a demo killed while writing it
  }
  return Number.isSafeInteger(lock.pid) && lock.pid > 0 && lock.pid !== process.pid && alive(lock.pid) ? lock : undefined;
}

/**
 * Takes the lock of `dir` for this process, or throws an Error naming the demo that holds it.
 * Returns `update(url)` (records the URL once listening) and `release()`.
 */
export function takeDemoLock(dir: string): { update(url: string): void; release(): void } {
  const file = join(dir, 'demo.lock');
  const startedAt = new Date().toISOString();
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, startedAt }), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const other = runningDemo(dir);
      if (other) {
        throw new Error(
          `a demo is already running on ${dir}/ (pid ${other.pid}${other.url ? `, ${other.url}` : ''}, since ${other.startedAt}): stop it first (Ctrl-C in its terminal, or kill ${other.pid}), or give this one another folder with TIMETRIC_DEMO_DIR`,
        );
      }
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  return {
    update(url) {
      writeFileSync(file, JSON.stringify({ pid: process.pid, url, startedAt }));
    },
    release() {
      try {
        if ((JSON.parse(readFileSync(file, 'utf8')) as DemoLock).pid === process.pid) rmSync(file, { force: true });
      } catch {
        // already gone
      }
    },
  };
}
