import type { BusMessage } from './port.js';

const stringFields = [
  'eventId',
  'type',
  'streamName',
  'revision',
  'position',
  'companyId',
  'sessionId',
  'recordedAt',
] as const;

/** Whether a decoded payload has the shape the relay publishes (anything else on a subject is not ours). */
export function isBusMessage(value: unknown): value is BusMessage {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    stringFields.every((field) => typeof record[field] === 'string') &&
    isObject(record['data']) &&
    isObject(record['metadata'])
  );
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
