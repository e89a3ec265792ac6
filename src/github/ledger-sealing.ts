import type { KeyObject } from 'node:crypto';
import type { Env } from '../channels/channel.ts';
import { EnvironmentError } from '../core/errors.ts';
import { privateSealKey, publicKeyOf, publicSealKey, SealKeyError } from '../core/ledger-seal.ts';
import type { SealCheck } from './ledger-history.ts';

/**
 * Seals on ledger records, as the environment sets them up (src/core/ledger-seal.ts):
 * - POSTGATE_LEDGER_PUBLIC_KEY (a repository variable): every run checks the seals with it;
 * - POSTGATE_LEDGER_KEY (a secret of the publish environment, where publish and retract run): the runs that write
 *   the ledger seal each record with it; it must be the public key's private half;
 * - POSTGATE_LEDGER_UNSEALED_UNTIL (a variable): the publisher's last commit made before seals.
 * Neither key set: no seals, as before (doctor and the README say what that leaves open).
 */
export interface LedgerSealing {
  check: SealCheck | null;
  signWith: KeyObject | null;
}

export function sealingFromEnv(env: Env): LedgerSealing {
  try {
    const publicKey = env.POSTGATE_LEDGER_PUBLIC_KEY?.trim() || null;
    const privateKey = env.POSTGATE_LEDGER_KEY?.trim() || null;
    const signWith = privateKey === null ? null : privateSealKey(privateKey);
    if (publicKey === null) return { check: null, signWith };
    if (signWith && publicKeyOf(signWith) !== Buffer.from(publicKey, 'base64').toString('base64'))
      throw new EnvironmentError(
        'POSTGATE_LEDGER_KEY is not the private half of POSTGATE_LEDGER_PUBLIC_KEY: records sealed with it would not hold. Set both from one postgate ledger --new-key',
      );
    const until = env.POSTGATE_LEDGER_UNSEALED_UNTIL?.trim() || null;
    if (until !== null && !/^[0-9a-f]{40}$/.test(until))
      throw new EnvironmentError(
        `POSTGATE_LEDGER_UNSEALED_UNTIL must be a full commit sha (40 hex digits); it is "${until}"`,
      );
    return { check: { key: publicSealKey(publicKey), unsealedUntil: until }, signWith };
  } catch (error) {
    if (error instanceof SealKeyError) throw new EnvironmentError(error.message);
    throw error;
  }
}
