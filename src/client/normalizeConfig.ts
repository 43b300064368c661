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

function need(config: TimetricConfig, key: string, ...aliases: string[]): string {
  const value = pick(config, key, ...aliases);
  if (value === undefined) {
    throw new ConfigurationError(
      `config is missing ${key} (needed for authtype '${config.authtype ?? 'oauth'}')${aliases.length ? `; also accepted: ${aliases.join(', ')}` : ''}`,
      key,
    );
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
