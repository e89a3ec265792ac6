import { describe, expect, it } from 'vitest';
import { attemptInFlight, attemptLeaseMs, MAX_RECORDED_LEASE_MS, type ThisRunner } from './attempt-in-flight.ts';
import { machineTime } from './clock.ts';

const T = Date.parse('2026-12-01T09:00:00Z');
const LEASE = 5 * 60_000;
const running = new Set([4242]);
const self: ThisRunner = { run: 'run-b', machine: 'abc123', pid: 1000, alive: (pid) => running.has(pid) };
const at = (ms: number) => machineTime(ms);
const verdict = (attempt: Parameters<typeof attemptInFlight>[0], nowMs = T + 10_000) =>
  attemptInFlight(attempt, self, at(nowMs), LEASE);

describe('attemptInFlight', () => {
  it('never takes this run’s own attempt for another’s', () => {
    expect(verdict({ at: at(T), run: 'run-b', runner: 'abc123:4242' }).inFlight).toBe(false);
  });

  it('takes the attempt of a process of this machine that has ended for a crash: looked for now', () => {
    expect(verdict({ at: at(T), run: 'run-a', runner: 'abc123:777' }).inFlight).toBe(false);
  });

  it('leaves the attempt of a process of this machine that still runs to it, until the lease ends', () => {
    expect(verdict({ at: at(T), run: 'run-a', runner: 'abc123:4242' })).toEqual({
      inFlight: true,
      until: at(T + LEASE),
    });
    expect(verdict({ at: at(T), run: 'run-a', runner: 'abc123:4242' }, T + LEASE).inFlight).toBe(false);
  });

  it('a process id that is this run’s own now belonged to a process that ended', () => {
    expect(verdict({ at: at(T), run: 'run-a', runner: 'abc123:1000' }).inFlight).toBe(false);
  });

  it('leaves another machine’s recent attempt to it, and looks once its lease is over', () => {
    const other = { at: at(T), run: 'run-a', runner: 'fff999:777' };
    expect(verdict(other, T + LEASE - 1).inFlight).toBe(true);
    expect(verdict(other, T + LEASE).inFlight).toBe(false);
  });

  it('an attempt that does not say where it ran is judged by its time alone', () => {
    expect(verdict({ at: at(T) }).inFlight).toBe(true);
    expect(verdict({ at: at(T), runner: 'not a runner' }).inFlight).toBe(true);
    expect(verdict({ at: at(T) }, T + 2 * LEASE).inFlight).toBe(false);
  });

  it('an attempt of unknown time, or from further ahead than the lease, is looked for as before', () => {
    expect(verdict({ at: null, run: 'run-a', runner: 'fff999:777' }).inFlight).toBe(false);
    expect(verdict({ at: at(T + LEASE + 1) }, T).inFlight).toBe(false);
    expect(verdict({ at: at(T + 60_000) }, T).inFlight).toBe(true);
  });

  it('the lease covers the send, a look, the longest wait, and three minutes', () => {
    expect(attemptLeaseMs({ sendMs: 60_000, findMs: 30_000, waitMs: 60_000 })).toBe(330_000);
  });

  it('waits for the longer of the lease the attempt recorded (its run’s settings) and this run’s, up to an hour', () => {
    const slow = { at: at(T), run: 'run-a', runner: 'fff999:777', leaseMs: 20 * 60_000 };
    expect(verdict(slow, T + 10 * 60_000)).toEqual({ inFlight: true, until: at(T + 20 * 60_000) });
    expect(verdict(slow, T + 20 * 60_000).inFlight).toBe(false);
    expect(verdict({ ...slow, leaseMs: 60_000 }, T + LEASE - 1).inFlight).toBe(true);
    const huge = { ...slow, leaseMs: 1e12 };
    expect(verdict(huge, T + MAX_RECORDED_LEASE_MS - 1).inFlight).toBe(true);
    expect(verdict(huge, T + MAX_RECORDED_LEASE_MS).inFlight).toBe(false);
  });
});
