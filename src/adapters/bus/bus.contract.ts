import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/eventually.js';
import { NoResponderError } from './bus-errors.js';
import { eventPattern, eventSubject, redeliverLater, type Bus, type BusMessage } from './port.js';

export interface BusContractOptions {
  /** The first subject token the bus's stream takes. Default `wa`. */
  subjectRoot?: string;
}

/**
 * The behaviour every bus adapter must show. `open` gives a bus on the same backing store each time; each
 * case uses its own company token and queue names, so messages a stream keeps from other cases never match.
 */
export function busContract(name: string, open: () => Promise<Bus>, options: BusContractOptions = {}): void {
  const root = options.subjectRoot ?? 'wa';

  describe(`bus contract: ${name}`, () => {
    let bus: Bus;
    let company: string;
    const subject = (sessionId: string, type: string) => `${root}.${company}.${sessionId}.${type}`;
    const publish = async (sessionId: string, type: string, id = randomUUID()) => {
      const message = busMessage(company, sessionId, type, id);
      await bus.publish(subject(sessionId, type), message, id);
      return message;
    };

    beforeEach(async () => {
      company = `co${randomBytes(4).toString('hex')}`;
      bus = await open();
    });
    afterEach(async () => {
      await bus?.close();
    });

    describe('subscribe', () => {
      it('matches patterns with * and > wildcards', async () => {
        const one = received();
        const all = received();
        await bus.subscribe(`${root}.${company}.*.MessageReceived`, one.handler);
        await bus.subscribe(`${root}.${company}.>`, all.handler);
        const first = await publish('s1', 'MessageReceived');
        const acked = await publish('s2', 'MessageAcked');
        const last = await publish('s3', 'MessageReceived');
        await eventually(() => one.ids().length === 2 && all.ids().length === 3);
        expect(one.ids()).toEqual([first.eventId, last.eventId]);
        expect(all.ids()).toEqual([first.eventId, acked.eventId, last.eventId]);
        expect(one.subjects()).toEqual([subject('s1', 'MessageReceived'), subject('s3', 'MessageReceived')]);
      });

      it('gives every subscriber its own copy of each message', async () => {
        const a = received();
        const b = received();
        await bus.subscribe(`${root}.${company}.>`, a.handler);
        await bus.subscribe(`${root}.${company}.>`, b.handler);
        const message = await publish('s1', 'MessageReceived');
        await eventually(() => a.ids().length === 1 && b.ids().length === 1);
        expect(a.messages[0]).toEqual(message);
        expect(b.messages[0]).toEqual(message);
      });

      it('does not deliver messages of other subjects', async () => {
        const mine = received();
        await bus.subscribe(`${root}.${company}.s1.MessageReceived`, mine.handler);
        await bus.publish(
          `${root}.other${company}.s1.MessageReceived`,
          busMessage('x', 's1', 'M', 'x'),
          randomUUID(),
        );
        await publish('s1', 'MessageAcked');
        await publish('s2', 'MessageReceived');
        const sentinel = await publish('s1', 'MessageReceived');
        await eventually(() => mine.ids().length > 0);
        expect(mine.ids()).toEqual([sentinel.eventId]);
      });

      it('delivers a repeated message id once', async () => {
        const all = received();
        await bus.subscribe(`${root}.${company}.>`, all.handler);
        const id = randomUUID();
        await publish('s1', 'MessageReceived', id);
        await publish('s1', 'MessageReceived', id);
        const sentinel = await publish('s1', 'MessageAcked');
        await eventually(() => all.ids().includes(sentinel.eventId));
        expect(all.ids()).toEqual([id, sentinel.eventId]);
      });

      it('keeps ids with dots, spaces and non-ASCII in one escaped token each, matched by type and by company', async () => {
        const dotted = `${company}.com.br`;
        const spaced = `São Paulo ${company}`;
        const byType = received();
        const byCompany = received();
        await bus.subscribe(eventPattern(root, { eventType: `Typed${company}` }), byType.handler);
        await bus.subscribe(eventPattern(root, { companyId: dotted }), byCompany.handler);
        const sent = [] as BusMessage[];
        for (const [companyId, sessionId] of [
          [dotted, 'sessão 1'],
          [spaced, 's.2'],
          [company, 's*3>'],
        ] as const) {
          const message = busMessage(companyId, sessionId, `Typed${company}`, randomUUID());
          await bus.publish(eventSubject(companyId, sessionId, message.type, root), message, message.eventId);
          sent.push(message);
        }
        await eventually(() => byType.ids().length === 3 && byCompany.ids().length === 1);
        expect(byType.messages).toEqual(sent);
        expect(byCompany.messages).toEqual([sent[0]]);
        expect(byCompany.subjects()).toEqual([
          `${root}.${company}%2Ecom%2Ebr.sess%C3%A3o%201.Typed${company}`,
        ]);
      });

      it('stops delivering after unsubscribe', async () => {
        const leaving = received();
        const staying = received();
        const subscription = await bus.subscribe(`${root}.${company}.>`, leaving.handler);
        await bus.subscribe(`${root}.${company}.>`, staying.handler);
        const first = await publish('s1', 'MessageReceived');
        await eventually(() => leaving.ids().length === 1 && staying.ids().length === 1);
        await subscription.unsubscribe();
        const second = await publish('s1', 'MessageReceived');
        await eventually(() => staying.ids().includes(second.eventId));
        await pause(100); // proving a negative: give a wrong delivery a moment to show up
        expect(leaving.ids()).toEqual([first.eventId]);
      });
    });

    describe('consume', () => {
      it('hands each message to exactly one consumer of the queue', async () => {
        const queue = `q${randomBytes(4).toString('hex')}`;
        const handled: string[] = [];
        const handler = (message: BusMessage) => {
          handled.push(message.eventId);
          return Promise.resolve();
        };
        await bus.consume(queue, `${root}.${company}.>`, handler);
        await bus.consume(queue, `${root}.${company}.>`, handler);
        const ids: string[] = [];
        for (let i = 0; i < 20; i++) ids.push((await publish(`s${i % 3}`, 'MessageSendRequested')).eventId);
        await eventually(() => new Set(handled).size === ids.length);
        await pause(200); // proving a negative: no second delivery
        expect([...handled].sort()).toEqual([...ids].sort());
      });

      it('redelivers a message whose handler rejected', async () => {
        const attempts: string[] = [];
        await bus.consume(
          `q${randomBytes(4).toString('hex')}`,
          `${root}.${company}.>`,
          (message) => {
            attempts.push(message.eventId);
            return attempts.length === 1
              ? Promise.reject(new Error('first attempt fails'))
              : Promise.resolve();
          },
          { retryDelayMs: 50 },
        );
        const message = await publish('s1', 'MessageSendRequested');
        await eventually(() => attempts.length === 2);
        expect(attempts).toEqual([message.eventId, message.eventId]);
      });

      it('gives a message again when its handler asks for it later, and not once it is done', async () => {
        const attempts: string[] = [];
        await bus.consume(
          `q${randomBytes(4).toString('hex')}`,
          `${root}.${company}.>`,
          (message) => {
            attempts.push(message.eventId);
            return Promise.resolve(attempts.length < 3 ? redeliverLater : undefined);
          },
          { retryDelayMs: 50 },
        );
        const message = await publish('s1', 'MessageSendRequested');
        await eventually(() => attempts.length === 3);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(attempts).toEqual([message.eventId, message.eventId, message.eventId]);
      });

      it('delivers messages published before the first consumer of the queue started', async () => {
        const before = [
          await publish('s1', 'MessageSendRequested'),
          await publish('s2', 'MessageSendRequested'),
        ];
        const handled: string[] = [];
        await bus.consume(
          `q${randomBytes(4).toString('hex')}`,
          `${root}.${company}.*.MessageSendRequested`,
          (m) => {
            handled.push(m.eventId);
            return Promise.resolve();
          },
        );
        await eventually(() => handled.length === 2);
        expect(handled.sort()).toEqual(before.map((m) => m.eventId).sort());
      });
    });

    it('carries a request to the process that serves its subject, with the answer or the error back', async () => {
      const subject = `${root}_ctl.${randomBytes(4).toString('hex')}`;
      await expect(bus.request(subject, { n: 1 }, 1000)).rejects.toBeInstanceOf(NoResponderError);
      const served = await bus.serve(subject, (request) => {
        const { n } = request as { n: number };
        if (n < 0) return Promise.reject(new RangeError('negative'));
        return Promise.resolve({ doubled: n * 2 });
      });
      expect(await bus.request(subject, { n: 21 }, 2000)).toEqual({ doubled: 42 });
      await expect(bus.request(subject, { n: -1 }, 2000)).rejects.toMatchObject({
        name: 'RemoteRequestError',
        remoteName: 'RangeError',
        message: 'negative',
      });
      await served.unsubscribe();
    });

    it('answers ping while open and not after close', async () => {
      expect(await bus.ping()).toBe(true);
      await bus.close();
      expect(await bus.ping()).toBe(false);
    });
  });
}

function received() {
  const messages: BusMessage[] = [];
  const subjects: string[] = [];
  return {
    messages,
    handler: (message: BusMessage, subject: string) => {
      messages.push(message);
      subjects.push(subject);
    },
    ids: () => messages.map((message) => message.eventId),
    subjects: () => subjects,
  };
}

function busMessage(companyId: string, sessionId: string, type: string, eventId: string): BusMessage {
  return {
    eventId,
    type,
    streamName: `session-${sessionId}`,
    revision: '0',
    position: '1',
    companyId,
    sessionId,
    data: { text: 'hello' },
    metadata: { companyId, sessionId },
    recordedAt: new Date(0).toISOString(),
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
