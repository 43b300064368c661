import type { LatestWithVersion, SeriesStore } from '../store/Store.js';

/** What a subscriber is handed after a change: the new state, `'deleted'`, or `'failed'` (the read threw). */
type Snapshot = LatestWithVersion | 'deleted' | 'failed';

interface Hub {
  subscribers: Set<(snapshot: Snapshot) => void>;
  reading: boolean;
  again: boolean;
}

/**
 * Subscribers handed a snapshot per turn of the event loop (~1–3 ms of socket writes here), so
 * other requests, and the answer of the write itself, never wait for a long fan-out: with 1,000
 * subscribers and 256 a turn, a client on the same loop saw the write's answer 8–27 ms late; 32, ~2 ms.
 */
const SLICE = 32;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The latest point of each watched series, read ONCE per change and handed to every subscriber
 * of that series (one hub per series; the hub goes when its last subscriber does). Reads never
 * run inside the writer's commit: a change schedules the read on a later turn of the event
 * loop, so the write is answered first, and a burst of changes while a read is running gives
 * one more read after it, never one per change. The read loads no metadata
 * (Store.latestWithVersion), so its cost does not depend on the size of the series' fields.
 *
 * @example
 * ```ts
 * const fanout = new LatestFanout(store);
 * const stop = fanout.subscribe(id, (s) => console.log(s === 'deleted' ? 'gone' : s));
 * ```
 */
export class LatestFanout {
  private readonly hubs = new Map<string, Hub>();
  private stopListening: (() => void) | undefined;

  constructor(private readonly store: Pick<SeriesStore, 'onChange' | 'latestWithVersion'>) {}

  /**
   * Calls `deliver` after every change of `seriesId` (writes, deletion) with the state read
   * after it. Returns the unsubscribe.
   */
  subscribe(seriesId: string, deliver: (snapshot: Snapshot) => void): () => void {
    let hub = this.hubs.get(seriesId);
    if (!hub) {
      hub = { subscribers: new Set(), reading: false, again: false };
      this.hubs.set(seriesId, hub);
    }
    // One store listener for all hubs: a change costs a map lookup, not a call per subscriber.
    this.stopListening ??= this.store.onChange((id) => this.changed(id));
    const mine = hub;
    mine.subscribers.add(deliver);
    return () => {
      mine.subscribers.delete(deliver);
      if (mine.subscribers.size > 0 || this.hubs.get(seriesId) !== mine) return;
      this.hubs.delete(seriesId);
      if (this.hubs.size === 0) {
        this.stopListening?.();
        this.stopListening = undefined;
      }
    };
  }

  private changed(seriesId: string): void {
    const hub = this.hubs.get(seriesId);
    if (!hub) return;
    if (hub.reading) {
      hub.again = true;
      return;
    }
    hub.reading = true;
    // SQLite calls listeners synchronously inside the write: read after the write has answered.
    setImmediate(() => void this.read(seriesId, hub));
  }

  private async read(seriesId: string, hub: Hub): Promise<void> {
    try {
      do {
        hub.again = false;
        let snapshot: Snapshot;
        try {
          snapshot = (await this.store.latestWithVersion(seriesId)) ?? 'deleted';
        } catch {
          snapshot = 'failed';
        }
        const subscribers = [...hub.subscribers];
        for (let i = 0; i < subscribers.length; i++) {
          if (i > 0 && i % SLICE === 0) await nextTurn();
          try {
            subscribers[i]!(snapshot);
          } catch {
            // One broken subscriber must not starve the others.
          }
        }
      } while (hub.again && hub.subscribers.size > 0);
    } finally {
      hub.reading = false;
    }
  }
}
