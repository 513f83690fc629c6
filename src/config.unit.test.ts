import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('runs embedded with no configuration at all', () => {
    expect(loadConfig({})).toMatchObject({ DATA_DIR: './data', EVENT_STORE: 'postgres', LOG_LEVEL: 'info' });
    expect(loadConfig({}).DATABASE_URL).toBeUndefined();
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('names every bad variable in one error', () => {
    const error = captureError(() => loadConfig({ DATABASE_URL: 'mysql://x', EVENT_STORE: 'kafka' }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toHaveLength(2);
    expect((error as ConfigError).message).toContain('DATABASE_URL');
    expect((error as ConfigError).message).toContain('EVENT_STORE');
  });

  it('requires EVENTSTORE_URL with EVENT_STORE=eventstoredb', () => {
    const error = captureError(() => loadConfig({ EVENT_STORE: 'eventstoredb' }));
    expect((error as ConfigError).message).toMatch(/EVENTSTORE_URL: is required/);
  });

  it.each(['wa.prod', 'wa*', '>', 'sp ace', 'ção'])(
    'refuses NATS_SUBJECT_PREFIX %j: it must be one subject token',
    (prefix) => {
      const error = captureError(() => loadConfig({ NATS_SUBJECT_PREFIX: prefix }));
      expect((error as ConfigError).message).toMatch(/NATS_SUBJECT_PREFIX: must be one subject token/);
    },
  );

  it('takes NATS_SUBJECT_PREFIX, default wa', () => {
    expect(loadConfig({}).NATS_SUBJECT_PREFIX).toBe('wa');
    expect(loadConfig({ NATS_SUBJECT_PREFIX: 'wa_staging-2' }).NATS_SUBJECT_PREFIX).toBe('wa_staging-2');
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
