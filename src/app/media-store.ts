export interface StoredMedia {
  data: Buffer;
  mimetype: string;
  fileName: string | null;
}

/** A file as one request saved it. */
export interface SavedMedia {
  /** Where it is kept (what events record as `media.location`). */
  location: string;
  size: number;
  /** This request added it (the same file was not kept for the session already). */
  created: boolean;
  /** Which save of the file this was: a later save of the same file (another request) changes it. */
  savedAt: string;
}

/** Where files to be sent as media are kept until (and after) they are sent. */
export interface MediaStore {
  /** Keeps a file (once per session and content) and answers where it is. */
  save(sessionId: string, file: StoredMedia): Promise<SavedMedia>;
  /**
   * Removes a file nothing refers to: one this request saved (`created`) for a send that was then refused, so
   * that a refusal leaves no file behind; unless another request saved the same file since (`savedAt` changed),
   * which may refer to it.
   */
  remove(saved: Pick<SavedMedia, 'location' | 'savedAt'>): Promise<void>;
  read(location: string): Promise<StoredMedia>;
}

export class MediaNotFoundError extends Error {
  override readonly name = 'MediaNotFoundError';

  constructor(readonly location: string) {
    super(`No media file is kept at ${location}`);
  }
}
