import type { BusMessage } from '../adapters/bus/port.js';
import type { RecordedEvent } from '../adapters/event-store/port.js';

/** A stored event as it travels on the bus. */
export function busMessageOf(event: RecordedEvent): BusMessage {
  const { companyId, sessionId } = event.metadata;
  return {
    eventId: event.id,
    type: event.type,
    streamName: event.streamName,
    revision: event.revision.toString(),
    position: event.position.toString(),
    companyId: typeof companyId === 'string' ? companyId : '',
    sessionId: typeof sessionId === 'string' ? sessionId : '',
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt.toISOString(),
  };
}
