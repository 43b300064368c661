import { ConfigurationError } from '../errors/ConfigurationError.js';
import type { ResolvedAuth } from './ResolvedAuth.js';
import type { TimetricConfig } from './TimetricConfig.js';

function pick(config: TimetricConfig, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = config[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** What each authtype needs, for messages that tell how to choose another. */
const NEEDS: Record<string, string> = {
  apitoken: "authtype: 'apitoken' with apitoken_key and apitoken_secret (an API token)",
  oauth: "authtype: 'oauth' with consumer_key and consumer_secret (OAuth 1.0a)",
  anonymous: "authtype: 'anonymous' (public series only, read-only)",
};

/** The authtype whose keys the config holds, when that is not the one in force. */
function meant(config: TimetricConfig, authtype: string): string | undefined {
  if (authtype !== 'apitoken' && pick(config, 'apitoken_key', 'apitoken_secret', 'apitoken-secret') !== undefined) return 'apitoken';
  if (authtype !== 'oauth' && pick(config, 'consumer_key', 'consumer_secret') !== undefined) return 'oauth';
  return undefined;
}

function need(config: TimetricConfig, key: string, ...aliases: string[]): string {
  const value = pick(config, key, ...aliases);
  if (value === undefined) {
    const authtype = config.authtype ?? 'oauth';
    const inForce = config.authtype === undefined ? `authtype '${authtype}', the default when the config has no authtype` : `authtype '${authtype}'`;
    const hint = meant(config, authtype);
    const others = Object.keys(NEEDS).filter((t) => t !== authtype);
    const choose = hint !== undefined ? `the config holds ${hint} keys: set ${NEEDS[hint]!}` : `for another, set ${others.map((t) => NEEDS[t]!).join(', or ')}`;
    throw new ConfigurationError(`config is missing ${key}, needed for ${inForce}${aliases.length ? ` (also accepted: ${aliases.join(', ')})` : ''}; ${choose}`, key);
  }
  return value;
}

/**
 * Reads a historical-style config: checks `authtype` and that the keys it needs are present,
 * accepting the historical spellings. Throws {@link ConfigurationError} naming the missing key.
 * An OAuth config without an access token is valid: requests need one, the dance makes one.
 */
export function normalizeConfig(config: TimetricConfig): ResolvedAuth {
  if (config === null || typeof config !== 'object') throw new ConfigurationError('config must be an object');
  const authtype = config.authtype ?? 'oauth';
  if (authtype === 'apitoken') {
    return { type: 'apitoken', key: need(config, 'apitoken_key'), secret: need(config, 'apitoken_secret', 'apitoken-secret') };
  }
  if (authtype === 'anonymous') return { type: 'anonymous' };
  if (authtype !== 'oauth') throw new ConfigurationError(`unknown authtype ${JSON.stringify(authtype)}: use 'apitoken', 'oauth' or 'anonymous'`, 'authtype');
  return {
    type: 'oauth',
    consumerKey: need(config, 'consumer_key'),
    consumerSecret: need(config, 'consumer_secret'),
    token: pick(config, 'oauth_token', 'oauth_key', 'access_token', 'access_key'),
    tokenSecret: pick(config, 'oauth_secret', 'access_secret'),
  };
}
