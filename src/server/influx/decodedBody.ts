import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { HttpProblem } from '../http/HttpProblem.js';
import { limitBodyIdle } from '../http/limitBodyIdle.js';

/** How {@link decodedBody} reads a body. */
export interface DecodedBodyLimits {
  /** Largest body after decompression, bytes: more → 413. */
  maxBytes: number;
  /** Longest silence inside the body, ms: then 408. */
  bodyIdleTimeoutMs: number;
}

/**
 * A request body as it arrives, decompressed when `Content-Encoding: gzip` (streaming, by
 * node:zlib), its decompressed bytes counted against `maxBytes`: one byte over and it fails with
 * a 413 and stops reading (a gzip bomb costs at most that many bytes of inflating). A corrupt gzip
 * stream is a 400; an encoding other than gzip or identity is a 415.
 *
 * @param body - The raw body stream (request.body under a pass-through content-type parser).
 * @param encoding - The Content-Encoding header.
 * @param limits - Size and idle caps.
 * @returns The body's bytes, chunk by chunk.
 */
export async function* decodedBody(
  body: AsyncIterable<Buffer>,
  encoding: string | undefined,
  limits: DecodedBodyLimits,
): AsyncGenerator<Buffer, void, undefined> {
  const coding = (encoding ?? 'identity').trim().toLowerCase();
  if (coding !== 'identity' && coding !== 'gzip' && coding !== '') {
    throw new HttpProblem(415, `Content-Encoding ${JSON.stringify(coding)} is not supported (send gzip or none); nothing was applied`);
  }
  const raw = limitBodyIdle(body, limits.bodyIdleTimeoutMs);
  let source: AsyncIterable<Buffer> = raw;
  let gunzip: ReturnType<typeof createGunzip> | undefined;
  if (coding === 'gzip') {
    gunzip = createGunzip();
    pipeline(Readable.from(raw, { objectMode: false }), gunzip, () => undefined);
    source = gunzip;
  }
  let bytes = 0;
  try {
    for await (const chunk of source) {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) {
        throw new HttpProblem(413, `body over the limit of ${limits.maxBytes} bytes${gunzip ? ' (decompressed)' : ''}; nothing was applied`);
      }
      yield chunk;
    }
  } catch (err) {
    if (gunzip && (err as { code?: string }).code?.startsWith('Z_')) {
      throw new HttpProblem(400, `the gzip body is corrupt (${(err as Error).message}); nothing was applied`);
    }
    throw err;
  } finally {
    gunzip?.destroy();
  }
}
