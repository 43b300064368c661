/** Credentials after normalisation (see normalizeConfig). */
export type ResolvedAuth =
  | { type: 'anonymous' }
  | { type: 'apitoken'; key: string; secret: string }
  | { type: 'oauth'; consumerKey: string; consumerSecret: string; token: string | undefined; tokenSecret: string | undefined };
