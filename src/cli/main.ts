#!/usr/bin/env node
// The `timetric` command. bin/timetric.js imports the build of this file (dist/cli/main.js).
import { processIo } from './processIo.js';
import { runTimetric } from './runTimetric.js';

const io = processIo();
runTimetric(process.argv.slice(2), io).then(
  (code) => {
    // Not process.exit(): the process ends once stdout is flushed to its reader, however slow.
    process.exitCode = io.outError() ? 1 : code;
  },
  (err: unknown) => {
    process.stderr.write(`timetric: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
    process.exitCode = 1;
  },
);
