import type { Projector } from '../src/projections/projector.js';

/** The projectors, each given its batch's events one at a time: what a batch must leave the same rows as. */
export const oneEventAtATime = (projectors: readonly Projector[]): Projector[] =>
  projectors.map((projector) => ({
    ...projector,
    async project(target, events) {
      for (const event of events) await projector.project(target, [event]);
    },
  }));

/** The projectors, each applying its batch twice: a second application must change nothing. */
export const appliedTwice = (projectors: readonly Projector[]): Projector[] =>
  projectors.map((projector) => ({
    ...projector,
    async project(target, events) {
      await projector.project(target, events);
      await projector.project(target, events);
    },
  }));
