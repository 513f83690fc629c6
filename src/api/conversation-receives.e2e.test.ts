import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { openSocket, type TestGateway } from '../../test-support/gateway-harness.js';
import { startSendingGateway } from '../../test-support/sending-gateway.js';

type Message = Record<string, unknown> & { id: string };

describe('reactions, edits, deletions, votes and group changes received (PostgreSQL, NATS, simulator)', () => {
  let api: TestGateway;
  let admin: string;
  let sessionId: string;
  const contact = '5511988887777';
  const chat = `${contact}@c.us`;
  const group = '120363025246125486@g.us';

  beforeAll(async () => {
    ({ api, admin, sessionId } = await startSendingGateway());
  });
  afterAll(async () => {
    await api?.dispose();
  });

  const play = async (path: string, body: Record<string, unknown>) =>
    api.call('POST', `/simulator/sessions/${sessionId}/${path}`, { token: admin, body });
  const messagesOf = async (chatId: string) =>
    (await api.call('GET', `/whatsapp/sessions/${sessionId}/chats/${chatId}/messages`, { token: admin })).body
      .messages as Message[];
  const socket = () => openSocket(`${api.wsUrl}/ws/whatsapp/${sessionId}?token=${admin}`);

  it('pushes a reaction frame and shows the latest reaction of each sender', async () => {
    const ws = await socket();
    const id = (await play('incoming', { from: contact, body: 'Chegou?' })).body.id as string;
    expect((await play('react', { from: contact, messageId: id, emoji: '😀' })).status).toBe(202);
    expect((await play('react', { from: contact, messageId: id, emoji: '👍' })).status).toBe(202);
    const frame = await ws.next((f) => f.type === 'reaction' && f.data.emoji === '👍');
    expect(frame.data).toEqual({ id, chatId: chat, emoji: '👍', from: chat });
    expect((await messagesOf(chat)).find((m) => m.id === id)?.reactions).toEqual([
      { emoji: '👍', from: chat, timestamp: expect.any(Number) as unknown },
    ]);
    await ws.close();
  });

  it('pushes message_edit and message_revoke frames; the text stays readable after a deletion', async () => {
    const ws = await socket();
    const id = (await play('incoming', { from: contact, body: 'Preço: 10' })).body.id as string;
    expect((await play('edit', { from: contact, messageId: id, body: 'Preço: 12' })).status).toBe(204);
    expect((await ws.next((f) => f.type === 'message_edit' && f.data.id === id)).data).toEqual({
      id,
      chatId: chat,
      body: 'Preço: 12',
    });
    expect((await play('revoke', { from: contact, messageId: id })).status).toBe(204);
    expect((await ws.next((f) => f.type === 'message_revoke' && f.data.id === id)).data).toEqual({
      id,
      chatId: chat,
    });
    expect((await messagesOf(chat)).find((m) => m.id === id)).toMatchObject({
      body: 'Preço: 12',
      revoked: true,
      editedAt: expect.any(Number) as unknown,
    });
    await ws.close();
  });

  it('keeps the author of a group message, a reply’s quoted id and its mentions, on the frame as in the table', async () => {
    const ws = await socket();
    const first = (await play('incoming', { from: group, author: contact, body: 'Bom dia' })).body
      .id as string;
    const id = (
      await play('incoming', {
        from: group,
        author: '5511977776666',
        body: '@5511988887777 bom dia!',
        quotedId: first,
        mentions: [chat],
      })
    ).body.id as string;
    const frame = await ws.next((f) => f.type === 'message' && f.data.id === id);
    const expected = { author: '5511977776666@c.us', quotedId: first, mentions: [chat] };
    expect(frame.data).toMatchObject(expected);
    expect((await messagesOf(group)).find((m) => m.id === id)).toMatchObject(expected);
    await ws.close();
  });

  it('pushes a poll_vote frame and counts votes per option, a later vote replacing the voter’s earlier one', async () => {
    const ws = await socket();
    const sent = await api.call('POST', '/whatsapp/messages/send-poll', {
      token: admin,
      body: { sessionId, to: group, name: 'Almoço?', options: ['Sim', 'Não'], selectableCount: 1 },
    });
    const id = (sent.body.result as { id: string }).id;
    await play('vote', { from: contact, messageId: id, options: ['Sim'] });
    await play('vote', { from: '5511977776666', messageId: id, options: ['Sim'] });
    await play('vote', { from: contact, messageId: id, options: ['Não'] });
    const frame = await ws.next(
      (f) => f.type === 'poll_vote' && f.data.from === chat && (f.data.options as string[])[0] === 'Não',
    );
    expect(frame.data).toEqual({ id, chatId: group, from: chat, options: ['Não'] });
    expect((await messagesOf(group)).find((m) => m.id === id)?.poll).toEqual({
      name: 'Almoço?',
      options: [
        { name: 'Sim', votes: 1 },
        { name: 'Não', votes: 1 },
      ],
      selectableCount: 1,
    });
    await ws.close();
  });

  it('pushes a group_update frame for a participant change and logs it in Session_Logs', async () => {
    const ws = await socket();
    const played = await play('group-update', {
      groupId: group,
      action: 'promote',
      participants: ['5511977776666'],
    });
    expect(played.status).toBe(204);
    const frame = await ws.next((f) => f.type === 'group_update');
    expect(frame.data).toEqual({ chatId: group, action: 'promote', participants: ['5511977776666@c.us'] });
    const client = new pg.Client({ connectionString: api.databaseUrl });
    await client.connect();
    try {
      const logged = await eventually(async () => {
        const { rows } = await client.query<{ Message: string }>(
          `select "Message" from "Session_Logs" where "Session_Id" = $1 and "Event_Type" = 'GroupParticipantsChanged'`,
          [sessionId],
        );
        return rows.length > 0 && rows;
      });
      expect(logged[0]!.Message).toContain(`Group ${group}: promote 5511977776666@c.us`);
    } finally {
      await client.end();
    }
    await ws.close();
  });
});
