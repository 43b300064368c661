import { ConfigurationError } from '../errors/ConfigurationError.js';
import type { Journal } from '../journal/Journal.js';
import { IndexedDbJournal } from '../journal/IndexedDbJournal.js';

/**
 * Opens the journal named by a string where no `openJournal` was given: an IndexedDB database
 * when the platform has IndexedDB (browsers). Elsewhere throws a {@link ConfigurationError} that
 * says what to use instead.
 */
export function openNamedJournal(name: string): Journal {
  if (typeof indexedDB !== 'undefined') return new IndexedDbJournal(name);
  throw new ConfigurationError(
    `journal ${JSON.stringify(name)}: this platform has no IndexedDB; in Node import writeTo/writeFrom/incrementTo from 'timetric/node' (a name is a directory there) or pass journal: new FileJournal(dir)`,
    'journal',
  );
}
