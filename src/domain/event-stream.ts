import type { z } from 'zod';
import type { Decider, DomainEvent } from './decider.js';

/** One kind of stream: its name, its rules, and the schema of each event it holds. */
export interface EventStreamType<State, Command, Event extends DomainEvent> {
  category: string;
  decider: Decider<State, Command, Event>;
  schemas: { [T in Event['type']]: z.ZodType<Extract<Event, { type: T }>['data']> };
  /** The version written into new events' metadata; older versions are upcast when read. */
  schemaVersion: number;
  /**
   * Set for streams that grow long (chats): their state is plain data, snapshotted every so many events; bump it
   * whenever the state's shape changes, so that older snapshots are ignored.
   */
  snapshotVersion?: number;
}

export class UnknownEventTypeError extends Error {
  override readonly name = 'UnknownEventTypeError';

  constructor(
    readonly category: string,
    readonly eventType: string,
  ) {
    super(`Streams of category ${category} hold no event of type ${eventType}`);
  }
}

export class InvalidEventDataError extends Error {
  override readonly name = 'InvalidEventDataError';

  constructor(
    readonly eventType: string,
    readonly problems: string[],
  ) {
    super(`${eventType} does not match its schema: ${problems.join('; ')}`);
  }
}

/** Checks stored data against the event type's schema and gives it back typed. */
export function parseEvent<Event extends DomainEvent>(
  streamType: EventStreamType<unknown, unknown, Event>,
  type: string,
  data: unknown,
): Event {
  const schemas = streamType.schemas as Record<string, z.ZodType | undefined>;
  const schema = schemas[type];
  if (!schema) throw new UnknownEventTypeError(streamType.category, type);
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new InvalidEventDataError(
      type,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return { type, data: parsed.data } as Event;
}
