import { describe, expect, it } from 'vitest';
import { SendFailedError } from '../port.js';
import { useFakeWppconnect } from './fake-wppconnect.js';

const to = '5511977776666@c.us';
const theirs = 'false_5511977776666@c.us_3EB0FF';
const mine = 'true_5511977776666@c.us_3EB0AA';

describe('WPPConnect driver: replies, mentions, polls, locations, reactions, edits and deletions', () => {
  const { started } = useFakeWppconnect();

  it('sends a reply with mentions as sendText does: quotedMsg and mentionedList', async () => {
    const { chromium, session } = await started();
    const sent = await session.sendText(to, 'Sim, @5511955554444', {
      quotedMessageId: theirs,
      mentions: ['5511955554444@c.us'],
    });
    expect(sent.waMessageId).toBe(mine);
    expect(chromium.wpp.chat.sendTextMessage).toHaveBeenCalledWith(to, 'Sim, @5511955554444', {
      quotedMsg: theirs,
      mentionedList: ['5511955554444@c.us'],
      waitForAck: true,
    });
    await session.stop();
  });

  it('sends a poll as sendPollMessage does, with how many options may be chosen', async () => {
    const { chromium, session } = await started();
    const sent = await session.sendPoll(to, { name: 'Dia?', options: ['Seg', 'Sex'], selectableCount: 1 });
    expect(sent).toMatchObject({ waMessageId: 'true_5511977776666@c.us_3EB0CC', ack: 2 });
    expect(chromium.wpp.chat.sendCreatePollMessage).toHaveBeenCalledWith(to, 'Dia?', ['Seg', 'Sex'], {
      selectableCount: 1,
      waitForAck: true,
    });
    await session.stop();
  });

  it('sends a location as sendLocation does, with its name when given', async () => {
    const { chromium, session } = await started();
    await session.sendLocation(to, { latitude: -23.55, longitude: -46.63, name: 'Sé' });
    await session.sendLocation(to, { latitude: 1, longitude: 2, name: null });
    expect(chromium.wpp.chat.sendLocationMessage.mock.calls).toEqual([
      [to, { lat: -23.55, lng: -46.63, name: 'Sé', waitForAck: true }],
      [to, { lat: 1, lng: 2, waitForAck: true }],
    ]);
    await session.stop();
  });

  it('reacts as sendReactionToMessage does, taking a reaction back with false, and answers the message’s id', async () => {
    const { chromium, session } = await started();
    await expect(session.react(to, theirs, '👍')).resolves.toMatchObject({ waMessageId: theirs });
    await session.react(to, theirs, '');
    expect(chromium.wpp.chat.sendReactionToMessage.mock.calls).toEqual([
      [theirs, '👍'],
      [theirs, false],
    ]);
    await session.stop();
  });

  it('edits as editMessage does, answering the id of the message edited', async () => {
    const { chromium, session } = await started();
    await expect(session.editMessage(to, mine, 'novo texto')).resolves.toMatchObject({ waMessageId: mine });
    expect(chromium.wpp.chat.editMessage).toHaveBeenCalledWith(mine, 'novo texto', { waitForAck: true });
    await session.stop();
  });

  it('deletes for everyone as deleteMessage does (revoke), and fails when WhatsApp did not revoke it', async () => {
    const { chromium, session } = await started();
    await expect(session.revokeMessage(to, mine)).resolves.toMatchObject({ waMessageId: mine });
    expect(chromium.wpp.chat.deleteMessage).toHaveBeenCalledWith(to, mine, true, true);
    chromium.wpp.chat.deleteMessage.mockResolvedValueOnce({ id: mine, isRevoked: false, isDeleted: true });
    await expect(session.revokeMessage(to, mine)).rejects.toBeInstanceOf(SendFailedError);
    await session.stop();
  });

  it('refuses a change WA-JS refuses with a code of its own, without calling it again', async () => {
    const { chromium, session } = await started();
    chromium.wpp.chat.editMessage.mockRejectedValueOnce(
      Object.assign(new Error('Message is too old to edit'), { code: 'edit_window_expired' }),
    );
    await expect(session.editMessage(to, mine, 'tarde')).rejects.toMatchObject({
      name: 'SendFailedError',
      permanent: false,
    });
    expect(chromium.wpp.chat.editMessage).toHaveBeenCalledOnce();
    await session.stop();
  });
});
