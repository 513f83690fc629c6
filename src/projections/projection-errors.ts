import type { RecordedEvent } from '../adapters/event-store/port.js';

/** A projector could not apply an event. Its checkpoint stays just before that event; nothing is skipped. */
export class ProjectionFailedError extends Error {
  override readonly name = 'ProjectionFailedError';
  readonly eventId: string;
  readonly eventType: string;
  readonly position: bigint;
  readonly streamName: string;

  constructor(
    readonly projection: string,
    event: RecordedEvent,
    override readonly cause: unknown,
  ) {
    super(
      `Projection ${projection} stopped at event ${event.id} (${event.type}, stream ${event.streamName}, ` +
        `position ${event.position}): ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.eventId = event.id;
    this.eventType = event.type;
    this.position = event.position;
    this.streamName = event.streamName;
  }
}
