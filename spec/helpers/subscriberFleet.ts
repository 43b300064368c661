// Many event-stream subscribers in a child process of their own (see subscriberFleetChild.mjs):
// what they cost the server is measured without their parsing running on the server's loop.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface SubscriberFleet {
  /** Resolves with every stream's values once each stream has received an event with `value`. */
  seen(value: unknown, ms?: number): Promise<unknown[][]>;
  close(): void;
}

type Message = { type: 'open' } | { type: 'error'; message: string } | { type: 'seen'; value: unknown; values: unknown[][] };

/** Opens `count` streams on `url` (each its own socket); resolves once all answered 200. */
export function openSubscriberFleet(url: string, count: number): Promise<SubscriberFleet> {
  const child: ChildProcess = fork(join(import.meta.dirname, 'subscriberFleetChild.mjs'), [url, String(count)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (ms: number, what: string): Promise<Message> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.off('message', on);
        reject(new Error(`subscriber fleet: timed out after ${ms} ms waiting for ${what}`));
      }, ms);
      const on = (m: Message): void => {
        clearTimeout(timer);
        child.off('message', on);
        if (m.type === 'error') reject(new Error(`subscriber fleet: ${m.message}`));
        else resolve(m);
      };
      child.on('message', on);
    });
  const fleet: SubscriberFleet = {
    async seen(value, ms = 30_000) {
      const answer = next(ms, `every stream to see ${JSON.stringify(value)}`);
      child.send({ type: 'wait', value });
      const m = await answer;
      if (m.type !== 'seen') throw new Error(`subscriber fleet: unexpected ${m.type}`);
      return m.values;
    },
    close() {
      child.kill();
    },
  };
  return next(60_000, `${count} streams to open`).then(
    () => fleet,
    (err: unknown) => {
      child.kill();
      throw err;
    },
  );
}
