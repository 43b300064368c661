import { defaultIfEmpty, defer, filter, firstValueFrom, fromEvent, race, retry, switchMap, throwError, timer } from 'rxjs';
import type { TimetricClient } from '../../index.js';
import { isRetryable } from '../../streams/isRetryable.js';
import { retryDelay } from '../../streams/retry/retryDelay.js';

/** Options of {@link SeriesResolver}. */
export interface SeriesResolverOptions {
  /** Only this user's series count as found (their user name); default: any series the token can read. */
  owner?: string | undefined;
  /** Tags given to the series it creates. Default `['mqtt']`. */
  tags?: readonly string[];
  /** First retry delay while the server is unreachable, ms (doubles, with jitter). Default 500. */
  retryBaseMs?: number;
  /** Longest delay between retries, ms. Default 30,000. */
  maxBackoffMs?: number;
}

/**
 * Finds the series a title names (the first series with exactly this title, through the search
 * endpoint), or creates it (title, the title again as caption, tag `mqtt`, private). One lookup per
 * title at a time, remembered once it succeeded. While the server is unreachable or busy (network
 * errors, 408, 429, 502, 503, 504) it retries with backoff on the client's scheduler, until
 * `signal` aborts; any other failure rejects and is forgotten, so a later message tries again.
 */
export class SeriesResolver {
  private readonly known = new Map<string, Promise<string>>();
  /** Series created so far. */
  created = 0;

  constructor(
    private readonly client: TimetricClient,
    private readonly signal: AbortSignal,
    private readonly options: SeriesResolverOptions = {},
  ) {}

  /** The id of the series titled `title`, found or created. */
  resolve(title: string): Promise<string> {
    let id = this.known.get(title);
    if (!id) {
      id = this.withRetry(() => this.findOrCreate(title));
      this.known.set(title, id);
      id.catch(() => this.known.delete(title));
    }
    return id;
  }

  /** Forgets a title (its series was deleted, say): the next `resolve` looks it up again. */
  forget(title: string): void {
    this.known.delete(title);
  }

  private async findOrCreate(title: string): Promise<string> {
    // The search matches q as a substring (at most 200 characters on our server); the title is then compared whole.
    const found = await firstValueFrom(
      this.client.search({ q: title.slice(0, 200), user: this.options.owner }).pipe(
        filter((s) => s.title === title),
        defaultIfEmpty(undefined),
      ),
    );
    if (found) return found.id;
    const series = await this.client.createSeries({ title, caption: title, tags: [...(this.options.tags ?? ['mqtt'])] });
    this.created++;
    return series.id;
  }

  /** `run` again after each retryable failure, waiting {@link retryDelay} on the client's scheduler; an abort ends the wait with the last error. */
  private withRetry<T>(run: () => Promise<T>): Promise<T> {
    const { scheduler } = this.client;
    const policy = { retryBaseMs: this.options.retryBaseMs ?? 500, maxBackoffMs: this.options.maxBackoffMs ?? 30_000, random: Math.random };
    const aborted$ = fromEvent(this.signal, 'abort');
    return firstValueFrom(
      defer(run).pipe(
        retry({
          delay: (err: unknown, attempt) =>
            !isRetryable(err) || this.signal.aborted
              ? throwError(() => err)
              : race(timer(retryDelay(err, attempt, policy, scheduler.now()), scheduler), aborted$.pipe(switchMap(() => throwError(() => err)))),
        }),
      ),
    );
  }
}
