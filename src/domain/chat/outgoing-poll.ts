import type { OutgoingPoll } from './chat-events.js';
import { InvalidPollError } from './chat-errors.js';

/** WhatsApp's limits on a poll. */
export const pollLimits = { minOptions: 2, maxOptions: 12 } as const;

/**
 * Checks a poll against WhatsApp's rules: 2 to 12 options, all different, and `selectableCount` between 1 and
 * the number of options.
 * @throws InvalidPollError naming the rule it breaks.
 */
export function checkPoll(poll: OutgoingPoll): void {
  const { options, selectableCount } = poll;
  if (options.length < pollLimits.minOptions || options.length > pollLimits.maxOptions)
    throw new InvalidPollError(
      `a poll needs ${pollLimits.minOptions} to ${pollLimits.maxOptions} options, not ${options.length}`,
    );
  if (new Set(options.map((option) => option.trim())).size !== options.length)
    throw new InvalidPollError('the options of a poll must all be different');
  if (!Number.isInteger(selectableCount) || selectableCount < 1 || selectableCount > options.length)
    throw new InvalidPollError(`selectableCount must be between 1 and ${options.length}`);
}
