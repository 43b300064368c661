import { TimetricError } from '../errors/TimetricError.js';

/**
 * A journal is already open: another live process (named by its pid when known), or another sink of
 * this process, owns it. Nothing was read or written. Close the other sink first, or give this one a
 * journal of its own.
 */
export class JournalLockedError extends TimetricError {
  override name = 'JournalLockedError';

  constructor(
    /** The journal's directory or database name. */
    readonly journal: string,
    /** The owner's process id, when the journal records it. */
    readonly ownerPid: number | undefined,
  ) {
    super(
      `journal ${journal} is in use${ownerPid === undefined ? '' : ` by process ${ownerPid}`}: one sink at a time may own a journal; stop the other sink or use another journal`,
    );
  }
}
