import { describe, expect, it } from 'vitest';
import { chatJid, incoming, sendRequested, sent } from '../../../test-support/chat-fixtures.js';
import { chatDecider } from './chat-decider.js';
import type { ChatEvent } from './chat-events.js';
import { chatStateWindow } from './chat-state.js';

describe("a chat's decision state", () => {
  it('stays bounded however long the chat: a window of recent messages, and the unread count', () => {
    const events: ChatEvent[] = Array.from({ length: 10_000 }, (_, n) => ({
      type: 'MessageReceived',
      data: { ...incoming, waMessageId: `false_${chatJid}_${n}`, chatJid },
    }));
    const state = events.reduce((s, e) => chatDecider.evolve(s, e), chatDecider.initialState());
    expect(state.recentMessages).toHaveLength(chatStateWindow);
    expect(state.recentMessages.at(-1)?.waMessageId).toBe(`false_${chatJid}_9999`);
    expect(state.unread).toBe(10_000);
  });
  it('keeps no settled send open, and no text of any send', () => {
    const state = [sendRequested, sent].reduce(
      (s, e) => chatDecider.evolve(s, e),
      chatDecider.initialState(),
    );
    expect(state.openSends).toEqual([]);
    expect(JSON.stringify(state)).not.toContain('Como posso ajudar');
  });
});
