import { CONTENT_AREA, GATE_AREAS, unownedAreas } from './codeowners.ts';
import { list, unread, type Push, type Severity } from './finding.ts';
import type { PlanTier, RepoSettings } from './settings.ts';

/** doctor on CODEOWNERS (who must review a change) and on GitHub Pages (what the site serves). */
export function codeOwnerFindings(settings: RepoSettings, tier: PlanTier, push: Push): void {
  const read = settings.codeOwners;
  if (!read.ok) {
    push('important', unread('CODEOWNERS', read));
    return;
  }
  const text = read.value?.text ?? null;
  const missing = unownedAreas(text);
  // Without a ruleset code owners only ask for reviews; on this plan nothing can require them.
  const severity: Severity = tier === 'private-free' ? 'limit' : 'important';
  const advisory = tier === 'private-free' ? ' (on this plan code owners can only be asked, not required)' : '';
  if (missing.includes(CONTENT_AREA))
    push(severity, `no code owners for content/: any writer's approval counts${advisory}`);
  const gate = GATE_AREAS.filter((a) => missing.includes(a));
  if (gate.length)
    push(
      severity,
      `no code owners for the gate's own files (${list(gate.map((a) => a.label))}): a change to the code that decides what is published needs no owner's review${advisory}`,
    );
  if (missing.length === 0) push('ok', `${read.value!.path} names owners for content/ and for the gate's own files`);
}

export function pagesFindings(settings: RepoSettings, tier: PlanTier, push: Push): void {
  const read = settings.pages;
  if (!read.ok) {
    if (read.limit || tier === 'private-free') {
      push('limit', `GitHub Pages is not available for this repository on this plan: the blog is not deployed`);
      return;
    }
    push('important', unread('the GitHub Pages settings', read));
    return;
  }
  if (read.value === null) {
    if (tier === 'private-free')
      push(
        'limit',
        'GitHub Pages is off, and a private repository on GitHub Free cannot turn it on: the blog is not deployed',
      );
    else push('important', 'GitHub Pages is off: the blog is built but never deployed');
    return;
  }
  if (read.value.buildType !== 'workflow') {
    push(
      'important',
      'GitHub Pages builds from a branch, not from the site workflow: what it serves is not the blog Postgate built (its released posts only)',
    );
    return;
  }
  push('ok', 'GitHub Pages deploys the site workflow’s build');
}
