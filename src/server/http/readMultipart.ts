import type { FastifyRequest } from 'fastify';
import { HttpProblem } from './HttpProblem.js';
import { limitBodyIdle } from './limitBodyIdle.js';

/** Limits of {@link readMultipart}. */
export interface MultipartLimits {
  /** Most bytes of all text fields together (names and values, UTF-8); more → 413. */
  maxFieldsBytes: number;
  /** Longest wait for the next byte of the body, ms; longer → 408. */
  bodyIdleTimeoutMs: number;
}

/**
 * Walks a multipart body: text fields are collected (one over the parser's field limit, or all of
 * them together over `maxFieldsBytes` → 413); the file part named `csv` is handed to `onCsv` as a
 * stream, with the fields seen before it, and nothing of it is read before `onCsv` reads it (so
 * `onCsv` may check credentials first); any other file part is refused. A body silent for
 * `bodyIdleTimeoutMs` → 408. Returns the fields and whether a `csv` part came.
 */
export async function readMultipart(
  request: FastifyRequest,
  limits: MultipartLimits,
  onCsv: (file: AsyncIterable<Buffer>, fields: Record<string, string | string[]>) => Promise<void>,
): Promise<{ fields: Record<string, string | string[]>; hadCsv: boolean }> {
  const fields: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  let hadCsv = false;
  let fieldBytes = 0;
  try {
    await walk();
  } catch (err) {
    throw malformed(err);
  }
  return { fields, hadCsv };

  async function walk(): Promise<void> {
  for await (const part of limitBodyIdle(request.parts(), limits.bodyIdleTimeoutMs)) {
    // A part whose Content-Disposition has no readable name (the parser gives undefined).
    if (typeof part.fieldname !== 'string') throw new HttpProblem(400, 'multipart part without a name: each part needs Content-Disposition: form-data; name="…"');
    if (part.type === 'field') {
      if (part.valueTruncated || part.fieldnameTruncated) throw new HttpProblem(413, `form field ${part.fieldname} is over the size limit`);
      const value = String(part.value);
      fieldBytes += Buffer.byteLength(part.fieldname) + Buffer.byteLength(value);
      if (fieldBytes > limits.maxFieldsBytes) throw new HttpProblem(413, `the text fields of this form are over the limit of ${limits.maxFieldsBytes} bytes together`);
      const prior = fields[part.fieldname];
      if (Array.isArray(prior)) prior.push(value);
      else fields[part.fieldname] = prior === undefined ? value : [prior, value];
    } else if (part.fieldname === 'csv' && !hadCsv) {
      hadCsv = true;
      await onCsv(limitBodyIdle(part.file, limits.bodyIdleTimeoutMs), fields);
      if (part.file.truncated) throw new HttpProblem(413, 'CSV part over the size limit');
    } else {
      // Not drained: the answer closes the connection (its body is unread), see registerCloseOnUnreadBody.
      throw new HttpProblem(400, `unexpected file part ${JSON.stringify(part.fieldname)}: send the CSV as the part named "csv"`);
    }
  }
  }
}

/** The multipart parser's own errors (a body that breaks the format) are the client's: 400, not 500. */
const MALFORMED = /^(Unexpected end of multipart data|Malformed part header|Part terminated early|Multipart: Boundary not found)/;

function malformed(err: unknown): unknown {
  if (err instanceof Error && !(err instanceof HttpProblem) && MALFORMED.test(err.message)) {
    return new HttpProblem(400, `malformed multipart body (${err.message}); nothing was applied`);
  }
  return err;
}
