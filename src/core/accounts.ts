import { z } from 'zod';
import { REQUIRED_VARIABLES } from '../channels/credentials.ts';
import { CHANNEL_IDS, SOCIAL_CHANNEL_IDS, SOCIAL_RULES, type SocialChannelId } from './channels.ts';
import { linkedinConfigSchema, type LinkedInSettings } from './linkedin-config.ts';
import { GITHUB_LOGIN } from './github-login.ts';

/**
 * `accounts:` in postgate.config.yaml: where social items go. An account is a network plus whose
 * voice it is (`org`, or a person's GitHub login) and the names of the environment variables that
 * hold its credentials, by the standard name each stands for (BLUESKY_APP_PASSWORD →
 * BLUESKY_APP_PASSWORD_ALICE). The unsuffixed names stay the organisation's.
 *
 * Without `accounts:` (and for every enabled network the list gives no organisation account) there
 * is one organisation account per network, with the id of the network and the standard names:
 * exactly what Postgate did before accounts existed, so old repositories, files and ledgers read
 * the same.
 */
export const ORG_OWNER = 'org';

/** Variables a network may be given besides its required ones: its server's address. */
export const OPTIONAL_VARIABLES: Record<SocialChannelId, readonly string[]> = {
  x: ['X_API_URL'],
  mastodon: [],
  bluesky: ['BLUESKY_SERVICE'],
  linkedin: ['LINKEDIN_API_URL'],
};

// An id is a ledger key, a `utm_content` value and a word in `as:`: short, lower case, no spaces.
const ACCOUNT_ID = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

const accountSchema = z.strictObject({
  id: z
    .string(
      'expected a short id such as alice-bluesky (it is what items name in as:, and the utm_content of its links)',
    )
    .regex(ACCOUNT_ID, 'expected an id of lower-case letters, digits and "-", such as alice-bluesky or brand-x'),
  network: z.enum(SOCIAL_CHANNEL_IDS, 'expected one of x, mastodon, bluesky, linkedin'),
  owner: z
    .string(`expected ${ORG_OWNER} (the organisation's account) or the GitHub login of the person it belongs to`)
    .regex(GITHUB_LOGIN, `expected ${ORG_OWNER} or a GitHub login (letters, digits and single "-"), without "@"`),
  credentials: z
    .record(
      z.string(),
      z.string('expected the name of an environment variable').regex(ENV_NAME, 'expected an environment variable name'),
      'expected a map of standard names to the variables holding them, e.g. { BLUESKY_APP_PASSWORD: BLUESKY_APP_PASSWORD_ALICE }',
    )
    .optional(),
  // The account's own LinkedIn settings (author, token expiry), over `linkedin:` of the config.
  linkedin: linkedinConfigSchema.partial().optional(),
});

export type AccountEntry = z.output<typeof accountSchema>;

export const accountsSchema = z
  .array(accountSchema)
  .optional()
  .superRefine((list, ctx) => {
    if (!list) return;
    const ids = new Map<string, number>();
    const credentials = new Map<string, number>();
    list.forEach((account, i) => {
      const first = ids.get(account.id);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'id'],
          message: `"${account.id}" is the id of account ${first + 1} already: each account needs its own id`,
        });
      else ids.set(account.id, i);
      for (const issue of credentialIssues(account))
        ctx.addIssue({ code: 'custom', ...issue, path: [i, ...issue.path] });
      // A person's account named `bluesky` would share the organisation's records.
      const standard = isStandardOrg(account) && account.id === account.network;
      if ((CHANNEL_IDS as readonly string[]).includes(account.id) && !standard)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'id'],
          message: `"${account.id}" is a channel's name, which only the organisation's ${account.id} account with the standard variable names may use: choose another id, such as brand-${account.network}`,
        });
      // One secret is one account, whatever else differs: an entry with Alice's password but its own
      // server variable (or owner: org) would be a second id for her account, sending twice and
      // without her approval, or sending her password elsewhere (insider review 7).
      const secrets = secretNamesOf([{ credentials: credentialNames(account) }]);
      const shared = secrets.find((v) => credentials.has(v));
      if (shared !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'credentials'],
          message: `account ${account.id} uses the same variables as ${list[credentials.get(shared)!]!.id} (${shared}): two ids for one account would send everything twice`,
        });
      for (const variable of secrets) {
        if (!credentials.has(variable)) credentials.set(variable, i);
        // The unsuffixed secrets are the organisation's account's: a person's account never reads them.
        if (
          account.credentials &&
          account.owner !== ORG_OWNER &&
          Object.hasOwn(credentialNames({ network: account.network }), variable)
        )
          ctx.addIssue({
            code: 'custom',
            path: [i, 'credentials'],
            message: `${account.id} is ${account.owner}'s own account but reads ${variable}, the organisation's: name a variable of their own, e.g. ${variable}_${account.owner.toUpperCase().replaceAll('-', '_')}`,
          });
      }
    });
  });

