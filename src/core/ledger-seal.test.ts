import { describe, expect, it } from 'vitest';
import {
  newSealKeys,
  privateSealKey,
  publicKeyOf,
  publicSealKey,
  SEAL_TRAILER,
  SealKeyError,
  sealHolds,
  sealIn,
  sealRecord,
} from './ledger-seal.ts';

const keys = newSealKeys();
const priv = privateSealKey(keys.privateKey);
const pub = publicSealKey(keys.publicKey);
const LINE = '{"v":1,"type":"sent","item":"social/a","channel":"x","part":0,"parts":1}';
const CHECKPOINT = `Postgate-Ledger-Checked: ${'a'.repeat(40)} 120 ${'b'.repeat(64)}`;

describe('ledger seals', () => {
  it('a seal holds for exactly the line, position and checkpoint it was made for', () => {
    const seal = sealRecord(priv, 7, LINE, CHECKPOINT);
    expect(sealHolds(pub, seal, 7, LINE, CHECKPOINT)).toBe(true);
    expect(sealHolds(pub, seal, 8, LINE, CHECKPOINT)).toBe(false);
    expect(sealHolds(pub, seal, 7, LINE.replace('"x"', '"mastodon"'), CHECKPOINT)).toBe(false);
    expect(sealHolds(pub, seal, 7, LINE, '')).toBe(false);
    expect(sealHolds(pub, 'AAAA', 7, LINE, CHECKPOINT)).toBe(false);
  });

  it('another key’s seal does not hold', () => {
    const other = privateSealKey(newSealKeys().privateKey);
    expect(sealHolds(pub, sealRecord(other, 0, LINE, ''), 0, LINE, '')).toBe(false);
  });

  it('keys round-trip through their base64 form, and the public half is derived from the private', () => {
    expect(publicKeyOf(priv)).toBe(keys.publicKey);
    expect(Buffer.from(keys.privateKey, 'base64')).toHaveLength(32);
  });

  it('refuses a key that is not 32 bytes of base64, naming the variable', () => {
    expect(() => privateSealKey('not a key')).toThrow(SealKeyError);
    expect(() => publicSealKey(Buffer.alloc(31).toString('base64'))).toThrow(
      /POSTGATE_LEDGER_PUBLIC_KEY must be 32 bytes/,
    );
  });

  it('finds the seal in a commit message, and nothing in one without', () => {
    const seal = sealRecord(priv, 0, LINE, '');
    expect(sealIn(`ledger: sent social/a on x\n\n${CHECKPOINT}\n${SEAL_TRAILER}: ${seal}`)).toBe(seal);
    expect(sealIn('ledger: sent social/a on x')).toBeNull();
  });
});
