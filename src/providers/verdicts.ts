import type { Verification } from './provider.ts';

// The reasons users read in a notification: short, and naming what to check.
export const VALID: Verification = { status: 'valid' };
export const UNSIGNED: Verification = { status: 'unsigned' };
export const UNVERIFIED: Verification = { status: 'unverified' };
export const WRONG_SIGNATURE = invalid('wrong secret or changed body');
export const UNSUPPORTED_VERSION = invalid('unsupported signature version');
export const EMPTY_SECRET = invalid('empty secret');

export function invalid(reason: string): Verification {
  return { status: 'invalid', reason };
}

export function missingHeader(name: string): Verification {
  return invalid(`missing ${name} header`);
}

export function malformedHeader(name: string): Verification {
  return invalid(`malformed ${name} header`);
}
