/** DATA_KEY is not what the store's contact keys were wrapped with: starting would make every body unreadable. */
export class DataKeyMismatchError extends Error {
  override readonly name = 'DataKeyMismatchError';

  constructor(
    readonly stored: 'wrapped' | 'unwrapped',
    readonly configured: 'set' | 'unset',
  ) {
    super(dataKeyMismatchMessage(stored, configured));
  }
}

function dataKeyMismatchMessage(stored: 'wrapped' | 'unwrapped', configured: 'set' | 'unset'): string {
  const rotate =
    'to change it, run `npm run privacy -- rotate-data-key` (README, "Privacy: crypto-shredding")';
  if (stored === 'unwrapped')
    return `DATA_KEY is set, but this store keeps its contact keys unwrapped; refusing to start (nothing was changed): unset DATA_KEY, or ${rotate}`;
  if (configured === 'unset')
    return `This store's contact keys are wrapped by a DATA_KEY, and DATA_KEY is unset; refusing to start (nothing was changed): set the DATA_KEY the store was created with`;
  return `DATA_KEY is not the key this store's contact keys were wrapped with; refusing to start (nothing was changed): set the DATA_KEY the store was created with, or ${rotate}`;
}

/** A phone number that is not one: digits in international format, 7 to 15 of them, no leading zero. */
export class InvalidContactPhoneError extends Error {
  override readonly name = 'InvalidContactPhoneError';

  constructor(readonly input: string) {
    super(
      `${JSON.stringify(input)} is not a phone number: use international format, digits only (e.g. 5511999999999)`,
    );
  }
}
