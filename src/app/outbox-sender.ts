import type { DistributiveOmit } from '../domain/distributive-omit.js';
import { eventPattern, redeliverLater, type BusMessage, type BusSubscription } from '../adapters/bus/port.js';
import type { RecordedEvent } from '../adapters/event-store/port.js';
import { SendFailedError, SendOutcomeUnknownError } from '../adapters/whatsapp/port.js';
import { systemActor } from '../domain/actor.js';
import type { ChatCommand } from '../domain/chat/chat-commands.js';
import { chatStream, chatStreamName } from '../domain/chat/chat-stream.js';
import { parseEvent } from '../domain/event-stream.js';
import type { ChatEvent } from '../domain/chat/chat-events.js';
import { actionOf, dispatchSend } from './outbox-dispatch.js';
import { echoOf } from './find-echo.js';
import { createKeyedQueue } from './keyed-queue.js';
import { SessionNotOwnedHereError, type OutboxSenderOptions } from './outbox-options.js';
import { settleByEcho } from './echo-settlement.js';
import { busMessageOf } from './bus-message-of.js';
import { createOutboxTakeUp } from './outbox-take-up.js';
import { findOpenSend } from '../domain/chat/chat-state.js';
import { restartDelay, TimeoutError, withTimeout } from './supervisor-timing.js';
import { noMetrics, type SendSettlement } from './gateway-metrics.js';
import { contactErasedReason, sendRequestErased } from './privacy/erased-send-request.js';

/**
 * Sends what was requested, from a durable work queue of MessageSendRequested events. Each attempt is recorded
 * before WhatsApp is called; transient failures are retried with backoff and jitter, permanent ones fail at
 * once. An attempt whose outcome was lost in a crash is settled by looking for its echo in the chat, never by
 * sending again. Messages to one chat go out in the order they were requested.
 */
export { SessionNotOwnedHereError, type OutboxSenderOptions };

type Requested = Extract<ChatEvent, { type: 'MessageSendRequested' }>;

