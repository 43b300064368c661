import { TimetricError } from './TimetricError.js';

/**
 * A page of a paged read named its next page (`Link: rel="next"`) outside the client's base URL:
 * another scheme, host or port, a path outside the base path, or a URL with a user name. The
 * client does not follow it, since the request would carry the client's credentials (the API
 * token's secret, or an OAuth signature) to whoever is there, and that server's points would be
 * read as the series'. A server behind a proxy that names itself by its inside address is the
 * usual cause: set its `publicUrl` to the address clients use.
 */
export class CrossOriginLinkError extends TimetricError {
  override name = 'CrossOriginLinkError';
  /** The page whose `Link` header was refused (origin and path). */
  readonly url: string;
  /** The refused next-page URL (origin and path). */
  readonly link: string;
  /** The client's base URL, which next links must stay under. */
  readonly baseUrl: string;

  constructor(url: string, link: string, baseUrl: string) {
    super(
      `GET ${url} named its next page ${link}, outside the client's base URL ${baseUrl}: not followed, so the client's credentials are not sent there. ` +
        "If the server is behind a proxy, set the server's publicUrl to the address clients reach it at.",
    );
    this.url = url;
    this.link = link;
    this.baseUrl = baseUrl;
  }
}
