#!/usr/bin/env node
// The `timetric` command. bin/timetric.js imports the build of this file (dist/cli/main.js).
import { processIo } from './processIo.js';
import { runTimetric } from './runTimetric.js';

const io = processIo();
// Exit once stdout and stderr are flushed to their readers, however slow, and not later: what is
// left then (the platform fetch's idle keep-alive sockets, ~0.2 s) has nothing more to do.
// (No top-level await: the build also emits CommonJS.)
void runTimetric(process.argv.slice(2), io)
  .catch((err: unknown) => {
    io.err(`timetric: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
    return 1;
  })
  .then(async (code) => {
    await io.flushed();
    process.exit(io.outError() ? 1 : code);
  });
