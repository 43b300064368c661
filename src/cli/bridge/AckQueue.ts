/** One message waiting for its acknowledgement, as {@link AckQueue.add} hands it out. */
export interface AckTicket {
  /** The MQTT packet id (undefined for QoS 0: nothing to acknowledge). */
  readonly messageId: number | undefined;
  /** The connection it arrived on ({@link AckQueue.newConnection}). */
  readonly connection: number;
  /** Settled: written, or given up on (bad payload, refused). */
  done: boolean;
}

/**
 * The PUBACKs of the bridge, in the order the messages arrived (MQTT requires QoS 1 acknowledgements
 * in the order of the PUBLISH packets). A message is added on arrival and settled once the server
 * acknowledged the batch holding it (or once it is known it never will be: a bad payload). Settled
 * messages at the head are released in order: `send(messageId)` for those that came on the current
 * connection; those that came on an earlier one are released without a PUBACK, since the broker
 * sends them again on the new connection and a late PUBACK could acknowledge another message that
 * reuses the packet id. Memory: one small object per unacknowledged message, bounded by the
 * broker's in-flight window (the bridge's Receive Maximum).
 *
 * @example
 * ```ts
 * const acks = new AckQueue((id) => sendPuback(id));
 * const t = acks.add(packet.messageId);
 * // … once the batch holding it is written:
 * acks.settle(t);
 * ```
 */
export class AckQueue {
  private entries: AckTicket[] = [];
  private head = 0;
  private current = 0;
  /** PUBACKs sent so far. */
  acknowledged = 0;
  /** Messages released without a PUBACK because their connection had closed. */
  stale = 0;

  /**
   * @param send - Sends the PUBACK of one packet id on the current connection.
   * @param onRelease - Told of every ticket leaving the queue, PUBACKed or not (e.g. to forget its stamp).
   */
  constructor(
    private readonly send: (messageId: number) => void,
    private readonly onRelease: (ticket: AckTicket, acknowledged: boolean) => void = () => undefined,
  ) {}

  /** Messages added and not yet released. */
  get pending(): number {
    return this.entries.length - this.head;
  }

  /** A connection to the broker opened or closed: from now on, messages from before it get no PUBACK. Returns the new connection number. */
  newConnection(): number {
    return ++this.current;
  }

  /** The connection number messages arriving now belong to. */
  get connection(): number {
    return this.current;
  }

  /** Queues one arrived message. */
  add(messageId: number | undefined): AckTicket {
    const ticket: AckTicket = { messageId, connection: this.current, done: false };
    this.entries.push(ticket);
    return ticket;
  }

  /** Marks one message settled and releases the settled run at the head. Settling twice does nothing. */
  settle(ticket: AckTicket): void {
    ticket.done = true;
    this.release();
  }

  /** Marks several settled, then releases once. */
  settleAll(tickets: Iterable<AckTicket>): void {
    for (const t of tickets) t.done = true;
    this.release();
  }

  private release(): void {
    const entries = this.entries;
    let head = this.head;
    while (head < entries.length && entries[head]!.done) {
      const t = entries[head++]!;
      const ack = t.connection === this.current && t.messageId !== undefined;
      if (ack) {
        this.acknowledged++;
        this.send(t.messageId);
      } else if (t.messageId !== undefined) this.stale++;
      this.onRelease(t, ack);
    }
    // Drop the released prefix once it is most of the array (amortised O(1) a message).
    if (head > 1024 && head * 2 > entries.length) {
      this.entries = entries.slice(head);
      head = 0;
    }
    this.head = head;
  }
}
