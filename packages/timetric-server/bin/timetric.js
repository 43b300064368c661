#!/usr/bin/env node
// The `timetric` command. Its code is the timetric package's (timetric/cli); this package brings
// the dependencies the server and the admin commands need.
import('timetric/cli').catch((err) => {
  console.error(`timetric: cannot start (${err.message})`);
  process.exit(70);
});
