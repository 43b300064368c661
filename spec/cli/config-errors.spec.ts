// A config that lacks a field its authtype needs fails with a ConfigurationError that names the
// field, the authtype in force (saying when it is the default, OAuth, because the config has no
// authtype) and how to choose another; keys of another authtype in the config point to that one.
// The CLI and TimetricClient read configs through normalizeConfig, so this is their message too.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeConfig } from '../../src/client/normalizeConfig.js';
import { TimetricClient } from '../../src/client/TimetricClient.js';
import { ConfigurationError } from '../../src/errors/ConfigurationError.js';
import type { TimetricConfig } from '../../src/client/TimetricConfig.js';

const messageOf = (config: TimetricConfig): string => {
  try {
    normalizeConfig(config);
  } catch (err) {
    assert.ok(err instanceof ConfigurationError);
    return err.message;
  }
  throw new Error('no error');
};

describe('config errors name the authtype in force and how to choose another', () => {
  it('an API token config without authtype is told to set authtype apitoken', () => {
    assert.equal(
      messageOf({ apitoken_key: 'k', apitoken_secret: 's' }),
      "config is missing consumer_key, needed for authtype 'oauth', the default when the config has no authtype; the config holds apitoken keys: set authtype: 'apitoken' with apitoken_key and apitoken_secret (an API token)",
    );
  });

  it('an empty config lists the other authtypes and what each needs', () => {
    const m = messageOf({});
    assert.match(m, /^config is missing consumer_key, needed for authtype 'oauth', the default when the config has no authtype; for another, set /);
    assert.match(m, /authtype: 'apitoken' with apitoken_key and apitoken_secret/);
    assert.match(m, /authtype: 'anonymous'/);
  });

  it('an explicit authtype is named as set, with the accepted spellings of the field', () => {
    const m = messageOf({ authtype: 'apitoken', apitoken_key: 'k' });
    assert.match(m, /^config is missing apitoken_secret, needed for authtype 'apitoken' \(also accepted: apitoken-secret\); for another, set authtype: 'oauth' with consumer_key and consumer_secret/);
    assert.doesNotMatch(m, /default/);
    assert.match(messageOf({ authtype: 'apitoken', consumer_key: 'c' }), /the config holds oauth keys: set authtype: 'oauth'/);
  });

  it('TimetricClient throws the same error, with the missing key as its field', () => {
    assert.throws(
      () => new TimetricClient({ apitoken_key: 'k', apitoken_secret: 's' }),
      (e: unknown) => e instanceof ConfigurationError && e.key === 'consumer_key' && /set authtype: 'apitoken'/.test(e.message),
    );
  });
});
