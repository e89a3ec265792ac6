import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sentByAnother, takenByAnother } from '../core/ledger-claims.ts';
import { LEDGER_FILE, type LedgerRecord } from '../core/ledger.ts';
import { ledgerLine, type LedgerStore } from '../publish/ledger-store.ts';
import { crashPoint } from '../publish/crash-points.ts';
import type { GitHubRepo } from './client.ts';
import { readRemoteFile, RuleViolation, writeRemoteFile } from './contents.ts';
import { SEAL_TRAILER, sealRecord } from '../core/ledger-seal.ts';
import type { LedgerSealing } from './ledger-sealing.ts';
import { createLedgerBranch, ledgerRepo, readLedgerOnGitHub, type LedgerOnGitHub } from './ledger-branch.ts';
import { checkpointOf, checkpointTrailer, type LedgerCheckpoint } from './ledger-history.ts';

/**
 * The ledger on its branch (src/github/ledger-branch.ts): every record is a commit, made with
 * compare-and-swap on the ledger file, so two runs can never overwrite each other's records. On a
 * conflict the record is appended to the newer version and tried again. The working tree's copy is kept equal to the
 * branch's, for the site build that may follow in the same job.
 *
 * Each write sends the whole file back: exactly the bytes just read (src/github/contents.ts reads
 * them exactly, at any size, or fails) and the new line. Other runs only ever append, so what this
 * run has seen must still begin the file; if it does not, someone rewrote the ledger during the
 * run, and no further part is claimed (an outcome of a part already sent is still recorded). Each
 * commit names the checkpoint this run verified (src/github/ledger-history.ts), so the next run
 * checks only the history since.
 */
export class GitHubLedgerStore implements LedgerStore {
  private readonly gh: GitHubRepo;
  private readonly root: string;
  private readonly ours = new Set<string>();
  private readonly knownAtStart: Set<string>;
  private readonly checkpoint: LedgerCheckpoint | null;
  /** The ledger as this run last saw it: every later version must begin with it. */
  private seen: string;
  private rewritten = false;
  private readonly moveFrom: string | null;
  private readonly notice: (line: string) => void;
  private readonly sealing: LedgerSealing;
  private branchReady: Promise<void> | null = null;

  /**
   * `main` is the repository on its live branch; the store writes to the ledger's branch, creating
   * it from `start.moveFrom` first when the ledger has not moved there yet.
   */
  constructor(
    main: GitHubRepo,
    root: string,
    start: LedgerOnGitHub,
    options: { notice?: (line: string) => void; sealing?: LedgerSealing } = {},
  ) {
    this.gh = ledgerRepo(main);
    this.root = root;
    this.knownAtStart = new Set(start.text.split('\n'));
    this.checkpoint = checkpointOf(start.text);
    this.seen = start.text;
    this.moveFrom = start.moveFrom;
    this.notice = options.notice ?? (() => {});
    this.sealing = options.sealing ?? { check: null, signWith: null };
  }

  /** The ledger's branch, created on the first record of the first run after an upgrade. */
  private ensureBranch(): Promise<void> {
    this.branchReady ??= (async () => {
      if (this.moveFrom === null) return;
      const created = await createLedgerBranch(this.gh, this.moveFrom);
      if (created)
        this.notice(
          `The ledger now lives on ${this.gh.branch}, started from main at ${this.moveFrom.slice(0, 7)} (its history checked); main's ${LEDGER_FILE} is no longer written: leave it, or delete it in a pull request.`,
        );
    })();
    return this.branchReady;
  }

  async append(record: LedgerRecord): Promise<void> {
    await this.commit(record, false);
  }

  claim(record: LedgerRecord): Promise<boolean> {
    return this.commit(record, true);
  }

