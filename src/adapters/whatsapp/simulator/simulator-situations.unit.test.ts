import { describe, expect, it } from 'vitest';
import type { DriverCallbacks, IncomingWhatsAppMessage } from '../port.js';
import { createSimulatorDriver } from './simulator-driver.js';

function recorder() {
  const messages: IncomingWhatsAppMessage[] = [];
  const facts: { kind: string; fact: unknown }[] = [];
  const fact = (kind: string) => (value: unknown) => void facts.push({ kind, fact: value });
  const callbacks: DriverCallbacks = {
    onQrCode: () => undefined,
    onStatus: () => undefined,
    onMessage: (message) => void messages.push(message),
    onAck: () => undefined,
    onRevoked: fact('revoke'),
    onEdited: fact('edit'),
    onReaction: fact('reaction'),
    onPollVote: fact('vote'),
    onParticipantsChanged: fact('participants'),
    onLidMapped: fact('lid'),
  };
  return { messages, facts, callbacks };
}

async function connected() {
  const simulator = createSimulatorDriver({ settings: { ackDelaysMs: [1, 2, 3] } });
  const seen = recorder();
  await simulator.start({ sessionId: 's1', callbacks: seen.callbacks });
  await simulator.scan('s1');
  return { simulator, seen };
}

describe('simulator: WhatsApp as it really is', () => {
  it('keeps a contact writing from its @lid, with its phone, in the chat of its phone JID', async () => {
    const { simulator, seen } = await connected();
    const first = await simulator.incoming('s1', {
      from: '179950657237125@lid',
      phone: '5511977776666',
      body: 'Oi, tudo bem?',
      name: 'João',
    });
    await simulator.incoming('s1', { from: '179950657237125@lid', phone: '5511977776666', body: 'Tá aí?' });
    expect(first).toMatch(/^false_179950657237125@lid_/);
    expect(seen.messages.map((m) => m.chatJid)).toEqual(['5511977776666@c.us', '5511977776666@c.us']);
    expect(seen.messages[0]).toMatchObject({
      from: '5511977776666@c.us',
      senderPhone: '5511977776666',
      senderLid: '179950657237125@lid',
    });
    expect(seen.facts).toEqual([
      { kind: 'lid', fact: { lid: '179950657237125@lid', phoneJid: '5511977776666@c.us' } },
    ]);
    await simulator.close();
  });

  it('keeps a @lid whose phone is not known as it is', async () => {
    const { simulator, seen } = await connected();
    await simulator.incoming('s1', { from: '179950657237125@lid', body: 'oi' });
    expect(seen.messages[0]).toMatchObject({ chatJid: '179950657237125@lid', senderPhone: null });
    await simulator.close();
  });

  it('records no status (story), and one message, with its text, for one that arrived encrypted', async () => {
    const { simulator, seen } = await connected();
    await simulator.incoming('s1', { from: 'status@broadcast', body: 'minha viagem' });
    await simulator.incoming('s1', { from: '5511977776666', body: 'Oi, tudo bem?', encrypted: true });
    expect(seen.messages.map((m) => m.body)).toEqual(['Oi, tudo bem?']);
    await simulator.close();
  });

  it('carries a location, a reply and mentions', async () => {
    const { simulator, seen } = await connected();
    await simulator.incoming('s1', {
      from: '5511977776666',
      body: '',
      location: { lat: -23.55, lng: -46.63, description: 'Praça da Sé' },
      quotedId: 'true_5511977776666@c.us_3EB0AA',
      mentions: ['5511966665555'],
    });
    expect(seen.messages[0]).toMatchObject({
      type: 'location',
      location: { lat: -23.55, lng: -46.63, description: 'Praça da Sé' },
      quotedMsgId: 'true_5511977776666@c.us_3EB0AA',
      mentionedJidList: ['5511966665555@c.us'],
    });
    await simulator.close();
  });

  it('plays reactions, edits, votes, revocations and group changes in the chat of the message', async () => {
    const { simulator, seen } = await connected();
    const id = await simulator.incoming('s1', {
      from: '179950657237125@lid',
      phone: '5511977776666',
      body: 'oi',
    });
    const reactionId = await simulator.react('s1', { from: '5511977776666', messageId: id, emoji: '👍' });
    await simulator.edit('s1', { from: '5511977776666', messageId: id, body: 'oi!' });
    await simulator.vote('s1', { from: '5511977776666', messageId: id, options: ['Sim'] });
    await simulator.revoke('s1', { from: '5511977776666', messageId: id });
    await simulator.groupUpdate('s1', {
      groupId: '120363025246125486@g.us',
      action: 'add',
      participants: ['5511955554444'],
    });
    const chatJid = '5511977776666@c.us';
    expect(seen.facts.slice(1)).toMatchObject([
      { kind: 'reaction', fact: { waMessageId: id, chatJid, reactionId, from: chatJid, emoji: '👍' } },
      { kind: 'edit', fact: { waMessageId: id, chatJid, body: 'oi!' } },
      { kind: 'vote', fact: { waMessageId: id, chatJid, from: chatJid, selectedOptions: ['Sim'] } },
      { kind: 'revoke', fact: { waMessageId: id, chatJid } },
      {
        kind: 'participants',
        fact: { groupJid: '120363025246125486@g.us', action: 'add', participants: ['5511955554444@c.us'] },
      },
    ]);
    await simulator.close();
  });
});
