const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** How a lifetime is written: a whole number and a unit, s, m, h or d (`30m`, `8h`, `30d`). */
export const lifetimePattern = /^(\d+)([smhd])$/;

export class InvalidTtlError extends Error {
  override readonly name = 'InvalidTtlError';

  constructor(readonly ttl: string) {
    super(`${JSON.stringify(ttl)} is not a lifetime: use a number followed by s, m, h or d (e.g. 1h)`);
  }
}

/**
 * A lifetime in milliseconds.
 *
 * @example
 * lifetimeMs('30d'); // 2_592_000_000
 */
export function lifetimeMs(ttl: string): number {
  const match = lifetimePattern.exec(ttl);
  if (!match) throw new InvalidTtlError(ttl);
  return Number(match[1]) * units[match[2]!]!;
}
