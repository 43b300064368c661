import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Observable } from 'rxjs';
import type { Point } from '../codec/Point.js';
import { NotFoundError } from '../errors/NotFoundError.js';
import { ParseError } from '../errors/ParseError.js';
import { PushUnavailableError } from '../errors/PushUnavailableError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import { idleWatchdog, type IdleWatchdog } from './idleWatchdog.js';
import { latestPoint } from './latestPoint.js';
import { readBodyText } from './readBodyText.js';
import type { ClientContext } from './ClientContext.js';

function pointOf(message: EventSourceMessage): Point | null {
  let body: unknown;
  try {
    body = JSON.parse(message.data);
  } catch (cause) {
    throw new ParseError(`event data is not JSON: ${message.data.slice(0, 200)}`, { text: message.data, cause });
  }
  return latestPoint(body);
}

/**
 * One connection to a series' `value/events/` stream (Server-Sent Events, sent with the client's
 * credentials, which `EventSource` cannot do): emits the current point first, then one per change;
 * completes when the server ends the stream. Errors with {@link PushUnavailableError} when the
 * answer is not an event stream, {@link NotFoundError} when the series is deleted, and
 * {@link TimeoutError} when nothing (not even a heartbeat comment) arrives for `idleMs`: a
 * connection that went quiet without closing, and {@link ParseError} as soon as an event or a line
 * outgrows `maxEventChars` (the client's `maxPushEventChars`) (not retryable, so `liveLatest` ends the stream rather
 * than reconnect into it). Unsubscribing closes the connection.
 *
 * @param client - The request layer and base URL.
 * @param path - The series path, e.g. `/series/ID/`.
 * @param idleMs - Longest silence before the connection is dropped, ms.
 * @param maxEventChars - Longest unfinished event or line held, characters.
 */
export function latestEvents(client: ClientContext, path: string, idleMs: number, maxEventChars: number): Observable<Point | null> {
  const eventsPath = `${path}value/events/`;
  const shown = `${client.baseUrl}${eventsPath}`;
  return new Observable<Point | null>((subscriber) => {
    const controller = new AbortController();
    let watchdog: IdleWatchdog | undefined;
    const run = async (): Promise<void> => {
      const r = await client.request({
        method: 'GET',
        path: eventsPath,
        headers: { accept: 'text/event-stream', 'cache-control': 'no-cache' },
        signal: controller.signal,
      });
      const type = r.headers.get('content-type') ?? '';
      if (!/^text\/event-stream/i.test(type)) {
        controller.abort();
        throw new PushUnavailableError(shown, type);
      }
      let lastText = '';
      const parser = createParser({
        // Without a cap the parser buffers a line that never ends for ever (3.1 GB in 28 s).
        maxBufferSize: maxEventChars,
        onError: (err) => {
          // Unknown fields and bad retry values are ignored, as EventSource does.
          if (err.type !== 'max-buffer-size-exceeded') return;
          throw new ParseError(
            `GET ${shown} sent an event or line longer than ${maxEventChars.toLocaleString('en')} characters (maxPushEventChars) without finishing it: not read further; raise maxPushEventChars if the server's events really are that large`,
            { text: lastText },
          );
        },
        onEvent: (message) => {
          if (message.event === 'deleted') {
            throw new NotFoundError({ method: 'GET', url: shown, status: 404, body: 'the series was deleted' });
          }
          if (message.event === undefined || message.event === 'message') subscriber.next(pointOf(message));
        },
      });
      watchdog = idleWatchdog(idleMs, client.scheduler, () => controller.abort());
      await readBodyText(
        r,
        (text) => {
          watchdog?.touch();
          lastText = text;
          parser.feed(text);
        },
        controller.signal,
      );
    };
    run().then(
      () => subscriber.complete(),
      (err: unknown) => {
        if (watchdog?.fired) subscriber.error(new TimeoutError('GET', shown, idleMs));
        else if (!controller.signal.aborted || err instanceof PushUnavailableError) subscriber.error(err);
      },
    ).finally(() => watchdog?.stop());
    return () => {
      watchdog?.stop();
      controller.abort();
    };
  });
}
