/**
 * Which secret names are network credentials: the variables Postgate reads, and the same with a
 * suffix (several accounts on one network name theirs `BLUESKY_APP_PASSWORD_ALICE`).
 */
export function credentialSecrets(names: readonly string[], credentialNames: readonly string[]): string[] {
  return names.filter((name) =>
    credentialNames.some((base) => name.toUpperCase() === base || name.toUpperCase().startsWith(`${base}_`)),
  );
}