export function createOutboxSender(options: OutboxSenderOptions) {
  const { store, handle, logger } = options;
  const metrics = options.metrics ?? noMetrics;
  const maxAttempts = options.maxAttempts ?? 5;
  // Longer than the driver's own limit (60 s), so that the driver reports first, with what it knows.
  const sendTimeoutMs = options.sendTimeoutMs ?? 65_000;
  const queue = createKeyedQueue();
  const inFlight = new Map<string, Promise<void>>();
  const subscriptions: BusSubscription[] = [];

  async function deliver(message: BusMessage): Promise<boolean> {
    const { sessionId, companyId } = message;
    const chatJid = message.streamName.slice(`chat-${sessionId}_`.length);
    const streamName = chatStreamName(sessionId, chatJid);
    const { data: request } = parseEvent(chatStream, 'MessageSendRequested', message.data) as Requested;
    const messageId = request.messageId;
    const driver = options.driverSession(sessionId);
    if (!driver) {
      const age = Date.now() - Date.parse(message.recordedAt);
      // Another process runs the session: leave the request to it (the queue redelivers it).
      if (age < (options.ownerWaitMs ?? 30_000) || (await options.runsElsewhere(sessionId)))
        throw new SessionNotOwnedHereError(sessionId);
    }
    // The request's id goes on to every event and log line of its delivery: one id from HTTP to WhatsApp.
    const correlationId =
      typeof message.metadata.correlationId === 'string' ? message.metadata.correlationId : message.eventId;
    const record = async (command: DistributiveOmit<ChatCommand, 'sessionId' | 'chatJid'>) => {
      const recorded = await handle(
        chatStream,
        streamName,
        { ...command, sessionId, chatJid },
        { companyId, sessionId, actor: systemActor('outbox'), correlationId, causationId: message.eventId },
      );
      const settlement = settlementIn(recorded.events);
      if (settlement) metrics.sendSettled(settlement, (Date.now() - Date.parse(message.recordedAt)) / 1000);
      return recorded;
    };

    return queue.run(`${sessionId}:${chatJid}`, async (): Promise<boolean> => {
      // The chat's decision state, not its history: open sends only, whatever the chat's length.
      const { state } = await handle.load(chatStream, streamName);
      const outgoing = findOpenSend(state, messageId);
      if (!outgoing) return true;
      if (!driver) {
        await record({
          type: 'RecordSendFailure',
          messageId,
          reason: 'the session is not connected',
          attempt: Math.max(1, outgoing.attempts),
          final: true,
        });
        return true;
      }
      if (outgoing.attemptOpen) {
        await settleByEcho({
          record,
          store,
          streamName,
          messageId,
          lookFor: echoOf(request),
          ...(request.action ? { action: request.action.kind } : {}),
          startedAt: outgoing.lastAttemptAt,
          attempt: outgoing.attempts,
          waitMs: 0,
          reason:
            'the gateway stopped during the send and WhatsApp shows no trace of the message; not sent again, to avoid a duplicate',
        });
        return true;
      }
      for (let attempt = outgoing.attempts + 1; ; attempt++) {
        await options.pacing.take(sessionId, chatJid);
        // Its contact erased while it waited: what it would send is gone, and it is never sent.
        if (await sendRequestErased(store, message)) {
          await record({
            type: 'RecordSendFailure',
            messageId,
            reason: contactErasedReason,
            attempt: Math.max(1, attempt - 1),
            final: true,
          });
          return true;
        }
        const startedAt = new Date();
        const recorded = await record({ type: 'RecordSendAttempt', messageId, attempt, startedAt });
        // Another process recorded this attempt first (two processes believed they ran the session during a
        // takeover): it is the one that sends.
        if (recorded.events.length === 0) return false;
        try {
          const sent = await withTimeout(
            dispatchSend(driver, chatJid, request, options.media),
            sendTimeoutMs,
          );
          const action = actionOf(request, sent, messageId);
          await record({
            type: 'RecordMessageSent',
            messageId,
            waMessageId: sent.waMessageId,
            ack: sent.ack,
            timestamp: sent.timestamp,
            ...(action ? { action } : {}),
          });
          return true;
        } catch (error) {
          // A call whose outcome is unknown (it timed out, the page died mid-send) may still have reached
          // WhatsApp: never tried again, it is settled by the message's echo or failed as unknown.
          if (error instanceof TimeoutError || error instanceof SendOutcomeUnknownError) {
            logger.warn(
              { err: error, sessionId, messageId, attempt, correlationId },
              'Send outcome unknown; looking for its echo',
            );
            await settleByEcho({
              record,
              store,
              streamName,
              messageId,
              lookFor: echoOf(request),
              ...(request.action ? { action: request.action.kind } : {}),
              startedAt: startedAt.toISOString(),
              attempt,
              waitMs: options.echoWaitMs ?? 5000,
              reason: `WhatsApp's answer was lost (${error.message}) and no echo of the message came back; not sent again, to avoid a duplicate`,
            });
            return true;
          }
          const permanent = error instanceof SendFailedError && error.permanent;
          const final = permanent || attempt >= maxAttempts;
          const reason = error instanceof Error ? error.message : String(error);
          logger.warn({ err: error, sessionId, messageId, attempt, final, correlationId }, 'Send failed');
          await record({ type: 'RecordSendFailure', messageId, reason, attempt, final });
          if (final) return true;
          await new Promise((resolve) =>
            setTimeout(
              resolve,
              restartDelay(attempt - 1, options.retryInitialMs ?? 500, options.retryMaxMs ?? 10_000),
            ),
          );
        }
      }
    });
  }

  /**
   * Sends at once what this process has just recorded for a session it runs, without waiting for the work
   * queue; the queue's copy of the request then finds it settled. Sessions run elsewhere wait for the queue.
   */
  function takeUpCommitted(events: readonly RecordedEvent[]): void {
    for (const event of events) {
      if (event.type !== 'MessageSendRequested') continue;
      const message = busMessageOf(event);
      if (options.driverSession(message.sessionId)) startDelivery(message);
    }
  }

  /** Delivers a request in the background, once however many copies of it arrive meanwhile. */
  function startDelivery(message: BusMessage): void {
    const messageId = String(message.data.messageId);
    if (inFlight.has(messageId) || settledHere.has(messageId)) return;
    const delivery = deliver(message)
      .then(
        (settled) => {
          if (settled) rememberSettled(messageId);
        },
        (error: unknown) =>
          logger.error(
            { err: error, eventId: message.eventId, correlationId: message.metadata.correlationId },
            'Could not send a requested message',
          ),
      )
      .finally(() => inFlight.delete(messageId));
    inFlight.set(messageId, delivery);
  }

  // Requests this process saw settled: the other copies of them (the bus fan-out, the work queue) are let go
  // without reading the chat again. Bounded; past it, a copy costs one read of the chat's newest events.
  const settledHere = new Set<string>();
  function rememberSettled(messageId: string): void {
    settledHere.add(messageId);
    if (settledHere.size > 10_000) settledHere.delete(settledHere.values().next().value!);
  }

  /**
   * The work queue's copy of a request. It never waits for pacing or for WhatsApp, so no queue slot is held
   * while one tenant's burst is paced: a send of a session this process runs goes on in the background, and the
   * copy comes back later, until the send is settled. Another process's session: left to it the same way.
   */
  async function fromQueue(message: BusMessage): Promise<void | typeof redeliverLater> {
    const messageId = String(message.data.messageId);
    if (settledHere.has(messageId)) return;
    if (inFlight.has(messageId)) return redeliverLater;
    const chatJid = message.streamName.slice(`chat-${message.sessionId}_`.length);
    const { state } = await handle.load(chatStream, chatStreamName(message.sessionId, chatJid));
    // Settled (by whichever process ran it): this copy is done with.
    if (!findOpenSend(state, messageId)) return;
    if (options.driverSession(message.sessionId)) {
      startDelivery(message);
      return redeliverLater;
    }
    try {
      if (await deliver(message)) rememberSettled(messageId);
      return;
    } catch (error) {
      if (error instanceof SessionNotOwnedHereError) return redeliverLater;
      throw error;
    }
  }

  const takeUp = createOutboxTakeUp({
    store,
    logger,
    deliver,
    startDelivery,
    runsHere: (sessionId) => options.driverSession(sessionId) !== undefined,
  });

  return {
    ...takeUp,
    takeUpCommitted,

    async start(): Promise<void> {
      const pattern = eventPattern(options.subjectRoot, { eventType: 'MessageSendRequested' });
      // The process that runs a session sends what other processes recorded for it as soon as the bus fans it
      // out; the work queue is the safety net (a request none took up, one left by a crash).
      subscriptions.push(
        await options.bus.subscribe(pattern, (message) => {
          if (options.driverSession(message.sessionId)) startDelivery(message);
        }),
        await options.bus.consume('outbox-sender', pattern, fromQueue, { retryDelayMs: 1000 }),
      );
    },
    async stop(): Promise<void> {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.unsubscribe()));
      await Promise.all(inFlight.values());
      await queue.drain();
    },
  };
}

/** Whether these events settle a send: sent, or failed for good (a failed attempt to be retried does not). */
function settlementIn(events: readonly { type: string; data: unknown }[]): SendSettlement | undefined {
  for (const event of events) {
    if (event.type === 'MessageSent') return 'sent';
    if (event.type === 'MessageSendFailed' && (event.data as { final?: unknown }).final === true)
      return 'failed';
  }
  return undefined;
}
