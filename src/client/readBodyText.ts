const aborted = (signal: AbortSignal): unknown => (signal.reason as unknown) ?? new DOMException('aborted', 'AbortError');

/**
 * Feeds a response body to `onText` chunk by chunk as it arrives, decoded as UTF-8. Handles web
 * `ReadableStream` bodies (browsers, Node's fetch) and Node stream bodies (node-fetch, which
 * cross-fetch uses on Node) without importing Node modules.
 *
 * When `signal` aborts, the body is cancelled and the promise rejects with the abort reason, even
 * where the fetch implementation leaves a read pending after its own signal aborted (Node's fetch
 * does, on a body whose last bytes have not arrived).
 */
export async function readBodyText(response: Response, onText: (text: string) => void, signal?: AbortSignal): Promise<void> {
  const decoder = new TextDecoder();
  const body = response.body as unknown;
  if (signal?.aborted) throw aborted(signal);
  if (body === null || body === undefined) {
    onText(await response.text());
    return;
  }
  if (typeof (body as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    const cancel = (): void => void reader.cancel().catch(() => undefined);
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (signal?.aborted) throw aborted(signal);
        if (done) break;
        onText(decoder.decode(value, { stream: true }));
      }
    } finally {
      signal?.removeEventListener('abort', cancel);
      reader.releaseLock();
    }
  } else {
    const stream = body as AsyncIterable<Uint8Array | string> & { destroy?: () => void };
    const destroy = (): void => stream.destroy?.();
    signal?.addEventListener('abort', destroy, { once: true });
    try {
      for await (const chunk of stream) {
        if (signal?.aborted) break;
        onText(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
      }
    } finally {
      signal?.removeEventListener('abort', destroy);
    }
    if (signal?.aborted) throw aborted(signal);
  }
  const rest = decoder.decode();
  if (rest) onText(rest);
}
