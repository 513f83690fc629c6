import { describe, expect, it } from 'vitest';
import { subjectMatches } from './subject-pattern.js';

describe('subjectMatches', () => {
  it.each([
    ['wa.acme.s1.MessageReceived', 'wa.acme.s1.MessageReceived', true],
    ['wa.acme.*.MessageReceived', 'wa.acme.s1.MessageReceived', true],
    ['wa.acme.*.MessageReceived', 'wa.acme.s1.MessageAcked', false],
    ['wa.acme.*.MessageReceived', 'wa.acme.s1.x.MessageReceived', false],
    ['wa.acme.>', 'wa.acme.s1.MessageReceived', true],
    ['wa.acme.>', 'wa.acme', false],
    ['wa.acme.>', 'wa.other.s1.MessageReceived', false],
    ['wa.*', 'wa.acme.s1', false],
    ['>', 'wa', true],
  ])('%s against %s is %s', (pattern, subject, expected) => {
    expect(subjectMatches(pattern, subject)).toBe(expected);
  });
});
