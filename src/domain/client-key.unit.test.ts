import { describe, expect, it } from 'vitest';
import { clientKeyOf } from './client-key.js';

describe('clientKeyOf', () => {
  it('names a contact by its number, or by its linked-device id while the number is hidden', () => {
    expect(clientKeyOf('5511988881234@c.us')).toBe('5511988881234');
    expect(clientKeyOf('201234567890123@lid')).toBe('201234567890123@lid');
  });

  it('names no row for groups, broadcasts or an erased id', () => {
    for (const jid of ['120363025246125486@g.us', 'status@broadcast', '', '@c.us'])
      expect(clientKeyOf(jid), jid).toBeUndefined();
  });
});
