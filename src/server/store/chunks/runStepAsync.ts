import type { Step } from './Step.js';

/** Runs a step whose table yields promises (PostgreSQL): awaits each, resumes with its value or its error. */
export async function runStepAsync<T>(step: Step<T>): Promise<T> {
  let r = step.next();
  while (!r.done) {
    let value: unknown;
    try {
      value = await r.value;
    } catch (err) {
      r = step.throw(err);
      continue;
    }
    r = step.next(value);
  }
  return r.value;
}
