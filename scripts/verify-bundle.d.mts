/** Types of verify-bundle.mjs, for the tests that call it in-process. */
export class BundleInvalidError extends Error {}
export function canonicalJson(value: unknown): string;
export function verifyBundle(
  text: string,
  options?: { publicKey?: string },
): { sessionId: string; streams: number; events: number; anchors: number; publicKeys: string[] };
