import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIntakeLoad } from './intake-load.js';

describe('the intake load that background work yields to', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  /** A fact being recorded until `done` is called. */
  function recording() {
    let done!: () => void;
    const work = new Promise<void>((resolve) => (done = resolve));
    return { work, done };
  }

  it('is behind from its threshold of facts in flight until they are stored, and never behind without one', async () => {
    const intake = createIntakeLoad({ behindAt: 2 });
    const facts = [recording(), recording()];
    void intake.track(facts[0]!.work);
    expect(intake.behind()).toBe(false);
    void intake.track(facts[1]!.work);
    expect(intake.behind()).toBe(true);
    facts[0]!.done();
    await vi.advanceTimersByTimeAsync(0);
    expect(intake.behind()).toBe(false);
    for (const options of [{}, { behindAt: 0 }]) {
      const unbounded = createIntakeLoad(options);
      for (let i = 0; i < 5_000; i++) void unbounded.track(recording().work);
      expect(unbounded.behind()).toBe(false);
    }
  });

  it('lets background work through at once while few facts are being recorded', async () => {
    const intake = createIntakeLoad();
    const fact = recording();
    void intake.track(fact.work);
    let through = false;
    void intake.yieldTo(1, 1_000).then(() => (through = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(through).toBe(true);
  });

  it('holds background work while more are recorded, and lets it go as soon as they are stored', async () => {
    const intake = createIntakeLoad();
    const facts = [recording(), recording(), recording()];
    for (const fact of facts) void intake.track(fact.work);
    expect(intake.inFlight()).toBe(3);
    let through = false;
    void intake.yieldTo(1, 1_000).then(() => (through = true));
    facts[0]!.done();
    await vi.advanceTimersByTimeAsync(10);
    expect(through).toBe(false);
    facts[1]!.done();
    await vi.advanceTimersByTimeAsync(0);
    expect(through).toBe(true);
    expect(intake.inFlight()).toBe(1);
  });

  it('never holds background work longer than its wait, however busy', async () => {
    const intake = createIntakeLoad();
    for (let n = 0; n < 10; n++) void intake.track(recording().work);
    let through = false;
    void intake.yieldTo(0, 250).then(() => (through = true));
    await vi.advanceTimersByTimeAsync(249);
    expect(through).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(through).toBe(true);
  });

  it('counts a fact whose recording failed as done', async () => {
    const intake = createIntakeLoad();
    await expect(intake.track(Promise.reject(new Error('store out of reach')))).rejects.toThrow();
    expect(intake.inFlight()).toBe(0);
  });
});
