import type { Step } from './Step.js';

/**
 * Runs a step whose table answers synchronously (SQLite) to its end and returns its result. A step
 * that tries to wait is a programming error: it would leave a transaction open across an await.
 */
export function runStepSync<T>(step: Step<T>): T {
  const r = step.next();
  if (!r.done) throw new Error('runStepSync: a step waited on a promise inside a synchronous transaction');
  return r.value;
}
