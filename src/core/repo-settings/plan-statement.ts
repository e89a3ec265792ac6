import { planTier, type RepoSettings } from './settings.ts';

/**
 * What Postgate can and cannot guarantee on this repository's plan, said plainly. Empty for a public
 * repository, where GitHub offers everything Postgate uses.
 */
export function planStatement(settings: RepoSettings): string[] {
  const tier = planTier(settings);
  if (tier === 'public') return [];
  const always = [
    'Postgate still guarantees, on any plan: nothing goes out unless an approver approved those exact bytes in a merged pull request; CRISIS on main stops every send and every deploy; the ledger is checked before every run, so it cannot be edited into resending.',
  ];
  if (tier === 'private-free')
    return [
      'This repository is private on GitHub Free: GitHub offers no rulesets, no branch protection and no environments here.',
      ...always,
      "It cannot guarantee: that main keeps its history (it can be force-pushed or deleted); that the workflows, the gate's code and its config change only through a reviewed pull request (a writer can push them, and they run at the next scheduled run); that the network credentials are out of reach of other branches (they must be repository secrets, which any branch's workflow can read); that a retraction waits for an owner.",
      'To close these gaps: make the repository public, or move its owner to GitHub Pro or Team (rulesets, environments); required reviewers on a private repository need GitHub Enterprise.',
    ];
  return [
    'This repository is private: rulesets and environments work, but required reviewers on an environment need GitHub Enterprise.',
    ...always,
    'Without GitHub Enterprise it cannot guarantee that a retraction waits for an owner: anyone who can run workflows can start one.',
  ];
}
