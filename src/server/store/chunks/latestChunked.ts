import type { Point } from '../../../codec/Point.js';
import type { ChunkTable } from './ChunkTable.js';
import type { Step } from './Step.js';

/** The point with the greatest time: the later of the last chunk's last point and the last head point. */
export function* latestChunked<K>(table: ChunkTable<K>, key: K): Step<Point | undefined> {
  const chunk = yield* table.lastChunkPoint(key);
  const head = yield* table.lastHeadPoint(key);
  if (!chunk) return head;
  if (!head) return chunk;
  return head[0] > chunk[0] ? head : chunk;
}
