// The linear substring test of search: the same answers as lower-cased indexOf, on random texts
// over small alphabets (where partial matches and fallbacks are frequent), and linear time on
// the inputs that make LIKE '%q%' and indexOf quadratic.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTextMatcher } from '../../src/server/store/createTextMatcher.js';

function random(length: number, alphabet: string, seed: { s: number }): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    seed.s = (seed.s * 1_103_515_245 + 12_345) % 2 ** 31;
    out += alphabet[seed.s % alphabet.length];
  }
  return out;
}

describe('createTextMatcher', () => {
  it('agrees with lower-cased indexOf on 20,000 random needles and texts', () => {
    const seed = { s: 7 };
    for (let n = 0; n < 20_000; n++) {
      const alphabet = n % 3 === 0 ? 'ab' : n % 3 === 1 ? 'aAb' : 'abcÄä';
      const text = random(n % 40, alphabet, seed);
      // Half the needles are cut out of the text, so that matches are common too.
      const from = seed.s % (text.length + 1);
      const needle = n % 2 === 0 ? text.slice(from, from + (n % 7)) : random(n % 6, alphabet, seed);
      const expected = text.toLowerCase().includes(needle.toLowerCase());
      assert.equal(createTextMatcher(needle)(text), expected, `${JSON.stringify(needle)} in ${JSON.stringify(text)}`);
    }
  });

  it('is case-insensitive in Unicode lower case; the empty needle is in every text', () => {
    assert.equal(createTextMatcher('ZEBRA')('zebra crossings'), true);
    assert.equal(createTextMatcher('straße')('STRASSE'), false);
    assert.equal(createTextMatcher('ÄRGER')('kein ärger'), true);
    assert.equal(createTextMatcher('')(''), true);
    assert.equal(createTextMatcher('x')(''), false);
  });

  it('is linear: an 8,192-character needle against 1,000,000 characters, mismatching last or in the middle, in < 50 ms', () => {
    const text = 'a'.repeat(1_000_000);
    for (const needle of ['a'.repeat(8_191) + 'b', 'a'.repeat(4_096) + 'b' + 'a'.repeat(4_095), 'b' + 'a'.repeat(8_191)]) {
      const matches = createTextMatcher(needle);
      matches(text);
      let fastest = Infinity;
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        assert.equal(matches(text), false);
        fastest = Math.min(fastest, performance.now() - started);
      }
      assert.ok(fastest < 50, `${fastest.toFixed(1)} ms`);
    }
    assert.equal(createTextMatcher('a'.repeat(8_192))(text), true);
  });
});
