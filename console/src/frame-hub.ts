import type { Frame } from './types.js';

export type FrameListener = (sessionId: string, frame: Frame) => void;

/** Frames of every session's socket, handed to whichever panels listen. */
export function createFrameHub() {
  const listeners = new Set<FrameListener>();
  return {
    publish(sessionId: string, frame: Frame) {
      for (const listener of listeners) listener(sessionId, frame);
    },
    /** Returns the function that stops listening (an effect's cleanup). */
    listen(listener: FrameListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type FrameHub = ReturnType<typeof createFrameHub>;
