import { describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import type { WhatsAppDriver } from '../adapters/whatsapp/port.js';
import { createSimulatorDriver } from '../adapters/whatsapp/simulator/simulator-driver.js';
import { useSupervisorTestBed } from '../../test-support/supervisor-test-bed.js';
import { createIntakeLoad, type IntakeLoad } from './intake-load.js';

const bed = useSupervisorTestBed();
const { fast, supervise, connected } = bed;

describe('what a supervised driver reports, as recorded', () => {
  it('records incoming messages of every kind, once even when WhatsApp reports them twice', async () => {
    const simulator = createSimulatorDriver({ settings: fast });
    const supervisor = supervise(reportingTwice(simulator));
    const sessionId = await connected(simulator, supervisor);
    await simulator.incoming(sessionId, { from: '5511988887777', body: 'Oi', name: 'João' });
    await simulator.incoming(sessionId, {
      from: '5511988887777',
      body: '',
      media: { mimetype: 'application/pdf', fileName: 'boleto.pdf', size: 1024 },
    });
    await simulator.incoming(sessionId, {
      from: '120363025246125486@g.us',
      author: '5511977776666',
      body: 'Bom dia grupo',
      name: 'Maria',
    });
    const individual = await eventually(async () => {
      const events = await bed.store.readStream(`chat-${sessionId}_5511988887777@c.us`);
      return events.length >= 2 && events;
    });
    const group = await eventually(async () => {
      const events = await bed.store.readStream(`chat-${sessionId}_120363025246125486@g.us`);
      return events.length >= 1 && events;
    });
    await supervisor.shutdown();
    expect(await bed.store.readStream(`chat-${sessionId}_5511988887777@c.us`)).toHaveLength(2);
    expect(individual.map((e) => [e.type, e.data.type, e.data.body])).toEqual([
      ['MessageReceived', 'chat', 'Oi'],
      ['MessageReceived', 'application', ''],
    ]);
    expect(individual[1]!.data.media).toMatchObject({
      mimetype: 'application/pdf',
      fileName: 'boleto.pdf',
      size: 1024,
      location: null,
    });
    expect(group).toHaveLength(1);
    expect(group[0]!.data).toMatchObject({
      isGroup: true,
      from: '5511977776666@c.us',
      senderPhone: '5511977776666',
      senderName: 'Maria',
    });
    expect(group[0]!.metadata).toMatchObject({ actor: { type: 'whatsapp', id: sessionId } });
  });

  it('counts each fact as intake while it is recorded, so that background work yields to it', async () => {
    const intake = createIntakeLoad();
    const tracked: Promise<unknown>[] = [];
    const counting: IntakeLoad = {
      ...intake,
      track: (work) => {
        const counted = intake.track(work);
        tracked.push(counted);
        return counted;
      },
    };
    const simulator = createSimulatorDriver({ settings: fast });
    const supervisor = supervise(simulator, { intake: counting });
    const sessionId = await connected(simulator, supervisor);
    await eventually(() => intake.inFlight() === 0);
    const before = tracked.length;
    const message = simulator.incoming(sessionId, { from: '5511988887777', body: 'Oi' });
    await eventually(() => tracked.length > before);
    // Counted from the callback until the message is stored: once its count ends, it can be read.
    await Promise.all(tracked.slice(before));
    expect(await bed.store.readStream(`chat-${sessionId}_5511988887777@c.us`)).toHaveLength(1);
    await message;
    await eventually(() => intake.inFlight() === 0);
    await supervisor.shutdown();
  });

  it('keeps an incoming message holding U+0000, with U+FFFD in its place, instead of losing it', async () => {
    const simulator = createSimulatorDriver({ settings: fast });
    const supervisor = supervise(simulator);
    const sessionId = await connected(simulator, supervisor);
    await simulator.incoming(sessionId, {
      from: '5511988887777',
      body: 'antes\u0000depois',
      name: 'Jo\u0000ão',
      media: { mimetype: 'application/pdf', fileName: 'a\u0000.pdf', caption: '\u0000', size: 1 },
    });
    const [received] = await eventually(async () => {
      const events = await bed.store.readStream(`chat-${sessionId}_5511988887777@c.us`);
      return events.length >= 1 && events;
    });
    await supervisor.shutdown();
    expect(received!.data).toMatchObject({
      body: 'antes\uFFFDdepois',
      senderName: 'Jo\uFFFDão',
      media: { fileName: 'a\uFFFD.pdf', caption: '\uFFFD' },
    });
  });

  it('records @lid mappings, reactions, edits, votes and group changes in the streams they belong to', async () => {
    const simulator = createSimulatorDriver({ settings: fast });
    const supervisor = supervise(simulator);
    const sessionId = await connected(simulator, supervisor);
    const lid = '179950657237125@lid';
    const id = await simulator.incoming(sessionId, { from: lid, phone: '5511977776666', body: 'Almoço?' });
    await simulator.react(sessionId, { from: lid, messageId: id, emoji: '👍' });
    await simulator.edit(sessionId, { from: lid, messageId: id, body: 'Janta?' });
    await simulator.vote(sessionId, { from: lid, messageId: id, options: ['Sim'] });
    await simulator.groupUpdate(sessionId, {
      groupId: '120363025246125486@g.us',
      action: 'add',
      participants: ['5511955554444'],
    });
    await supervisor.shutdown();
    const chat = await bed.store.readStream(`chat-${sessionId}_5511977776666@c.us`);
    expect(chat.map((e) => e.type)).toEqual([
      'MessageReceived',
      'MessageReacted',
      'MessageEdited',
      'PollVoted',
    ]);
    expect(chat[0]!.data).toMatchObject({ from: '5511977776666@c.us', senderLid: lid });
    expect(chat[1]!.data).toMatchObject({ waMessageId: id, from: '5511977776666@c.us', emoji: '👍' });
    const session = (await bed.store.readStream(`session-${sessionId}`)).map((e) => [e.type, e.data]);
    expect(session).toContainEqual(['ContactLidMapped', { lid, phoneJid: '5511977776666@c.us' }]);
    expect(session).toContainEqual([
      'GroupParticipantsChanged',
      {
        groupJid: '120363025246125486@g.us',
        action: 'add',
        participants: ['5511955554444@c.us'],
        by: expect.stringMatching(/@c\.us$/) as unknown,
      },
    ]);
  });

  it('ends at the highest delivery status when acks arrive out of order', async () => {
    const simulator = createSimulatorDriver({ settings: { ...fast, ackDelaysMs: [40, 20, 5] } });
    const reported: number[] = [];
    const supervisor = supervise(countingAcks(simulator, reported));
    const sessionId = await connected(simulator, supervisor);
    const sent = await supervisor.driverSession(sessionId)!.sendText('5511988887777@c.us', 'Olá');
    await eventually(() => reported.length === 3);
    await supervisor.shutdown();
    expect(reported).toEqual([4, 3, 2]);
    const acks = (await bed.store.readStream(`chat-${sessionId}_5511988887777@c.us`)).filter(
      (e) => e.type === 'MessageAckChanged',
    );
    expect(acks.map((e) => [e.data.waMessageId, e.data.ack])).toEqual([[sent.waMessageId, 4]]);
  });
});

/** A driver that notes each ack it reports. */
function countingAcks(driver: WhatsAppDriver, reported: number[]): WhatsAppDriver {
  return {
    ...driver,
    start: ({ sessionId, callbacks }) =>
      driver.start({
        sessionId,
        callbacks: { ...callbacks, onAck: (ack) => (reported.push(ack.ack), callbacks.onAck(ack)) },
      }),
  };
}

/** A driver whose every WhatsApp callback is delivered twice, as WhatsApp Web sometimes does. */
function reportingTwice(driver: WhatsAppDriver): WhatsAppDriver {
  return {
    ...driver,
    start: ({ sessionId, callbacks }) =>
      driver.start({
        sessionId,
        callbacks: {
          ...callbacks,
          onMessage: (message) => (callbacks.onMessage(message), callbacks.onMessage(message)),
          onAck: (ack) => (callbacks.onAck(ack), callbacks.onAck(ack)),
        },
      }),
  };
}
