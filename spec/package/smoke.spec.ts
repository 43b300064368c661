// The built package (npm run build → dist/) loads by its public name with import and with
// require, for both entry points, and the client entry stays free of Node-only code.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const run = (args: string[]): string => execFileSync(process.execPath, args, { encoding: 'utf8' }).trim();

describe('the built package', () => {
  it('exists (npm test builds it first)', () => {
    for (const f of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/server/index.js', 'dist/server/index.cjs', 'dist/server/index.d.ts']) {
      assert.ok(existsSync(f), `${f} is missing: run npm run build`);
    }
  });

  it('imports as ESM by name: timetric and timetric/server', () => {
    const out = run([
      '--input-type=module',
      '-e',
      "const c = await import('timetric'); const s = await import('timetric/server'); console.log(typeof c.TimetricClient, typeof c.parseTime, typeof s.createTimetricServer, typeof s.openSqliteStore);",
    ]);
    assert.equal(out, 'function function function function');
  });

  it('requires as CommonJS by name', () => {
    const out = run(['-e', "const c = require('timetric'); const s = require('timetric/server'); console.log(typeof c.TimetricClient, typeof c.CsvPointDecoder, typeof s.createTimetricServer);"]);
    assert.equal(out, 'function function function');
  });

  it('the client entry does not load Node built-ins or server code', () => {
    const js = readFileSync('dist/index.js', 'utf8');
    assert.doesNotMatch(js, /from ["']node:|require\(["']node:|better-sqlite3|fastify/);
  });
});
