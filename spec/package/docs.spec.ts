// The README and docs/ as a newcomer reads them: the README's first screen installs, shows the two
// commands of a clone and a short client example; no authoring markers or notes from development
// are left; no link points outside the repository's own files; and links into these guides land on
// a file and a heading that exist (guides other work writes are linked before they exist, so only
// links into this set are checked).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..', '..');
const GUIDES = ['README.md', ...['README', 'client', 'server', 'cli', 'postgresql', 'compatibility', 'wire-protocol', 'benchmarks'].map((n) => `docs/${n}.md`)];
const read = (f: string): string => readFileSync(join(ROOT, f), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

function anchors(file: string): Set<string> {
  const text = read(file).replace(/```[^]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
}

describe('the README and the guides', () => {
  it('the README opens with the install, the two commands and a client example of about 10 lines', () => {
    const firstScreen = read('README.md').split('\n').slice(0, 40).join('\n');
    assert.match(firstScreen, /npm install timetric rxjs/);
    assert.match(firstScreen, /npm install timetric-server/);
    assert.match(firstScreen, /npm install && npm start/);
    assert.match(firstScreen, /npm install && npm test/);
    const example = /```ts\n([^]*?)```/.exec(firstScreen)?.[1];
    assert.ok(example, 'a TypeScript example on the first screen');
    const lines = example.split('\n').filter((l) => l.trim() !== '');
    assert.ok(lines.length <= 12, `the first example has ${lines.length} lines`);
    assert.match(example, /from 'timetric'/);
  });

  it('holds no authoring markers, notes from development or links out of the repository', () => {
    const files = [...GUIDES, ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    for (const f of new Set(files)) {
      const text = read(f);
      for (const bad of [/<!--\s*section:/, /\.\.\/shared\//, /\/work\//, /this (2-core )?machine/i, /\btoday\b/i, /\(was \d/, /earlier runs/i]) {
        assert.doesNotMatch(text, bad, `${f} holds ${String(bad)}`);
      }
    }
  });

  it('links into these guides land on an existing file and heading', () => {
    const known = new Set(GUIDES);
    for (const f of GUIDES) {
      for (const m of read(f).matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const file = path === '' ? f : relative(ROOT, resolve(join(ROOT, dirname(f)), path));
        if (!known.has(file)) continue;
        assert.ok(existsSync(join(ROOT, file)), `${f} links to ${target}: no such file`);
        if (anchor) assert.ok(anchors(file).has(anchor), `${f} links to ${target}: no such heading in ${file}`);
      }
    }
  });
});
