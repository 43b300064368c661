// What a journaled sink loads when it first runs, as one chunk: the journaled writer and pull, the
// journaled increments, the in-memory and IndexedDB journals. Imported only through import() (see
// loadJournal.ts), so a page whose sinks keep no journal does not load this code.
import type { Journal } from '../journal/Journal.js';
import { openNamedJournal } from './openNamedJournal.js';

export { journaledWriter, journaledPull } from './journaledWriter.js';
export { journaledIncrements } from './journaledIncrements.js';
export { MemoryJournal } from '../journal/MemoryJournal.js';

/**
 * The journal a sink's options name: `journal` itself when it is a {@link Journal}, else the
 * journal `openJournal` (default: IndexedDB) opens under that name.
 *
 * @param journal - The sink's `journal` option.
 * @param openJournal - The sink's `openJournal` option.
 * @returns The journal, opened.
 */
export function openJournalOf(journal: Journal | string, openJournal: ((name: string) => Journal) | undefined): Journal {
  return typeof journal === 'string' ? (openJournal ?? openNamedJournal)(journal) : journal;
}
