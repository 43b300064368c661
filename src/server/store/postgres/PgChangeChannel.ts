import { randomBytes } from 'node:crypto';
import type { Client, ClientConfig } from 'pg';

/** The NOTIFY channel of series changes. Payload: `<instance id> <series id>`. */
export const CHANGE_CHANNEL = 'timetric_changes';

/** Options of {@link PgChangeChannel}. */
export interface PgChangeChannelOptions {
  /** First reconnection delay after the listening connection is lost, in ms (default 100, doubling). */
  reconnectMinMs?: number;
  /** Longest reconnection delay, in ms (default 5,000). */
  reconnectMaxMs?: number;
}

/**
 * Cross-instance change notifications. Writers call `pg_notify(CHANGE_CHANNEL, payloadFor(id))`
 * inside their transaction (PostgreSQL delivers it at commit, never for a rollback) and then
 * {@link emitLocal} after commit. One dedicated connection (outside the pool) LISTENs and hands
 * other instances' notifications to the listeners; this instance's own come back too and are
 * skipped, since they were already emitted locally.
 *
 * The listening connection reconnects with backoff when lost. Changes committed while it was
 * down are not replayed (NOTIFY is not queued for absent listeners): a subscriber may then miss
 * an update until the next change of that series.
 */
export class PgChangeChannel {
  /** Random id of this store instance, to recognise its own notifications. */
  readonly instanceId = randomBytes(6).toString('base64url');
  private readonly listeners = new Set<(seriesId: string) => void>();
  private client: Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private delay: number;
  private closed = false;

  constructor(
    private readonly config: ClientConfig,
    private readonly ClientClass: typeof Client,
    private readonly options: PgChangeChannelOptions = {},
  ) {
    this.delay = options.reconnectMinMs ?? 100;
  }

  /** Connects and LISTENs; resolves once notifications are being received. */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new this.ClientClass(this.config);
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (msg) => {
      if (msg.channel !== CHANGE_CHANNEL || !msg.payload) return;
      const space = msg.payload.indexOf(' ');
      if (space < 0 || msg.payload.slice(0, space) === this.instanceId) return;
      this.emitLocal(msg.payload.slice(space + 1));
    });
    await client.connect();
    await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
    this.delay = this.options.reconnectMinMs ?? 100;
  }

  private lost(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    this.schedule();
  }

  private schedule(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connect().catch(() => {
        this.delay = Math.min(this.delay * 2, this.options.reconnectMaxMs ?? 5_000);
        this.schedule();
      });
    }, this.delay);
    this.timer.unref();
  }

  /** The NOTIFY payload announcing a change of `seriesId` by this instance. */
  payloadFor(seriesId: string): string {
    return `${this.instanceId} ${seriesId}`;
  }

  /** Tells this instance's listeners about a committed change. */
  emitLocal(seriesId: string): void {
    for (const listener of this.listeners) {
      try {
        listener(seriesId);
      } catch {
        // A failing listener must not break the write that already committed.
      }
    }
  }

  subscribe(listener: (seriesId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const client = this.client;
    this.client = undefined;
    this.listeners.clear();
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}
