import { Decoder, Encoder } from 'socket.io-parser';
import { describe, expect, it, vi } from 'vitest';
import { RememberingEncoder } from './remembering-encoder.ts';

const event = (data: unknown[]) => ({ type: 2, nsp: '/admin', data });

describe('RememberingEncoder', () => {
  it('encodes exactly as socket.io-parser does, binary included, and its decoder reads it back', () => {
    const packets = [event(['message:new', { text: 'café ✓ 👋', n: 1 }]), event(['file', Buffer.from([1, 2, 3])]), { type: 0, nsp: '/visitor' }];
    for (const p of packets) expect(new RememberingEncoder().encode(p)).toEqual(new Encoder().encode(p));
    const decoded = new Promise((resolve) => {
      const decoder = new Decoder();
      decoder.on('decoded', resolve);
      decoder.add(new RememberingEncoder().encode(packets[0]!)[0] as string);
    });
    return expect(decoded).resolves.toMatchObject(packets[0]!);
  });

  it('hands the kept encoding to the next encode of that same packet, once, without encoding again', () => {
    const encoder = new RememberingEncoder();
    const packet = event(['message:new', { id: 'm1' }]);
    const kept = encoder.remember(packet);
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      expect(encoder.encode(packet)).toBe(kept);
      expect(stringify).not.toHaveBeenCalled();
      // Used once: a later encode of the same object (changed meanwhile) is encoded afresh.
      packet.data.push('offset');
      expect(encoder.encode(packet)).toEqual(['2/admin,["message:new",{"id":"m1"},"offset"]']);
    } finally {
      stringify.mockRestore();
    }
  });

  it('forgets the kept encoding when another packet is encoded first', () => {
    const encoder = new RememberingEncoder();
    const packet = event(['a']);
    encoder.remember(packet);
    expect(encoder.encode(event(['b']))).toEqual(['2/admin,["b"]']);
    packet.data[0] = 'changed';
    expect(encoder.encode(packet)).toEqual(['2/admin,["changed"]']);
  });
});
