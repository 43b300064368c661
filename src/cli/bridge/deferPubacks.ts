import type { IPublishPacket, MqttClient } from 'mqtt';

/** What {@link deferPubacks} returns: the way to send a held PUBACK. */
export interface DeferredPubacks {
  /** Sends the PUBACK of `messageId` now, if connected (false when not: the broker sends the message again after reconnecting). */
  puback(messageId: number): boolean;
}

/** mqtt.js internals used here (mqtt 5.x), in one place. */
interface MqttInternals {
  handleMessage(packet: IPublishPacket, callback: (error?: Error) => void): void;
  _sendPacket(packet: { cmd: 'puback'; messageId: number; reasonCode?: number }, cb?: () => void): void;
  stream?: { cork?: () => void; uncork?: () => void };
}

/** Returned to mqtt.js for every message: its QoS 1 path then skips its own PUBACK and reads the next packet. */
const HELD = new Error('PUBACK held by the bridge until the server acknowledged the message');

/**
 * Takes over the acknowledgement of incoming messages on an mqtt.js client, so that a QoS 1
 * message is acknowledged only when `onMessage`'s caller says so, while the client goes on reading
 * further messages.
 *
 * mqtt.js's own manual acknowledgement (`customHandleAcks`, `handleMessage`) handles one message at
 * a time: the next packet is read only after the previous one was acknowledged, so holding each
 * PUBACK until a batch is written would let one message through per batch. Here `handleMessage`
 * answers at once with an error, which mqtt.js's QoS 1 path takes as "send no PUBACK" (and QoS 0 as
 * done), and the PUBACK is sent later through the client's packet writer. PUBACKs sent in one turn of
 * the event loop are written together (the socket is corked until the next tick).
 *
 * @param client - A client created with `manualConnect` or before its first message arrives.
 * @param onMessage - Called for every incoming PUBLISH, in order.
 * @returns The way to send a held PUBACK.
 */
export function deferPubacks(client: MqttClient, onMessage: (packet: IPublishPacket) => void): DeferredPubacks {
  const internals = client as unknown as MqttInternals;
  internals.handleMessage = (packet, callback) => {
    onMessage(packet);
    callback(HELD);
  };
  let corked: MqttInternals['stream'] | undefined;
  return {
    puback(messageId) {
      if (!client.connected) return false;
      const stream = internals.stream;
      if (!corked && stream?.cork && stream.uncork) {
        corked = stream;
        stream.cork();
        process.nextTick(() => {
          corked?.uncork?.();
          corked = undefined;
        });
      }
      internals._sendPacket({ cmd: 'puback', messageId, reasonCode: 0 });
      return true;
    },
  };
}
