// The error type guards: true for instances and subclasses, for errors of another realm (a vm
// context) or another copy of the package that carry the name and the fields, false for look-alikes
// without the fields and for everything else; and the retry predicates use them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import { AuthenticationError } from '../../src/errors/AuthenticationError.js';
import { HttpError } from '../../src/errors/HttpError.js';
import { NetworkError } from '../../src/errors/NetworkError.js';
import { NotFoundError } from '../../src/errors/NotFoundError.js';
import { TimeoutError } from '../../src/errors/TimeoutError.js';
import { WriteFailedError } from '../../src/errors/WriteFailedError.js';
import * as guards from '../../src/errors/typeGuards.js';
import { isRetryable } from '../../src/streams/isRetryable.js';
import { retryAfterMs } from '../../src/streams/retry/retryAfterMs.js';

const details = (status: number) => ({ method: 'GET', url: 'u', status, body: '', headers: new Headers({ 'retry-after': '7' }) });

describe('error type guards', () => {
  it('accept instances and subclasses, refuse other errors and non-errors', () => {
    const notFound = new NotFoundError(details(404));
    assert.ok(guards.isHttpError(notFound) && guards.isNotFoundError(notFound) && guards.isTimetricError(notFound));
    assert.ok(!guards.isAuthenticationError(notFound));
    assert.ok(guards.isHttpError(new AuthenticationError(details(401))));
    assert.ok(guards.isTimeoutError(new TimeoutError('GET', 'u', 5)) && !guards.isHttpError(new TimeoutError('GET', 'u', 5)));
    assert.ok(guards.isWriteFailedError(new WriteFailedError('gave up', [[1, 1]], 0)));
    for (const other of [new Error('x'), new TypeError('fetch failed'), null, undefined, 'HttpError', 42, { name: 'HttpError' }]) {
      assert.ok(!guards.isTimetricError(other) && !guards.isHttpError(other), typeof other);
    }
  });

  it('accept an error of another realm by its name and fields, where instanceof fails', () => {
    const foreign = runInNewContext("Object.assign(new Error('GET u failed with HTTP 503'), { name: 'HttpError', status: 503, method: 'GET', url: 'u', body: '', headers: undefined })") as unknown;
    assert.ok(!(foreign instanceof HttpError), 'another realm');
    assert.ok(guards.isHttpError(foreign) && guards.isTimetricError(foreign));
    assert.equal(isRetryable(foreign), true, 'the retry rule reads it too');
    const timeout = runInNewContext("Object.assign(new Error('timed out'), { name: 'TimeoutError', method: 'GET', url: 'u', timeoutMs: 5 })") as unknown;
    assert.ok(guards.isTimeoutError(timeout) && isRetryable(timeout));
    const lookAlike = runInNewContext("Object.assign(new Error('x'), { name: 'NetworkError' })") as unknown;
    assert.ok(!guards.isNetworkError(lookAlike), "a browser's DOMException-style NetworkError without our fields is not ours");
  });

  it('the retry predicates read Retry-After and statuses through them', () => {
    assert.equal(retryAfterMs(new HttpError(details(503)), 0), 7_000);
    assert.equal(isRetryable(new NetworkError('GET', 'u', new Error('reset'))), true);
    assert.equal(isRetryable(new HttpError(details(500))), false);
  });
});
