// The built package (npm run build → dist/) loads by its public name with import and with
// require, for both entry points, and the client entry stays free of Node-only code.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
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

  it('the client entry does not load Node built-ins or server code, nor do the chunks it imports', () => {
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const js = readFileSync(file, 'utf8');
      assert.doesNotMatch(js, /from ["']node:|require\(["']node:|better-sqlite3|fastify/, file);
      // Node's modules without the node: prefix too (esbuild writes 'path' for 'node:path').
      for (const m of js.matchAll(/(?:from|import|require)\s*\(?\s*["']([^"'./][^"']*)["']/g)) {
        assert.ok(!builtinModules.includes(m[1]!.split('/')[0]!), `${file} imports Node's ${m[1]}`);
      }
      for (const m of js.matchAll(/(?:from|import)\s*\(?\s*["'](\.\/[^"']+)["']/g)) visit(join(dirname(file), m[1]!));
    };
    visit('dist/index.js');
    assert.ok(seen.size > 1, 'the entry imports its shared chunks');
  });

  it('one set of error classes: errors of timetric/server are instanceof the classes of timetric (ESM and CommonJS)', () => {
    const check = "const f = new s.StoreConflictError('x'); console.log(f instanceof c.TimetricError, s.StoreConflictError === undefined);";
    assert.equal(run(['--input-type=module', '-e', `const c = await import('timetric'); const s = await import('timetric/server'); ${check}`]), 'true false');
    assert.equal(run(['-e', `const c = require('timetric'); const s = require('timetric/server'); ${check}`]), 'true false');
  });
});
