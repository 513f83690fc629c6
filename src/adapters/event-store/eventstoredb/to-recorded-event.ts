import type { Position, ResolvedEvent } from '@eventstore/db-client';
import type { JsonObject, RecordedEvent } from '../port.js';
import { withoutAuditChain } from './audit-chain-metadata.js';
import { encodeCheckpoint } from './checkpoint.js';

type ClientRecordedEvent = NonNullable<ResolvedEvent['event']>;

export class UnreadableEventError extends Error {
  override readonly name = 'UnreadableEventError';

  constructor(
    readonly eventId: string,
    readonly streamName: string,
    reason: string,
  ) {
    super(`Event ${eventId} in stream ${streamName} cannot be read: ${reason}`);
  }
}

/** Events EventStoreDB writes for itself: in `$` streams (users, scavenges, stream metadata) or of `$` types. */
export function isSystemEvent(event: ClientRecordedEvent): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}

export function toRecordedEvent(resolved: ResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event) return undefined;
  const position = positionOf(event, resolved.commitPosition);
  return {
    id: event.id,
    type: event.type,
    streamName: event.streamId,
    revision: event.revision,
    position: position.commit,
    checkpoint: encodeCheckpoint(position),
    data: asJsonObject(event, event.data, 'data'),
    metadata:
      event.metadata === undefined ? {} : withoutAuditChain(asJsonObject(event, event.metadata, 'metadata')),
    recordedAt: event.created,
  };
}

export function positionOf(event: ClientRecordedEvent, commitPosition?: bigint): Position {
  if (event.position) return event.position;
  // Servers before 22.6 tell the position of events read from a stream only as the commit position.
  if (commitPosition !== undefined) return { commit: commitPosition, prepare: commitPosition };
  throw new UnreadableEventError(event.id, event.streamId, 'the server did not tell its position');
}

function asJsonObject(event: ClientRecordedEvent, value: unknown, part: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    throw new UnreadableEventError(event.id, event.streamId, `its ${part} is not a JSON object`);
  }
  // The client parsed it from JSON, so every value in it is JSON.
  return value as JsonObject;
}
