import { nanos, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from 'nats';
import type { Logger } from '../../logger.js';
import { isNatsApiError, StreamSubjectsTakenError } from './nats-errors.js';

export interface StreamLimits {
  name: string;
  subjects: string[];
  maxAgeMs: number;
  /** -1: unlimited. */
  maxBytes: number;
  duplicateWindowMs: number;
}

const streamNotFound = 10059;
const subjectsOverlap = 10065;

/**
 * Creates the stream, or brings an existing one to these limits and adds any of our subjects it lacks
 * (subjects it already has stay: another deployment may publish there too). Throws StreamSubjectsTakenError
 * when another stream holds the subjects.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  wanted: StreamLimits,
  logger: Logger,
): Promise<void> {
  const limits: Partial<StreamConfig> = {
    max_age: nanos(wanted.maxAgeMs),
    max_bytes: wanted.maxBytes,
    duplicate_window: nanos(wanted.duplicateWindowMs),
  };
  const existing = await jsm.streams.info(wanted.name).catch((error: unknown) => {
    if (isNatsApiError(error, streamNotFound)) return null;
    throw error;
  });
  if (!existing) {
    await jsm.streams
      .add({
        name: wanted.name,
        subjects: wanted.subjects,
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        ...limits,
      })
      .catch((error: unknown) => subjectsTaken(jsm, wanted, error));
    logger.info({ stream: wanted.name, subjects: wanted.subjects }, 'Created the JetStream stream');
    return;
  }
  const { config } = existing;
  const subjects = [...new Set([...config.subjects, ...wanted.subjects])];
  const changed =
    subjects.length !== config.subjects.length ||
    config.max_age !== limits.max_age ||
    config.max_bytes !== limits.max_bytes ||
    config.duplicate_window !== limits.duplicate_window;
  if (!changed) return;
  await jsm.streams
    .update(wanted.name, { ...config, ...limits, subjects })
    .catch((error: unknown) => subjectsTaken(jsm, wanted, error));
  logger.info({ stream: wanted.name, subjects }, 'Updated the JetStream stream');
}

/** Rethrows an overlap of subjects as StreamSubjectsTakenError, naming the stream that holds them. */
async function subjectsTaken(jsm: JetStreamManager, wanted: StreamLimits, error: unknown): Promise<never> {
  if (!isNatsApiError(error, subjectsOverlap)) throw error;
  let holder: string | undefined;
  for (const subject of wanted.subjects) {
    holder = await jsm.streams.find(subject).catch(() => undefined);
    if (holder && holder !== wanted.name) break;
  }
  throw new StreamSubjectsTakenError(
    wanted.name,
    wanted.subjects,
    holder === wanted.name ? undefined : holder,
  );
}
