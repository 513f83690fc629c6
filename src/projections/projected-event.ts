import type { RecordedEvent } from '../adapters/event-store/port.js';
import { chatStream } from '../domain/chat/chat-stream.js';
import type { ChatEvent } from '../domain/chat/chat-events.js';
import { eventMetadataSchema, type EventMetadata } from '../domain/event-metadata.js';
import { parseEvent, UnknownEventTypeError } from '../domain/event-stream.js';
import type { SessionEvent } from '../domain/session/session-events.js';
import { sessionStream } from '../domain/session/session-stream.js';

export type GatewayEvent = SessionEvent | ChatEvent;

/** A stored event, checked against its schema, with what projectors need to place and guard it. */
export type ProjectedEvent = GatewayEvent & {
  id: string;
  streamName: string;
  revision: bigint;
  position: bigint;
  checkpoint: string;
  metadata: EventMetadata;
};

/** The stream categories the read models are built from. */
export const projectedStreamPrefixes = ['session-', 'chat-'];

export const isProjectedStream = (streamName: string): boolean =>
  projectedStreamPrefixes.some((prefix) => streamName.startsWith(prefix));

export function toProjectedEvent(recorded: RecordedEvent): ProjectedEvent {
  const streamType = recorded.streamName.startsWith('session-')
    ? sessionStream
    : recorded.streamName.startsWith('chat-')
      ? chatStream
      : undefined;
  if (!streamType) throw new UnknownEventTypeError(recorded.streamName.split('-')[0] ?? '', recorded.type);
  const event = parseEvent<GatewayEvent>(streamType as never, recorded.type, recorded.data);
  return {
    ...event,
    id: recorded.id,
    streamName: recorded.streamName,
    revision: recorded.revision,
    position: recorded.position,
    checkpoint: recorded.checkpoint,
    metadata: eventMetadataSchema.parse(recorded.metadata),
  };
}
