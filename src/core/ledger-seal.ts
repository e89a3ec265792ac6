import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * The seal on a ledger record: an Ed25519 signature by a key only the publisher's GitHub
 * environments hold. GitHub signs every API commit made with any workflow's token the same way, so
 * a writer's own workflow on a branch could otherwise write records that pass for the publisher's.
 * The public half is a repository variable (only admins set those), so anyone can check a seal:
 * publish, retract, queue and the site build, which holds no secret.
 *
 * A seal binds the record's exact line, its position in the ledger (the number of records before
 * it), and the checkpoint the writing run verified: a sealed line cannot be moved, replayed at
 * another position, or paired with a checkpoint its run did not name.
 *
 * Keys travel as base64 of the raw 32 bytes (the private key's seed, the public key's point).
 */
export const SEAL_TRAILER = 'Postgate-Ledger-Seal';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export class SealKeyError extends Error {}

function raw32(value: string, what: string): Buffer {
  const bytes = Buffer.from(value.trim(), 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value.trim()) || bytes.length !== 32)
    throw new SealKeyError(`${what} must be 32 bytes in base64 (as postgate ledger --new-key writes it)`);
  return bytes;
}

export function privateSealKey(base64: string): KeyObject {
  const seed = raw32(base64, 'POSTGATE_LEDGER_KEY');
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function publicSealKey(base64: string): KeyObject {
  const point = raw32(base64, 'POSTGATE_LEDGER_PUBLIC_KEY');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, point]), format: 'der', type: 'spki' });
}

/** The public half of a private key, in the variable's form. */
export function publicKeyOf(key: KeyObject): string {
  const der = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(SPKI_PREFIX.length)).toString('base64');
}

/** A new key pair, both halves in base64. */
export function newSealKeys(): { privateKey: string; publicKey: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return {
    privateKey: Buffer.from(der.subarray(PKCS8_PREFIX.length)).toString('base64'),
    publicKey: publicKeyOf(privateKey),
  };
}

/** What is signed: the record's position, its exact line, and its run's checkpoint trailer ('' without). */
const payload = (index: number, line: string, checkpoint: string) =>
  Buffer.from(`postgate-ledger-seal-v1\n${index}\n${line}\n${checkpoint}`, 'utf8');

export function sealRecord(key: KeyObject, index: number, line: string, checkpoint: string): string {
  return sign(null, payload(index, line, checkpoint), key).toString('base64');
}

export function sealHolds(key: KeyObject, seal: string, index: number, line: string, checkpoint: string): boolean {
  const signature = Buffer.from(seal, 'base64');
  return signature.length === 64 && verify(null, payload(index, line, checkpoint), key, signature);
}

/** The seal a commit message carries, if any. */
export function sealIn(message: string): string | null {
  return new RegExp(`^${SEAL_TRAILER}: ([A-Za-z0-9+/]{86}==)$`, 'm').exec(message)?.[1] ?? null;
}
