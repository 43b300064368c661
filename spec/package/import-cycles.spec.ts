// No module of src/ reaches itself again through its imports, type-only imports included (the
// lint's import-x/no-cycle skips those). Layers import downward only, so a cycle is a layering bug.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '../../src');
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });

/** Relative imports of each file (import, import type, export … from, import()), resolved to files. */
function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const deps: string[] = [];
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName.replace(/\.js$/, '.ts'));
      const index = join(target.replace(/\.ts$/, ''), 'index.ts');
      if (existsSync(target)) deps.push(target);
      else if (existsSync(index)) deps.push(index);
    }
    graph.set(file, deps);
  }
  return graph;
}

/** The strongly connected components with more than one file (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)!.includes(v)) found.push(component.map((f) => relative(root, f)).sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe('import cycles', () => {
  it('the checker finds a cycle, type-only imports included', () => {
    const a = join(root, 'a.ts');
    const b = join(root, 'b.ts');
    assert.deepEqual(cycles(new Map([[a, [b]], [b, [a]]])), [['a.ts', 'b.ts']]);
    assert.deepEqual(cycles(new Map([[a, [b]], [b, []]])), []);
    const { importedFiles } = ts.preProcessFile("import type { X } from './x.js';\nexport type { Y } from './y.js';", true, true);
    assert.deepEqual(importedFiles.map((f) => f.fileName), ['./x.js', './y.js']);
  });

  it('src/ has none', () => {
    const files = walk(root);
    assert.ok(files.length > 100, `read ${files.length} files`);
    assert.deepEqual(cycles(importGraph(files)), []);
  });
});