/** What is wrong with an account's credentials map, relative to the account. */
function credentialIssues(account: AccountEntry): { path: (string | number)[]; message: string }[] {
  const map = account.credentials;
  const required = REQUIRED_VARIABLES[account.network];
  const name = SOCIAL_RULES[account.network].name;
  if (!map)
    return account.owner === ORG_OWNER
      ? []
      : [
          {
            path: ['credentials'],
            message: `${account.id} is ${account.owner}'s own account: name the variables holding its credentials, e.g. credentials: { ${required.map((v) => `${v}: ${v}_${account.owner.toUpperCase().replaceAll('-', '_')}`).join(', ')} }`,
          },
        ];
  const issues: { path: (string | number)[]; message: string }[] = [];
  const known = [...required, ...OPTIONAL_VARIABLES[account.network]];
  for (const [standard, variable] of Object.entries(map)) {
    if (!known.includes(standard))
      issues.push({
        path: ['credentials', standard],
        message: `${standard} is not a ${name} credential; expected ${known.join(', ')}`,
      });
    // The variable's name starts with the standard one, so a reader (and the redaction) knows what it holds.
    else if (variable !== standard && !variable.startsWith(`${standard}_`))
      issues.push({
        path: ['credentials', standard],
        message: `expected the variable for ${standard} to be named ${standard} or ${standard}_<SUFFIX> (e.g. ${standard}_ALICE), so it reads as what it holds; received ${variable}`,
      });
  }
  const missing = required.filter((v) => map[v] === undefined);
  if (missing.length > 0)
    issues.push({
      path: ['credentials'],
      message: `${name} needs ${missing.join(', ')}: add ${missing.map((v) => `${v}: ${v}_<SUFFIX>`).join(', ')} to ${account.id}'s credentials`,
    });
  return issues;
}

/** Standard name → the variable holding it, for every variable the account's network reads. */
function credentialNames(account: Pick<AccountEntry, 'network' | 'credentials'>): Record<string, string> {
  const names: Record<string, string> = {};
  for (const v of [...REQUIRED_VARIABLES[account.network], ...OPTIONAL_VARIABLES[account.network]])
    names[v] = account.credentials?.[v] ?? v;
  return names;
}

/**
 * The account's key in the ledger, the queue and the plan. The organisation's account that uses the
 * standard names keeps its network's id, as every record written before accounts existed says: an
 * `accounts:` section that names it anew resends nothing. Every other account is its own id.
 */
function ledgerKeyOf(account: Pick<AccountEntry, 'id' | 'network' | 'owner' | 'credentials'>): string {
  return isStandardOrg(account) ? account.network : account.id;
}

/** The organisation's account that reads the unsuffixed variables: the one Postgate had before accounts. */
function isStandardOrg(account: Pick<AccountEntry, 'network' | 'owner' | 'credentials'>): boolean {
  return account.owner === ORG_OWNER && Object.entries(credentialNames(account)).every(([k, v]) => k === v);
}

