import { attentionDigest } from './dashboard-attention.ts';
import { DASHBOARD_MARKER, isStampLine, stampLine } from './dashboard.ts';
import { KEYS_LINE, keptAttention, keysLine, type NoticeEntry } from './dashboard-notice.ts';
import { plainText } from './markdown-text.ts';

/**
 * The dashboard of a run that stopped before it could plan (a ledger rewritten by hand, GitHub not
 * answering): nothing is published until someone acts, and the owner must hear it, as they hear of
 * a CRISIS. The run has no plan, no ledger and no verdicts to draw the dashboard from, so it keeps
 * what the last run that got further wrote, with a banner at the top, and adds `stopped` to the
 * kept digests: the comment tells it once, and the digests already kept stay, so a later run that
 * gets through does not tell again what was told. The next full dashboard drops the banner.
 */
const STOPPED_MARK = '<!-- postgate:stopped -->';
export const STOPPED_KEY = 'stopped';
/** As the full dashboard: GitHub refuses a body over 65,536 characters. */
const MAX_BODY = 60_000;

export interface StoppedRun {
  now: number;
  zone: string;
  /** Why it stopped: the run's error, one line, secrets already redacted. */
  reason: string;
  runUrl: string | null;
}

/** What the comment says of it. */
export function stoppedEntry(run: StoppedRun): NoticeEntry {
  return { key: STOPPED_KEY, line: `**Publishing is stopped:** ${plainText(run.reason)}` };
}

export function stoppedDashboard(previous: string | null, run: StoppedRun): string {
  const digests = keptAttention(previous);
  digests.add(attentionDigest(STOPPED_KEY));
  const reason = plainText(run.reason).replace(/[.\s]+$/, '');
  const banner = `> **Publishing is stopped:** ${reason}. Nothing is sent, the blog included, until this is fixed; the run's log says more. What follows is from the last run that got further. ${STOPPED_MARK}`;
  const stamp = stampLine(run.now, run.zone, run.runUrl);
  const lines = (previous ?? '')
    .replace(/\r\n/g, '\n')
    .split('\n')
    .filter((line) => line !== DASHBOARD_MARKER && !line.endsWith(STOPPED_MARK));
  const hasKeys = lines.some((line) => KEYS_LINE.test(line));
  const hasStamp = lines.some(isStampLine);
  const kept = lines
    .map((line) => (KEYS_LINE.test(line) ? keysLine(digests) : isStampLine(line) ? stamp : line))
    .join('\n')
    .trim();
  const ends = [...(hasKeys ? [] : [keysLine(digests)]), ...(hasStamp ? [] : ['---', stamp])];
  const body = [DASHBOARD_MARKER, banner, ...(kept ? [kept] : []), ...ends].join('\n\n').concat('\n');
  // What was there may be long (edited by hand): the stop must fit, whatever is left out for it.
  if (body.length <= MAX_BODY) return body;
  return [DASHBOARD_MARKER, banner, keysLine(digests), '---', stamp].join('\n\n').concat('\n');
}
