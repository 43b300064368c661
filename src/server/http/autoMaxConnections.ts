import { readFileSync } from 'node:fs';

/**
 * The `maxConnections: 'auto'` cap: the process's open-file limit (the soft `ulimit -n`, which
 * Node raises to the hard limit at start) minus a tenth of it, at least 64, for the store, the
 * listening socket and the rest; 4,096 where the limit cannot be read (no /proc/self/limits).
 *
 * @param limits - The text of /proc/self/limits (read when omitted).
 * @returns The connection cap, at least 1.
 */
export function autoMaxConnections(limits?: string): number {
  let text = limits;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return 4_096;
    }
  }
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(text);
  if (!match || match[1] === 'unlimited') return match ? Number.MAX_SAFE_INTEGER : 4_096;
  const files = Number(match[1]);
  return Math.max(1, files - Math.max(64, Math.ceil(files / 10)));
}
