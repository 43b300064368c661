// Every public export of timetric (src/index.ts), timetric/journal, timetric/node and timetric/server (src/server/index.ts) has a
// doc comment: the API reference (npm run docs:api, TypeDoc) is generated from them. Checked with
// the TypeScript compiler: each exported symbol is followed to its declaration (through re-exports),
// and a declaration counts as documented when it carries a /** … */ comment with some text.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..', '..');
const ENTRIES = {
  timetric: join(ROOT, 'src', 'index.ts'),
  'timetric/journal': join(ROOT, 'src', 'journal', 'index.ts'),
  'timetric/node': join(ROOT, 'src', 'node', 'index.ts'),
  'timetric/server': join(ROOT, 'src', 'server', 'index.ts'),
};

function undocumented(): Record<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const program = ts.createProgram(Object.values(ENTRIES), { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const out: Record<string, string[]> = {};
  for (const [name, file] of Object.entries(ENTRIES)) {
    const source = program.getSourceFile(file)!;
    const missing: string[] = [];
    for (const exported of checker.getExportsOfModule(checker.getSymbolAtLocation(source)!)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declarations = symbol.getDeclarations() ?? [];
      const documented = declarations.some((d) => {
        // A variable's comment sits on its statement; a doc comment is the JSDoc with text or tags.
        const node = ts.isVariableDeclaration(d) ? d.parent.parent : d;
        return ts.getJSDocCommentsAndTags(node).some((j) => ts.isJSDoc(j) && (j.comment !== undefined || (j.tags?.length ?? 0) > 0));
      });
      if (!documented) {
        const where = declarations[0] ? `${declarations[0].getSourceFile().fileName.slice(ROOT.length + 1)}` : '?';
        missing.push(`${exported.name} (${where})`);
      }
    }
    out[name] = missing.sort();
  }
  return out;
}

describe('the public API is documented', () => {
  it('every export of timetric and timetric/server has a doc comment', () => {
    const missing = undocumented();
    const lines = Object.entries(missing).flatMap(([entry, names]) => names.map((n) => `${entry}: ${n}`));
    assert.deepEqual(lines, [], `exports without a doc comment:\n${lines.join('\n')}`);
  });
});
