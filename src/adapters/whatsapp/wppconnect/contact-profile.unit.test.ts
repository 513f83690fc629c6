import { describe, expect, it } from 'vitest';
import {
  contactListName,
  downloadProfilePicture,
  ProfilePictureDownloadError,
  profilePictureUrl,
} from './contact-profile.js';

describe('WPPConnect contact profiles', () => {
  it('takes the full picture of getProfilePicFromServer, else its other links', () => {
    expect(
      profilePictureUrl({ imgFull: 'https://pps.whatsapp.net/full', img: 'https://pps.whatsapp.net/s' }),
    ).toBe('https://pps.whatsapp.net/full');
    expect(profilePictureUrl({ eurl: 'https://pps.whatsapp.net/e' })).toBe('https://pps.whatsapp.net/e');
  });

  it('finds no picture in an empty answer or one without an https link', () => {
    for (const answer of [undefined, null, {}, { imgFull: '' }, { img: 'http://pps.whatsapp.net/x' }])
      expect(profilePictureUrl(answer)).toBeNull();
  });

  it('takes the contact list’s name of getContact, not the name the contact gives itself', () => {
    expect(contactListName({ name: ' Ana da Padaria ', pushname: 'Ana' })).toBe('Ana da Padaria');
    expect(contactListName({ pushname: 'Ana' })).toBeNull();
    expect(contactListName(null)).toBeNull();
  });

  it('downloads the picture, and names the link on a failure', async () => {
    const ok = (() => Promise.resolve(new Response(Buffer.from('jpeg')))) as typeof fetch;
    expect((await downloadProfilePicture('https://pps.whatsapp.net/p', ok)).toString()).toBe('jpeg');
    const gone = (() => Promise.resolve(new Response('', { status: 404 }))) as typeof fetch;
    await expect(downloadProfilePicture('https://pps.whatsapp.net/p', gone)).rejects.toBeInstanceOf(
      ProfilePictureDownloadError,
    );
  });
});
