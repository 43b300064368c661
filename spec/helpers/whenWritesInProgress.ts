// Waits until the server holds at least `n` write slots. A write takes its slot only once its
// credentials have checked out, which on PostgreSQL may take longer than a read sent after it, so
// a spec that needs a write "in progress" waits for it instead of guessing.
import type { TimetricServer } from '../../src/server/createTimetricServer.js';

export async function whenWritesInProgress(server: TimetricServer, n = 1, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (server.writesInProgress < n) {
    if (performance.now() > deadline) throw new Error(`${server.writesInProgress} writes in progress after ${timeoutMs} ms, expected ${n}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
