import { describe, it } from 'vitest';
import { on, received } from '../../../test-support/chat-fixtures.js';
import { deciderSpec } from '../../../test-support/decider-spec.js';
import { chatDecider } from './chat-decider.js';

const given = deciderSpec(chatDecider);
const sha256 = 'a'.repeat(64);

describe('chat decider: what the gateway learns of a contact, and files deleted', () => {
  it('records a contact’s kept profile picture', () =>
    given([])
      .when({
        ...on,
        type: 'RecordContactPicture',
        contactJid: '5511988887777@c.us',
        phone: '5511988887777',
        sha256,
        size: 10,
        mimetype: 'image/jpeg',
      })
      .then([
        {
          type: 'ContactPictureKept',
          data: {
            contactJid: '5511988887777@c.us',
            phone: '5511988887777',
            sha256,
            size: 10,
            mimetype: 'image/jpeg',
          },
        },
      ]));

  it('records the name the phone’s contact list keeps', () =>
    given([received])
      .when({
        ...on,
        type: 'RecordContactName',
        contactJid: '5511988887777@c.us',
        phone: '5511988887777',
        name: 'Ana',
      })
      .then([
        {
          type: 'ContactNamed',
          data: { contactJid: '5511988887777@c.us', phone: '5511988887777', name: 'Ana' },
        },
      ]));

  it('records that a message’s kept file was deleted, and why', () =>
    given([received])
      .when({
        ...on,
        type: 'RecordMediaDeleted',
        waMessageId: 'wa-1',
        sha256,
        reason: 'deleted after MEDIA_RETENTION_DAYS (30 days)',
      })
      .then([
        {
          type: 'MediaDeleted',
          data: { waMessageId: 'wa-1', sha256, reason: 'deleted after MEDIA_RETENTION_DAYS (30 days)' },
        },
      ]));
});
