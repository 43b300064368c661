// A TCP proxy on 127.0.0.1 port 0 in front of the REAL server, for fault-injection specs: it can be
// pointed at another backend (a restarted server keeps its address from the client's view), cut
// every open connection, refuse the next N connections, or cut the next N connections after a
// number of response bytes. It never answers HTTP itself: every answer comes from the real server.
import { createConnection, createServer, type Socket } from 'node:net';

export interface FaultProxy {
  /** `http://127.0.0.1:PORT` of the proxy. */
  url: string;
  /** Sends new connections to this backend port from now on. */
  setTarget(port: number): void;
  /** Destroys every open connection (both sides). */
  cutAll(): void;
  /** Cuts each of the next `n` connections once `afterBytes` bytes of the answer have passed. */
  cutNext(n: number, afterBytes: number): void;
  /** Stalls each of the next `n` connections once `afterBytes` bytes of the answer have passed: nothing more is forwarded, the connection stays open (a hung proxy). */
  stallNext(n: number, afterBytes: number): void;
  /** Cuts each of the next `n` connections once `afterBytes` bytes of the request have passed (an upload dropped mid-body). */
  cutUploadNext(n: number, afterBytes: number): void;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  let target = targetPort;
  let connections = 0;
  let cuts: { n: number; afterBytes: number } = { n: 0, afterBytes: 0 };
  let uploadCuts: { n: number; afterBytes: number } = { n: 0, afterBytes: 0 };
  let stalls: { n: number; afterBytes: number } = { n: 0, afterBytes: 0 };
  const open = new Set<Socket>();
  const server = createServer((client) => {
    connections++;
    const upstream = createConnection({ host: '127.0.0.1', port: target });
    open.add(client);
    open.add(upstream);
    const cutAfter = cuts.n > 0 ? (cuts.n--, cuts.afterBytes) : -1;
    const cutUploadAfter = uploadCuts.n > 0 ? (uploadCuts.n--, uploadCuts.afterBytes) : -1;
    const stallAfter = stalls.n > 0 ? (stalls.n--, stalls.afterBytes) : -1;
    let passed = 0;
    let sent = 0;
    const kill = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', () => (open.delete(client), upstream.destroy()));
    upstream.on('close', () => (open.delete(upstream), client.destroy()));
    client.on('error', kill);
    upstream.on('error', kill);
    client.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      if (cutUploadAfter >= 0 && sent > cutUploadAfter) {
        upstream.write(chunk.subarray(0, Math.max(0, chunk.length - (sent - cutUploadAfter))));
        kill();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      passed += chunk.length;
      if (stallAfter >= 0 && passed > stallAfter) {
        const keep = Math.max(0, chunk.length - (passed - stallAfter));
        if (keep > 0 && passed - chunk.length < stallAfter) client.write(chunk.subarray(0, keep));
        return;
      }
      if (cutAfter >= 0 && passed > cutAfter) {
        client.write(chunk.subarray(0, Math.max(0, chunk.length - (passed - cutAfter))));
        kill();
        return;
      }
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    setTarget: (p) => void (target = p),
    cutAll: () => open.forEach((s) => s.destroy()),
    cutNext: (n, afterBytes) => void (cuts = { n, afterBytes }),
    cutUploadNext: (n, afterBytes) => void (uploadCuts = { n, afterBytes }),
    stallNext: (n, afterBytes) => void (stalls = { n, afterBytes }),
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        open.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}
