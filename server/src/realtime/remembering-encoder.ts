/**
 * socket.io-parser's encoder, able to hand back the encoding of a packet it was just asked to
 * keep. The recovery store (recovery-adapter.ts) keeps every broadcast as its encoded text, and
 * socket.io then encodes the very same packet object to send it: with this encoder the second
 * encode is the first one's result, not a second `JSON.stringify` of the message and its
 * conversation (two broadcasts per visitor message). What goes on the wire is unchanged:
 * the parser's own encoding, the parser's own decoder.
 *
 * One packet, used once: the next encode of anything takes it or forgets it, so a packet object
 * changed after it was kept can never go out as it was (the adapter keeps and sends synchronously).
 */
import { Decoder, Encoder } from 'socket.io-parser';

type Packet = Parameters<Encoder['encode']>[0];
type Encoded = ReturnType<Encoder['encode']>;

export class RememberingEncoder extends Encoder {
  private kept: { packet: Packet; encoded: Encoded } | null = null;

  /** Encode `packet` and keep the result for the next `encode` of this same object. */
  remember(packet: Packet): Encoded {
    const encoded = super.encode(packet);
    this.kept = { packet, encoded };
    return encoded;
  }

  override encode(packet: Packet): Encoded {
    const kept = this.kept;
    this.kept = null;
    return kept?.packet === packet ? kept.encoded : super.encode(packet);
  }
}

/** socket.io's `parser` option: the standard wire format, with the encoder above. */
export const rememberingParser = { Encoder: RememberingEncoder, Decoder };
