/** Escapes text for HTML element content and double-quoted attribute values. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What the authorize form shows and carries. */
export interface AuthorizePageModel {
  /** The consumer's name, as registered. */
  consumerName: string;
  /** The request token being authorized (hidden field). */
  oauthToken: string;
  /** An OAuth 1.0 callback given on the authorize URL (hidden field), if any. */
  oauthCallback?: string | undefined;
  /** Binds the post to this request token (hidden field). */
  formToken: string;
  /** The user name typed before, re-shown after an error. */
  userName?: string | undefined;
  /** A message shown above the form. */
  error?: string | undefined;
  /** Form action, relative to the page. */
  action: string;
}

const STYLE =
  'body{font:16px/1.4 system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}' +
  'label{display:block;margin:.8rem 0}input[type=text],input[type=password]{width:100%;padding:.4rem}' +
  '.error{color:#a00;border:1px solid #a00;padding:.5rem}button{padding:.5rem 1rem}';

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
${body}
</body></html>
`;
}

/**
 * The HTML form a user fills in to let an application (OAuth consumer) act on their behalf: user
 * name, password and an "authorize access" checkbox. Everything echoed is HTML-escaped.
 *
 * @param model - See {@link AuthorizePageModel}.
 * @returns A complete HTML document.
 */
export function authorizePage(model: AuthorizePageModel): string {
  const hidden = (name: string, value: string | undefined): string =>
    value === undefined ? '' : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">\n`;
  return page(
    'Authorize access',
    `<h1>Authorize access</h1>
<p>The application <strong>${escapeHtml(model.consumerName)}</strong> asks to read and write your series.</p>
${model.error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(model.error)}</p>\n`}<form method="post" action="${escapeHtml(model.action)}">
${hidden('oauth_token', model.oauthToken)}${hidden('oauth_callback', model.oauthCallback)}${hidden('form_token', model.formToken)}<label>User name <input type="text" name="user" autocomplete="username" required value="${escapeHtml(model.userName ?? '')}"></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<label><input type="checkbox" name="authorize" value="1"> authorize access</label>
<button type="submit">Continue</button>
</form>`,
  );
}

/**
 * A page with a title and one message (the app is authorized, the token is unknown, …).
 *
 * @param title - Heading and title.
 * @param message - Text of the message.
 * @param code - Optional code to show in a `<code>` element (the OAuth 1.0a verifier for `oob`).
 * @returns A complete HTML document.
 */
export function messagePage(title: string, message: string, code?: string): string {
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>${code === undefined ? '' : `\n<p><code>${escapeHtml(code)}</code></p>`}`,
  );
}
