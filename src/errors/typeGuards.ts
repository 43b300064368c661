import { AuthenticationError } from './AuthenticationError.js';
import { ConfigurationError } from './ConfigurationError.js';
import { CrossOriginLinkError } from './CrossOriginLinkError.js';
import { HttpError } from './HttpError.js';
import { NetworkError } from './NetworkError.js';
import { NotFoundError } from './NotFoundError.js';
import { OutcomeUnknownError } from './OutcomeUnknownError.js';
import { ParseError } from './ParseError.js';
import { PushUnavailableError } from './PushUnavailableError.js';
import { TimeoutError } from './TimeoutError.js';
import { TimetricError } from './TimetricError.js';
import { WriteFailedError } from './WriteFailedError.js';

// Every name a TimetricError of this package can carry, by family (a subclass counts as its base).
const HTTP = ['HttpError', 'AuthenticationError', 'NotFoundError'];
const ALL = [...HTTP, 'TimetricError', 'ConfigurationError', 'CrossOriginLinkError', 'NetworkError', 'OutcomeUnknownError', 'ParseError', 'PushUnavailableError', 'TimeoutError', 'WriteFailedError', 'JournalLockedError'];

/**
 * A guard that accepts an instance of `cls`, or, across realms (another copy of this package, an
 * iframe, the CommonJS and ESM builds side by side, where `instanceof` fails), an error-like object
 * whose `name` is one of `names` and that has the fields `fields` name.
 */
function guard<T>(cls: abstract new (...args: never[]) => T, names: readonly string[], fields: readonly string[] = []): (err: unknown) => err is T {
  return (err: unknown): err is T => {
    if (err instanceof cls) return true;
    if (typeof err !== 'object' || err === null) return false;
    const e = err as Record<string, unknown>;
    return typeof e.name === 'string' && names.includes(e.name) && typeof e.message === 'string' && fields.every((f) => f in e);
  };
}

/**
 * Type guards for this package's errors, in the manner of ky's `isHTTPError`: each is true for an
 * instance of the class (or a subclass) and, since `instanceof` fails across realms and between two
 * copies of the package, for an error whose `name` says it is one and that has the class's fields.
 *
 * @example
 * ```ts
 * import { isHttpError, isTimeoutError } from 'timetric';
 * try { await lastValueFrom(series.latest()); }
 * catch (err) { if (isHttpError(err) && err.status === 404) console.log('gone'); else if (isTimeoutError(err)) retryLater(); else throw err; }
 * ```
 */
export const isTimetricError = /* @__PURE__ */ guard(TimetricError, ALL);
/** True for an {@link HttpError}, {@link AuthenticationError} or {@link NotFoundError}: the server answered with a failure status. See {@link isTimetricError}. */
export const isHttpError = /* @__PURE__ */ guard(HttpError, HTTP, ['status', 'method', 'url']);
/** True for an {@link AuthenticationError} (401/403). See {@link isTimetricError}. */
export const isAuthenticationError = /* @__PURE__ */ guard(AuthenticationError, ['AuthenticationError'], ['status']);
/** True for a {@link NotFoundError} (404). See {@link isTimetricError}. */
export const isNotFoundError = /* @__PURE__ */ guard(NotFoundError, ['NotFoundError'], ['status']);
/** True for a {@link TimeoutError}. See {@link isTimetricError}. */
export const isTimeoutError = /* @__PURE__ */ guard(TimeoutError, ['TimeoutError'], ['timeoutMs']);
/** True for a {@link NetworkError}: no HTTP answer. See {@link isTimetricError}. */
export const isNetworkError = /* @__PURE__ */ guard(NetworkError, ['NetworkError'], ['method', 'url']);
/** True for a {@link ParseError}. See {@link isTimetricError}. */
export const isParseError = /* @__PURE__ */ guard(ParseError, ['ParseError']);
/** True for a {@link ConfigurationError}. See {@link isTimetricError}. */
export const isConfigurationError = /* @__PURE__ */ guard(ConfigurationError, ['ConfigurationError']);
/** True for a {@link WriteFailedError} (a sink gave up; it carries the unwritten points). See {@link isTimetricError}. */
export const isWriteFailedError = /* @__PURE__ */ guard(WriteFailedError, ['WriteFailedError'], ['points']);
/** True for an {@link OutcomeUnknownError} (an increment that may or may not have been applied). See {@link isTimetricError}. */
export const isOutcomeUnknownError = /* @__PURE__ */ guard(OutcomeUnknownError, ['OutcomeUnknownError'], ['amount']);
/** True for a {@link PushUnavailableError} (the server has no push endpoint). See {@link isTimetricError}. */
export const isPushUnavailableError = /* @__PURE__ */ guard(PushUnavailableError, ['PushUnavailableError']);
/** True for a {@link CrossOriginLinkError}. See {@link isTimetricError}. */
export const isCrossOriginLinkError = /* @__PURE__ */ guard(CrossOriginLinkError, ['CrossOriginLinkError']);
