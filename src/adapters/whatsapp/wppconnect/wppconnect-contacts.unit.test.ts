import { describe, expect, it } from 'vitest';
import { MediaUnavailableError, SessionNotRunningError } from '../port.js';
import { useFakeWppconnect } from './fake-wppconnect.js';
import { numberStatusOf } from './number-status.js';

describe('WPPConnect driver: number checks and read receipts', () => {
  const { started } = useFakeWppconnect();

  it('asks checkNumberStatus with the number as a @c.us id and answers the JID WhatsApp gave', async () => {
    const { wpp, session } = await started();
    wpp.client.checkNumberStatus.mockResolvedValueOnce({
      id: { server: 'c.us', user: '551188887777', _serialized: '551188887777@c.us' },
      numberExists: true,
      status: 200,
      isBusiness: false,
      canReceiveMessage: true,
    });
    expect(await session.checkNumber('5511988887777')).toEqual({ exists: true, jid: '551188887777@c.us' });
    expect(wpp.client.checkNumberStatus).toHaveBeenCalledWith('5511988887777@c.us');
  });

  it('answers "not on WhatsApp" as WAPI reports it (status 404, numberExists false)', async () => {
    const { wpp, session } = await started();
    wpp.client.checkNumberStatus.mockResolvedValueOnce({
      id: '999123456789@c.us',
      numberExists: false,
      status: 404,
    });
    expect(await session.checkNumber('999123456789')).toEqual({ exists: false, jid: null });
  });

  it('sends "seen" for the chat', async () => {
    const { wpp, session } = await started();
    await session.markSeen('5511988887777@c.us');
    expect(wpp.client.sendSeen).toHaveBeenCalledWith('5511988887777@c.us');
  });

  it('refuses both once the session is stopped', async () => {
    const { session } = await started();
    await session.stop();
    await expect(session.checkNumber('5511988887777')).rejects.toBeInstanceOf(SessionNotRunningError);
    await expect(session.markSeen('5511988887777@c.us')).rejects.toBeInstanceOf(SessionNotRunningError);
  });
});

describe('numberStatusOf', () => {
  it('reads a serialized id string as well as a wid object', () => {
    expect(numberStatusOf({ id: '5511@c.us', numberExists: true })).toEqual({
      exists: true,
      jid: '5511@c.us',
    });
  });
  it('counts an answer of another shape as not on WhatsApp', () => {
    expect(numberStatusOf(undefined)).toEqual({ exists: false, jid: null });
    expect(numberStatusOf({ numberExists: true })).toEqual({ exists: false, jid: null });
  });
});

describe('WPPConnect driver: linking by phone number', () => {
  const { setUp } = useFakeWppconnect();

  it('passes the number to create() and reports each code catchLinkCode gets', async () => {
    const { wpp, seen, driver } = setUp();
    wpp.release();
    await driver.start({ sessionId: 's1', callbacks: seen.callbacks, phoneNumber: '5511999999999' });
    const options = wpp.options() as { phoneNumber?: string; catchLinkCode?: (code: string) => void };
    expect(options.phoneNumber).toBe('5511999999999');
    options.catchLinkCode?.('ABCD-EFGH');
    expect(seen.facts).toContainEqual({
      kind: 'pairing',
      fact: { code: 'ABCD-EFGH', phoneNumber: '5511999999999' },
    });
  });

  it('asks for QR codes, not a pairing code, without a number', async () => {
    const { wpp, seen, driver } = setUp();
    wpp.release();
    await driver.start({ sessionId: 's1', callbacks: seen.callbacks });
    expect(wpp.options()).not.toHaveProperty('phoneNumber');
    expect(wpp.options()).not.toHaveProperty('catchLinkCode');
  });
});

describe('WPPConnect driver: downloading a received file', () => {
  const { started } = useFakeWppconnect();

  it('decodes the data URL downloadMedia answers', async () => {
    const { wpp, session } = await started();
    wpp.client.downloadMedia.mockResolvedValueOnce(
      `data:image/png;base64,${Buffer.from('png!').toString('base64')}`,
    );
    expect((await session.downloadMedia('false_5511@c.us_3EB0')).toString()).toBe('png!');
    expect(wpp.client.downloadMedia).toHaveBeenCalledWith('false_5511@c.us_3EB0');
  });

  it('counts an empty answer as a file WhatsApp no longer has', async () => {
    const { wpp, session } = await started();
    wpp.client.downloadMedia.mockResolvedValueOnce('');
    await expect(session.downloadMedia('false_5511@c.us_3EB0')).rejects.toBeInstanceOf(MediaUnavailableError);
  });
});
