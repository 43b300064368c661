import type { ServerResponse } from 'node:http';
import type { Authenticator, Principal } from '../auth/Authenticator.js';

interface Kept {
  res: ServerResponse;
  who: Principal | null;
}

/**
 * Keeps the open event streams of a server alive and honest with ONE timer for all of them: a
 * `: heartbeat` comment every `heartbeatMs`, and twice per heartbeat the credentials that opened
 * the streams re-checked ({@link Authenticator.stillValid}: one store lookup per distinct
 * credential, never one per stream). A stream whose credentials no longer hold (API token
 * revoked, OAuth grant withdrawn) is ended, so it stops within one heartbeat of the revocation.
 *
 * Why re-check instead of a revocation signal: tokens are revoked by `timetric token revoke` in
 * another process (on SQLite no in-process event can reach the server) or through any instance
 * of a PostgreSQL deployment; reading the shared database reaches every instance the same way,
 * with no new channel, and costs at most two lookups per distinct credential per heartbeat.
 * A round still running when the next tick comes is not doubled.
 */
export class EventStreamKeeper {
  private readonly kept = new Set<Kept>();
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private checking = false;

  constructor(
    private readonly heartbeatMs: number,
    private readonly authenticator: Pick<Authenticator, 'stillValid'>,
  ) {}

  /** Looks after `res`, opened by `who` (null: anonymous, nothing to re-check). Returns the release. */
  keep(res: ServerResponse, who: Principal | null): () => void {
    const entry: Kept = { res, who };
    this.kept.add(entry);
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), Math.max(1, this.heartbeatMs / 2));
      this.timer.unref();
    }
    return () => {
      this.kept.delete(entry);
      if (this.kept.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  private tick(): void {
    if (++this.ticks % 2 === 0) {
      for (const { res } of this.kept) {
        // A reader that stopped reading gets no more heartbeats piled up in its buffer.
        if (!res.writableEnded && !res.writableNeedDrain) res.write(': heartbeat\n\n');
      }
    }
    void this.check();
  }

  private async check(): Promise<void> {
    const stillValid = this.authenticator.stillValid?.bind(this.authenticator);
    if (!stillValid || this.checking) return;
    const signedIn = [...this.kept].filter((k): k is Kept & { who: Principal } => k.who !== null);
    if (signedIn.length === 0) return;
    this.checking = true;
    try {
      const valid = await stillValid(signedIn.map((k) => k.who));
      signedIn.forEach((k, i) => {
        if (valid[i] === false && !k.res.writableEnded) k.res.end(': the credentials of this stream were revoked\n\n');
      });
    } catch {
      // Asked again at the next tick.
    } finally {
      this.checking = false;
    }
  }
}
