#!/usr/bin/env node
// The `timetric` command: runs the built CLI (npm run build creates dist/).
import('../dist/cli/main.js').catch((err) => {
  console.error(`timetric: cannot start (${err.message}); run "npm run build" first`);
  process.exit(70);
});
