import { MediaUnavailableError } from '../port.js';

/** How many files the simulated WhatsApp keeps for download per session; the oldest go first, as expired media do. */
export const keptFilesPerSession = 1000;

/** The files of the messages a simulated phone received, downloadable as from WhatsApp's servers. */
export interface SimulatedFiles {
  keep(sessionId: string, waMessageId: string, data: Buffer): Promise<void>;
  /** The file's bytes; MediaUnavailableError when it is not (or no longer) kept. */
  download(sessionId: string, waMessageId: string): Promise<Buffer>;
}

export const fileGoneError = (waMessageId: string): MediaUnavailableError =>
  new MediaUnavailableError(waMessageId, 'the file is no longer on WhatsApp');

/** Files held by this process only (one process, tests, benchmarks). */
export function createMemorySimulatedFiles(): SimulatedFiles {
  const sessions = new Map<string, Map<string, Buffer>>();
  return {
    keep(sessionId, waMessageId, data) {
      let files = sessions.get(sessionId);
      if (!files) sessions.set(sessionId, (files = new Map<string, Buffer>()));
      if (files.size >= keptFilesPerSession) files.delete(files.keys().next().value!);
      files.set(waMessageId, data);
      return Promise.resolve();
    },
    download(sessionId, waMessageId) {
      const data = sessions.get(sessionId)?.get(waMessageId);
      return data ? Promise.resolve(data) : Promise.reject(fileGoneError(waMessageId));
    },
  };
}
