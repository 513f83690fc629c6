import { expect } from 'vitest';
import { fold, type Decider } from '../src/domain/decider.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Given/when/then for a decider: `given([registered]).when(start).then([startRequested])`.
 *
 * @example
 * const given = deciderSpec(sessionDecider);
 * it('starts a stopped session', () => given([registered]).when(start).then([startRequested]));
 */
export function deciderSpec<State, Command, Event>(decider: Decider<State, Command, Event>) {
  return (history: readonly Event[]) => ({
    when: (command: Command) => {
      const run = () => decider.decide(command, fold(decider as Decider<State, unknown, Event>, history));
      return {
        then: (expected: readonly Event[]) => expect(run()).toEqual(expected),
        thenNothing: () => expect(run()).toEqual([]),
        thenThrows: (errorClass: ErrorClass) => expect(run).toThrow(errorClass),
      };
    },
  });
}
