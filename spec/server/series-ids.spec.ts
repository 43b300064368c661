// Series ids: 22 characters of URL-safe base64 (the historical shape), never beginning with '-',
// which a command line (`timetric cat ID`, parseArgs in the examples) would read as an option.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isSeriesId, mintSeriesId } from '../../src/server/ids.js';

it('mints well-formed, distinct ids, none beginning with "-" (20,000 drawn: about 312 would, by chance)', () => {
  const ids = new Set<string>();
  for (let i = 0; i < 20_000; i++) {
    const id = mintSeriesId();
    assert.ok(isSeriesId(id), id);
    assert.notEqual(id[0], '-', id);
    ids.add(id);
  }
  assert.equal(ids.size, 20_000);
  // The other 63 first characters all occur: the redraw removes '-' only.
  assert.equal(new Set([...ids].map((id) => id[0])).size, 63);
});
