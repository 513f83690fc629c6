import { describe, expect, it } from 'vitest';
import { whatsappFactEventId } from './deterministic-id.js';

describe('WhatsApp fact event ids', () => {
  it('are the same for the same session, fact and event type', () => {
    expect(whatsappFactEventId('s1', 'ABC', 'MessageReceived')).toBe(
      whatsappFactEventId('s1', 'ABC', 'MessageReceived'),
    );
  });

  it('differ when any part differs', () => {
    const ids = new Set([
      whatsappFactEventId('s1', 'ABC', 'MessageReceived'),
      whatsappFactEventId('s2', 'ABC', 'MessageReceived'),
      whatsappFactEventId('s1', 'ABD', 'MessageReceived'),
      whatsappFactEventId('s1', 'ABC', 'MessageRevoked'),
    ]);
    expect(ids.size).toBe(4);
  });

  it('are version 5 UUIDs', () => {
    expect(whatsappFactEventId('s', 'k', 't')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
