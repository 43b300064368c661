/**
 * Feeds a response body to `onText` chunk by chunk as it arrives, decoded as UTF-8. Handles web
 * `ReadableStream` bodies (browsers, Node's fetch) and Node stream bodies (node-fetch, which
 * cross-fetch uses on Node) without importing Node modules.
 */
export async function readBodyText(response: Response, onText: (text: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  const body = response.body as unknown;
  if (body === null || body === undefined) {
    onText(await response.text());
    return;
  }
  if (typeof (body as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        onText(decoder.decode(value, { stream: true }));
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
      onText(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    }
  }
  const rest = decoder.decode();
  if (rest) onText(rest);
}
