import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-delay.js';
import { webhookUrlProblem } from './webhook-url.js';

describe('webhook URL', () => {
  it('accepts an https URL', () => expect(webhookUrlProblem('https://crm.example/hook')).toBeUndefined());
  it('refuses another scheme', () => expect(webhookUrlProblem('ftp://crm.example/hook')).toMatch(/http/));
  it('refuses credentials', () =>
    expect(webhookUrlProblem('https://user:pw@crm.example/hook')).toMatch(/password/));
  it('refuses more than 2,048 characters', () =>
    expect(webhookUrlProblem(`https://crm.example/${'a'.repeat(2048)}`)).toMatch(/2048/));
  it('refuses what is not a URL', () => expect(webhookUrlProblem('crm.example')).toMatch(/absolute/));
});

describe('retry delay', () => {
  const schedule = { initialMs: 4000, maxMs: 60_000 };
  it('retries first within the initial bound', () => {
    expect(retryDelayMs(1, schedule, () => 1)).toBe(4000);
    expect(retryDelayMs(1, schedule, () => 0)).toBe(2000);
  });
  it('doubles the bound with each failed attempt', () =>
    expect(retryDelayMs(3, schedule, () => 1)).toBe(16_000));
  it('never waits longer than the cap', () => expect(retryDelayMs(40, schedule, () => 1)).toBe(60_000));
});
