import { describe, expect, it } from 'vitest';
import { mainRuleNotes } from './run-notes.ts';

describe("a publish run's notes on main's rules", () => {
  it('says what is open on an unprotected main', () => {
    expect(mainRuleNotes({ private: false, rules: [] })).toEqual([
      'main can be force-pushed or deleted: its history can be rewritten (postgate setup blocks it)',
      "main accepts direct pushes: approvals are advisory (a push can change the gate's code, workflows and config without a review); run postgate setup",
    ]);
  });

  it('with --allow-direct-pushes, only that main accepts direct pushes; nothing once pull requests are required', () => {
    const setUp = [{ type: 'deletion' }, { type: 'non_fast_forward' }];
    expect(mainRuleNotes({ private: false, rules: setUp })).toEqual([
      expect.stringMatching(/^main accepts direct pushes: approvals are advisory .*; run postgate setup$/),
    ]);
    expect(mainRuleNotes({ private: true, rules: [...setUp, { type: 'pull_request' }] })).toEqual([]);
  });

  it('on a private repository without rules, says the plan may offer none', () => {
    expect(mainRuleNotes({ private: true, rules: [] })).toEqual([
      "main has no rules: GitHub offers none to a private repository on GitHub Free (elsewhere run postgate setup), so main can be force-pushed or deleted, and a push can change the gate's code, workflows and config without a review",
    ]);
  });
});
