import { createHmac } from 'node:crypto';

/**
 * How history names an erased contact: HMAC-SHA256 of company and number under the store's erasure salt
 * (data_key_check, generated once). A number cannot be read back from it, nor found by hashing every
 * possible number without the salt; with the salt, whoever holds a number can check it was erased.
 */
export const contactHash = (salt: Buffer, companyId: string, phone: string): string =>
  createHmac('sha256', salt).update(`${companyId}\n${phone}`).digest('hex');
