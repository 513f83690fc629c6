import { describe, expect, it } from 'vitest';
import { loadCreate } from './wpp-client.js';

describe('loading WPPConnect', () => {
  it('leaves the process its own unhandledRejection behaviour (WPPConnect installs a logger on import)', async () => {
    const before = process.listeners('unhandledRejection');
    await loadCreate();
    expect(process.listeners('unhandledRejection')).toEqual(before);
  }, 30_000);
});
