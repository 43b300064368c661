// OAuth signing on the client's WebCrypto path, checked against RFC 5849's worked example (§1.2).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signOAuth } from '../../src/client/signOAuth.js';

function parseHeader(header: string): Record<string, string> {
  assert.match(header, /^OAuth realm="", /);
  const out: Record<string, string> = {};
  for (const m of header.slice('OAuth '.length).matchAll(/([\w%]+)="([^"]*)"/g)) out[decodeURIComponent(m[1]!)] = decodeURIComponent(m[2]!);
  return out;
}

const photos = { consumerKey: 'dpf43f3p2l4k3l03', consumerSecret: 'kd94hf93k423kf44', token: 'nnch734d00sl2jdk', tokenSecret: 'pfkkdhi9sl3r4s00' };

describe('signOAuth (HMAC-SHA1 with crypto.subtle)', () => {
  it('RFC 5849 §1.2: the photo request signs to MdpQcU8iPSUjWoN/UDMsK2sui9I=', async () => {
    const header = await signOAuth('GET', 'http://photos.example.net/photos?file=vacation.jpg&size=original', undefined, photos, {
      oauth_timestamp: '137131202',
      oauth_nonce: 'chapoH',
      oauth_version: undefined,
    });
    const p = parseHeader(header);
    assert.equal(p.oauth_signature, 'MdpQcU8iPSUjWoN/UDMsK2sui9I=');
    assert.equal(p.oauth_token, 'nnch734d00sl2jdk');
    assert.equal(p.oauth_version, undefined);
    // the query stays in the URL: it is signed, not copied into the header
    assert.equal(p.file, undefined);
  });

  it('the default port, the host case and the query placement do not change the signature', async () => {
    const fixed = { oauth_timestamp: '137131202', oauth_nonce: 'chapoH', oauth_version: undefined };
    const a = parseHeader(await signOAuth('GET', 'http://PHOTOS.example.net:80/photos?size=original&file=vacation.jpg', undefined, photos, fixed));
    assert.equal(a.oauth_signature, 'MdpQcU8iPSUjWoN/UDMsK2sui9I=');
    // urlencoded body fields are part of the base string
    const b = parseHeader(await signOAuth('GET', 'http://photos.example.net/photos', { file: 'vacation.jpg', size: 'original' }, photos, fixed));
    assert.equal(b.oauth_signature, 'MdpQcU8iPSUjWoN/UDMsK2sui9I=');
    const c = parseHeader(await signOAuth('GET', 'http://photos.example.net/photos?file=vacation.jpg&size=large', undefined, photos, fixed));
    assert.notEqual(c.oauth_signature, 'MdpQcU8iPSUjWoN/UDMsK2sui9I=');
  });

  it('fresh nonce and current timestamp by default; oauth_version 1.0; no token without one', async () => {
    const before = Math.floor(Date.now() / 1000);
    const creds = { consumerKey: 'ck', consumerSecret: 'cs' };
    const a = parseHeader(await signOAuth('POST', 'https://example.org/oauth/request_token/', undefined, creds, { oauth_callback: 'oob' }));
    const b = parseHeader(await signOAuth('POST', 'https://example.org/oauth/request_token/', undefined, creds));
    assert.notEqual(a.oauth_nonce, b.oauth_nonce);
    assert.match(a.oauth_nonce!, /^[0-9a-f]{32}$/);
    assert.ok(Number(a.oauth_timestamp) >= before && Number(a.oauth_timestamp) <= before + 5);
    assert.equal(a.oauth_version, '1.0');
    assert.equal(a.oauth_callback, 'oob');
    assert.equal(a.oauth_token, undefined);
    assert.equal(a.oauth_signature_method, 'HMAC-SHA1');
  });
});
