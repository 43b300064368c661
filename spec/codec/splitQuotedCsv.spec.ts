// splitQuotedCsv gives the rows papaparse gives for the same text (the parser CsvPointDecoder used
// for blocks holding a quote before it was replaced): hand-picked cases of each quoting rule, and
// 30,000 generated texts over the characters that matter to CSV quoting.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Papa from 'papaparse';
import { splitQuotedCsv } from '../../src/codec/splitQuotedCsv.js';

const papa = (text: string): string[][] =>
  (new Papa.Parser({ delimiter: ',', newline: '\n' }).parse(text, 0, false) as { data: string[][] }).data;

describe('splitQuotedCsv', () => {
  it('splits like papaparse: quoted fields, escaped quotes, spaces after a closing quote, bad quotes', () => {
    const cases = [
      '',
      '"1",2',
      '1,"2"\n3,"4"',
      '"1,5","a""b"\n',
      '"1" ,2\n"3"  \n4,5',
      '"1"\r\n2,3',
      '1,"2',
      '"a"b",c\nd,e',
      'a"b,c',
      '"multi\nline",1\n2,3',
      '"",""',
      '"a""',
      '"x" y,1\n',
      '\n\n"1",\n',
    ];
    for (const text of cases) assert.deepEqual(splitQuotedCsv(text), papa(text), JSON.stringify(text));
  });

  it('splits 30,000 generated texts exactly as papaparse does', () => {
    // A fixed-seed generator (mulberry32), so a failure names a text that fails again.
    let seed = 0x5eed;
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const alphabet = ['"', '"', '"', ',', ',', '\n', '\n', ' ', '\r', '\t', '1', '2', '.', 'a'];
    let quoted = 0;
    for (let i = 0; i < 30_000; i++) {
      const length = Math.floor(random() * 24);
      let text = '';
      for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * alphabet.length)]!;
      if (text.includes('"')) quoted++;
      assert.deepEqual(splitQuotedCsv(text), papa(text), JSON.stringify(text));
    }
    assert.ok(quoted > 20_000, `most generated texts hold a quote (${quoted})`);
  });
});
