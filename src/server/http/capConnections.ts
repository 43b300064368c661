import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Keeps at most `max` connections open on `server`. A connection over the cap closes, in this
 * order, the oldest connection that has not sent a complete request yet (opened ahead of use, or
 * still sending its headers), else the one idle longest between requests, else itself when every
 * connection has a request in progress (event streams, uploads).
 *
 * Why evict rather than refuse: with the cap below the open-file limit the server can always
 * accept, so its listen queue drains and a new client is served at once. Refusing at the cap
 * (Node's `server.maxConnections`) or hitting the limit (libuv then accepts and drops) both lock
 * new clients out for as long as the idle sockets are held.
 *
 * @param server - The HTTP server, before it listens.
 * @param max - The cap (`Infinity`: none).
 */
export function capConnections(server: Server, max: number): void {
  if (!Number.isFinite(max)) return;
  const live = new Set<Socket>();
  // Connections without a request in progress, oldest first (Sets iterate in insertion order).
  const unused = new Set<Socket>();
  const idle = new Set<Socket>();
  const forget = (socket: Socket): void => {
    live.delete(socket);
    unused.delete(socket);
    idle.delete(socket);
  };
  const oldest = (set: Set<Socket>, except: Socket): Socket | undefined => {
    for (const socket of set) if (socket !== except) return socket;
    return undefined;
  };
  server.on('connection', (socket: Socket) => {
    live.add(socket);
    unused.add(socket);
    socket.once('close', () => forget(socket));
    if (live.size <= max) return;
    const victim = oldest(unused, socket) ?? oldest(idle, socket) ?? socket;
    // destroy() closes the descriptor at once; forget now so a burst of accepts counts right.
    forget(victim);
    victim.destroy();
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    if (!live.has(socket)) return;
    unused.delete(socket);
    idle.delete(socket);
    response.once('close', () => {
      if (live.has(socket) && !socket.destroyed) idle.add(socket);
    });
  });
}
