import { MAIN_BRANCH, type Rule } from './settings.ts';

/**
 * doctor's important findings that a publish run can afford to repeat in its job summary: what the
 * rules in force on main leave open. Two requests (the repository, and the rules that apply to main)
 * that the workflow's own token may make; the rest of doctor (secrets, environments) needs an admin.
 */
export function mainRuleNotes(input: { private: boolean; rules: readonly Rule[] }): string[] {
  const has = (type: string) => input.rules.some((r) => r.type === type);
  if (input.rules.length === 0 && input.private)
    return [
      `${MAIN_BRANCH} has no rules: GitHub offers none to a private repository on GitHub Free (elsewhere run postgate setup), so ${MAIN_BRANCH} can be force-pushed or deleted, and a push can change the gate's code, workflows and config without a review`,
    ];
  const notes: string[] = [];
  const open = [...(has('non_fast_forward') ? [] : ['force-pushed']), ...(has('deletion') ? [] : ['deleted'])];
  if (open.length)
    notes.push(`${MAIN_BRANCH} can be ${open.join(' or ')}: its history can be rewritten (postgate setup blocks it)`);
  if (!has('pull_request'))
    notes.push(
      `${MAIN_BRANCH} accepts direct pushes: approvals are advisory (a push can change the gate's code, workflows and config without a review); run postgate setup`,
    );
  return notes;
}