  /**
   * One commit at a time: the channels send in parallel, but a read that overtakes this run's own
   * write would look like an older ledger (on a 1 MB ledger under load it did, three times running).
   */
  private commit(record: LedgerRecord, exclusive: boolean): Promise<boolean> {
    const next = this.queue.then(() => this.commitNow(record, exclusive));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private queue: Promise<unknown> = Promise.resolve();

  private async commitNow(record: LedgerRecord, exclusive: boolean): Promise<boolean> {
    if (this.sealing.check && !this.sealing.signWith)
      throw new Error(
        'POSTGATE_LEDGER_PUBLIC_KEY is set but POSTGATE_LEDGER_KEY is not: this run could not seal its records, and every later run would refuse them, so it records and sends nothing. Give the step the secret (POSTGATE_LEDGER_KEY of the publish environment)',
      );
    await this.ensureBranch();
    const line = ledgerLine(record);
    let stale = 0;
    for (let attempt = 1; attempt <= 20; attempt++) {
      const current = await readRemoteFile(this.gh, LEDGER_FILE);
      const text = current?.text ?? '';
      if (!this.rewritten && !text.startsWith(this.seen)) {
        // An older version than this run last saw (a lagging replica) is read again, a few times;
        // a version that is not an older one either, or stays older, is a rewrite.
        if (this.seen.startsWith(text) && ++stale < 5) {
          await backOff(attempt);
          continue;
        }
        this.rewritten = true;
      }
      if (this.rewritten && exclusive)
        throw new Error(
          `${LEDGER_FILE} on ${this.gh.branch} was rewritten during this run (it no longer begins with what this run read); nothing more is sent`,
        );
      stale = 0;
      if (text.startsWith(this.seen)) this.seen = text;
      const lines = text.split('\n');
      // A retried request whose first answer was lost may have committed already.
      if (lines.includes(line)) return this.mirror(text);
      if (exclusive && takenByAnother(lines, record, this.ours, this.knownAtStart)) return false;
      if (sentByAnother(lines, record, this.ours)) return this.mirror(text);
      const next = `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`;
      const message = this.messageFor(record, line, lines);
      crashPoint(`before ledger commit`);
      const written = await writeRemoteFile(this.gh, LEDGER_FILE, next, current?.sha ?? null, message).catch(
        (error: unknown) => {
          if (!(error instanceof RuleViolation)) throw error;
          throw new Error(
            `${error.message.replace(/\.$/, '')}. The publisher records every claim and post there before and after sending; let the workflow write it (a bypass for GitHub Actions in the branch's ruleset) or nothing can be sent`,
          );
        },
      );
      crashPoint(`after ledger commit`);
      if (written.ok) {
        this.ours.add(line);
        if (next.startsWith(this.seen)) this.seen = next;
        return this.mirror(next);
      }
      // Someone else committed first: back off a little, re-read, and append to their version.
      await backOff(attempt);
    }
    throw new Error('could not commit the ledger: it kept changing under this run (20 conflicts in a row)');
  }

  /** The commit's message: what it records, the checkpoint this run verified, and the record's seal. */
  private messageFor(record: LedgerRecord, line: string, linesBefore: readonly string[]): string {
    const part = record.parts > 1 ? ` (part ${record.part + 1}/${record.parts})` : '';
    const checkpoint = this.checkpoint ? checkpointTrailer(this.checkpoint) : '';
    const trailers = [checkpoint];
    if (this.sealing.signWith) {
      const index = linesBefore.filter((l) => l.trim() !== '').length;
      trailers.push(`${SEAL_TRAILER}: ${sealRecord(this.sealing.signWith, index, line, checkpoint)}`);
    }
    const body = trailers.filter(Boolean).join('\n');
    return `ledger: ${record.type} ${record.item} on ${record.channel}${part}${body ? `\n\n${body}` : ''}`;
  }

  private mirror(text: string): true {
    const path = join(this.root, LEDGER_FILE);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return true;
  }
}

const backOff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt) * Math.random()));

export { readLedgerOnGitHub };
