import { InvalidContactPhoneError } from './privacy-errors.js';

const phonePattern = /^\+?([1-9]\d{6,14})(@c\.us)?$/;

/**
 * The contact's phone number, digits only, from what a client typed (`+5511…`, `5511…` or `5511…@c.us`).
 * @throws InvalidContactPhoneError when it is not one.
 */
export function contactPhone(input: string): string {
  const match = phonePattern.exec(input.trim());
  if (!match) throw new InvalidContactPhoneError(input);
  return match[1]!;
}
