export interface StoredMedia {
  data: Buffer;
  mimetype: string;
  fileName: string | null;
}

/** Where files to be sent as media are kept until (and after) they are sent. */
export interface MediaStore {
  /** Keeps a file and answers where it is (what events record as `media.location`). */
  save(sessionId: string, file: StoredMedia): Promise<{ location: string; size: number; created: boolean }>;
  /**
   * Removes a file nothing refers to: one this request saved (`created`) for a send that was then refused, so
   * that a refusal leaves no file behind.
   */
  remove(location: string): Promise<void>;
  read(location: string): Promise<StoredMedia>;
}

export class MediaNotFoundError extends Error {
  override readonly name = 'MediaNotFoundError';

  constructor(readonly location: string) {
    super(`No media file is kept at ${location}`);
  }
}