export interface Account {
  id: string;
  network: SocialChannelId;
  /** `org`, or the GitHub login of the person whose voice it is. */
  owner: string;
  /** Standard name → the variable holding it (every variable the network reads). */
  credentials: Readonly<Record<string, string>>;
  /** Where its records are kept (see ledgerKeyOf): the network's id for the organisation's standard account. */
  key: string;
  /** Listed in `accounts:`: its links carry `utm_content=<id>`. Implicit accounts leave links as they were. */
  declared: boolean;
  linkedin?: Partial<LinkedInSettings>;
}

export const isPersonal = (account: Pick<Account, 'owner'>): boolean => account.owner !== ORG_OWNER;

/** The organisation's account of a network as Postgate had it before `accounts:`. */
export function implicitAccount(network: SocialChannelId): Account {
  return {
    id: network,
    network,
    owner: ORG_OWNER,
    credentials: credentialNames({ network }),
    key: network,
    declared: false,
  };
}

/** Every account of the config: those listed, and an implicit one per enabled network with no organisation account listed. */
export function accountsOf(config: { channels: readonly string[]; accounts?: readonly AccountEntry[] }): Account[] {
  const declared = (config.accounts ?? []).map(
    (entry): Account => ({
      id: entry.id,
      network: entry.network,
      owner: entry.owner,
      credentials: credentialNames(entry),
      key: ledgerKeyOf(entry),
      declared: true,
      ...(entry.linkedin ? { linkedin: entry.linkedin } : {}),
    }),
  );
  const implicit = SOCIAL_CHANNEL_IDS.filter(
    (n) => config.channels.includes(n) && !declared.some((a) => a.network === n && a.owner === ORG_OWNER),
  ).map(implicitAccount);
  return [...declared, ...implicit];
}

/**
 * Where an item goes: the accounts its `as:` names (unknown ids are `check`'s errors and left out
 * here), or by default the organisation's accounts of its channels. A channel with no account (not
 * enabled) keeps an implicit one, so its state reads as before.
 */
export function targetAccounts(
  as: readonly string[] | undefined,
  channels: readonly SocialChannelId[],
  accounts: readonly Account[],
): Account[] {
  if (as !== undefined) return as.flatMap((id) => accounts.filter((a) => a.id === id));
  return channels.flatMap((network) => {
    const org = accounts.filter((a) => a.network === network && a.owner === ORG_OWNER);
    return org.length > 0 ? org : [implicitAccount(network)];
  });
}

/** The networks of `as:`'s accounts, in order, once each. */
export function networksOf(accounts: readonly Pick<Account, 'network'>[]): SocialChannelId[] {
  return [...new Set(accounts.map((a) => a.network))];
}

/** The variable names that hold an account's secrets: every credential but a server's address. */
export function secretNamesOf(accounts: readonly Pick<Account, 'credentials'>[]): string[] {
  const names = new Set<string>();
  for (const account of accounts)
    for (const [standard, variable] of Object.entries(account.credentials))
      if (!/_(URL|SERVICE)$/.test(standard) && standard !== 'BLUESKY_HANDLE') names.add(variable);
  return [...names];
}

/**
 * The environment an account's channel is built from: its variables under the standard names, so
 * each network's loader reads them as it always has. Other variables (timeouts, POSTGATE_*) pass through.
 */
export function accountEnv(
  env: Readonly<Record<string, string | undefined>>,
  account: Pick<Account, 'credentials'>,
): Record<string, string | undefined> {
  const view: Record<string, string | undefined> = { ...env };
  for (const [standard, variable] of Object.entries(account.credentials)) view[standard] = env[variable];
  return view;
}

/** The accounts on enabled networks whose every required variable is set (each channel still checks them itself). */
export function accountsWithCredentials(
  accounts: readonly Account[],
  enabled: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Account[] {
  return accounts.filter(
    (a) =>
      enabled.includes(a.network) &&
      REQUIRED_VARIABLES[a.network].every((name) => (env[a.credentials[name] ?? name] ?? '') !== ''),
  );
}
