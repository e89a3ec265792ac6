import { parse } from 'yaml';

/**
 * Reading the workflow files as data: for policy checks, and to run their `run:` steps locally
 * in order, with the expressions the steps use replaced by test values.
 */
export interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

export interface Job {
  'runs-on'?: string;
  if?: string;
  needs?: string | string[];
  uses?: string;
  steps?: Step[];
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  permissions?: unknown;
}

export interface Workflow {
  name: string;
  on: Record<string, unknown> | string | string[];
  permissions?: unknown;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

export function parseWorkflow(text: string): Workflow {
  return parse(text) as Workflow;
}

export function triggers(workflow: Workflow): string[] {
  const on = workflow.on;
  return typeof on === 'string' ? [on] : Array.isArray(on) ? on : Object.keys(on);
}

/** Replaces `${{ expression }}` using `values`; an expression it does not know is an error, so a test cannot silently run the wrong thing. */
export function substitute(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => {
    if (!(expression in values)) throw new Error(`the test does not know the value of \${{ ${expression} }}`);
    return values[expression]!;
  });
}
