// Every call gets a deadline, so nothing waits forever on a silent server.
import { InvalidOptionError } from '../errors/client-errors';

export interface DeadlineInput {
  /** Milliseconds from now. */
  timeoutMs?: number;
  /** An absolute deadline: a Date or epoch milliseconds. */
  deadline?: Date | number;
}

/**
 * The deadline of a call, in epoch milliseconds: the earlier of `deadline` and
 * now + `timeoutMs` when either is given, else now + `defaultTimeoutMs`.
 */
export function resolveDeadline(input: DeadlineInput, defaultTimeoutMs: number, now: number): number {
  const candidates: number[] = [];
  if (input.timeoutMs !== undefined) {
    if (!Number.isFinite(input.timeoutMs) || input.timeoutMs < 0) {
      throw new InvalidOptionError('timeoutMs', `timeoutMs must be a finite number of milliseconds >= 0, got ${input.timeoutMs}`);
    }
    candidates.push(now + input.timeoutMs);
  }
  if (input.deadline !== undefined) {
    const at = input.deadline instanceof Date ? input.deadline.getTime() : input.deadline;
    if (!Number.isFinite(at)) throw new InvalidOptionError('deadline', 'deadline must be a valid Date or epoch milliseconds');
    candidates.push(at);
  }
  return candidates.length === 0 ? now + defaultTimeoutMs : Math.min(...candidates);
}
