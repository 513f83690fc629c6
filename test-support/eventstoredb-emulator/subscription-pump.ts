import { randomUUID } from 'node:crypto';
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { EventLog, StoredEvent } from './event-log.js';
import type { ReadReq, ReadResp } from './generated.js';
import { caughtUpMessage, checkpointMessage, confirmationMessage, eventMessage } from './messages.js';

export type ReadCall = ServerWritableStream<InstanceType<typeof ReadReq>, InstanceType<typeof ReadResp>>;

export interface SubscriptionPlan {
  // Index in the log of the first event to consider.
  startIndex: number;
  matches(event: StoredEvent): boolean;
  structuredIds: boolean;
  // For filtered `$all` subscriptions: events scanned between two checkpoint messages.
  checkpointInterval?: number | undefined;
}

/**
 * Serves a catch-up subscription: confirmation, then stored events, then live ones. One cursor over the log
 * serves both phases, so nothing written between catching up and going live is lost or sent twice; when the
 * client reads slower than events arrive, the cursor waits for the call to drain, as the server falls behind.
 */
export function pumpSubscription(call: ReadCall, log: EventLog, plan: SubscriptionPlan): void {
  let cursor = plan.startIndex;
  let scannedWithoutMatch = 0;
  let waitingForDrain = false;
  let caughtUp = false;
  let closed = false;

  const pump = () => {
    if (closed || waitingForDrain) return;
    while (cursor < log.all.length) {
      const event = log.all[cursor++]!;
      let writable = true;
      if (plan.matches(event)) {
        scannedWithoutMatch = 0;
        writable = call.write(eventMessage(event, plan.structuredIds));
      } else if (plan.checkpointInterval !== undefined && ++scannedWithoutMatch >= plan.checkpointInterval) {
        scannedWithoutMatch = 0;
        writable = call.write(checkpointMessage(event));
      }
      if (!writable) {
        waitingForDrain = true;
        call.once('drain', () => {
          waitingForDrain = false;
          pump();
        });
        return;
      }
    }
    if (!caughtUp) {
      caughtUp = true;
      call.write(caughtUpMessage());
    }
  };

  const stopListening = log.onAppended(pump);
  const close = () => {
    closed = true;
    stopListening();
  };
  call.on('cancelled', close);
  call.on('close', close);
  call.write(confirmationMessage(randomUUID()));
  pump();
}
