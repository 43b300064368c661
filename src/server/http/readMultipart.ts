import type { FastifyRequest } from 'fastify';
import { HttpProblem } from './HttpProblem.js';

/**
 * Walks a multipart body: text fields are collected (over `maxFieldBytes` → 413); the file part
 * named `csv` is handed to `onCsv` as a stream, with the fields seen so far; any other file part
 * is refused. Returns the fields and whether a `csv` part came.
 */
export async function readMultipart(
  request: FastifyRequest,
  onCsv: (file: AsyncIterable<Buffer>, fields: Record<string, string | string[]>) => Promise<void>,
): Promise<{ fields: Record<string, string | string[]>; hadCsv: boolean }> {
  const fields: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  let hadCsv = false;
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      if (part.valueTruncated || part.fieldnameTruncated) throw new HttpProblem(413, `form field ${part.fieldname} is over the size limit`);
      const value = String(part.value);
      const prior = fields[part.fieldname];
      fields[part.fieldname] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
    } else if (part.fieldname === 'csv' && !hadCsv) {
      hadCsv = true;
      await onCsv(part.file, fields);
      if (part.file.truncated) throw new HttpProblem(413, 'CSV part over the size limit');
    } else {
      part.file.resume();
      throw new HttpProblem(400, `unexpected file part ${JSON.stringify(part.fieldname)}: send the CSV as the part named "csv"`);
    }
  }
  return { fields, hadCsv };
}
