// The browser weight of the client (scripts/clientBundleSize.ts, printed by npm run size): what a
// page that reads and writes a series loads carries no fetch polyfill and no OAuth signer, and
// stays within the budget, rxjs's share included.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLIENT_BUNDLE_BUDGET_BYTES, measureClientBundle } from '../../scripts/clientBundleSize.js';

describe('the client bundle (TimetricClient + values$ + latest$ + writeTo, browser, minified)', () => {
  it('loads no fetch polyfill, and the OAuth signer only on demand', async () => {
    const size = await measureClientBundle();
    const eager = size.inputs.map((i) => i.path);
    for (const absent of ['cross-fetch', 'node-fetch', 'oauth-1.0a', 'src/client/signOAuth.ts']) {
      assert.ok(!eager.some((p) => p.includes(absent)), `${absent} is in what every page loads`);
    }
    assert.ok(size.lazy > 1000, `the OAuth signer is a chunk of its own (${size.lazy} bytes loaded on demand)`);
  });

  it(`is at most ${CLIENT_BUNDLE_BUDGET_BYTES / 1024} kB minified`, async () => {
    const size = await measureClientBundle();
    const largest = size.inputs
      .slice(0, 12)
      .map((i) => `  ${(i.bytes / 1024).toFixed(1)} kB ${i.path}`)
      .join('\n');
    const files = size.chunks.map((c) => `  ${c.eager ? 'up front ' : 'on demand'} ${(c.minified / 1024).toFixed(1)} kB ${c.file} (${c.largest.join(', ')})`).join('\n');
    assert.ok(
      size.minified <= CLIENT_BUNDLE_BUDGET_BYTES,
      `${(size.minified / 1024).toFixed(1)} kB minified up front (gzipped ${(size.gzipped / 1024).toFixed(1)} kB); the largest inputs up front:\n${largest}\nthe files:\n${files}`,
    );
  });
});
