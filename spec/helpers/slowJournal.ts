// A journal that opens when the spec says, as IndexedDB or a slow disk may take its time: a memory
// journal with only the asynchronous methods (no openSync/appendSync), so sinks take their
// asynchronous paths.
import type { Journal } from '../../src/journal/Journal.js';
import { MemoryJournal } from '../../src/journal/MemoryJournal.js';

/** The journal, and `open()`, which lets its pending open() resolve. */
export function slowJournal(): { journal: Journal; open: () => void } {
  const inner = new MemoryJournal();
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const journal: Journal = {
    name: 'slow',
    get bytes() {
      return inner.bytes;
    },
    open: () => opened.then(() => inner.open()),
    append: (e) => inner.append(e),
    read: (s) => inner.read(s),
    ack: (s) => inner.ack(s),
    sync: () => inner.sync(),
    close: () => inner.close(),
  };
  return { journal, open };
}
