import type { Case } from './case';
import { nextDate, pendingEscalation } from './case';
import type { Ladder } from './ladder';
import { dayOf, DEFAULT_TIME_ZONE } from './time';
import { uroPosition } from './uro-progress';

/**
 * The order of a person's lists — "mine saker", "mine enheter", "til godkjenning" — by what needs
 * action first, decided at the turn's instant. A list is shown a page at a time, so the first page
 * must hold what cannot wait.
 */

export type WorkOrder = (cases: readonly Case[]) => Case[];

/** A page of a list: which rows are shown, and how many there are in all. */
export type Page<T> = { rows: T[]; total: number; page: number; pages: number };

/** Rows per page: a card stays well under Teams' size limit with room for long aliases and step names. */
export const PAGE_SIZE = 12;

export function pageOf<T>(rows: readonly T[], page: number, size: number = PAGE_SIZE): Page<T> {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const at = Math.min(Math.max(1, Math.floor(page)), pages);
  return { rows: rows.slice((at - 1) * size, at * size), total: rows.length, page: at, pages };
}

/**
 * The owner's own list: a report path not yet reported (rule 1 never waits), then cases offered to
 * them (a colleague waits for an answer), then dates due today or passed (oldest first), then an
 * unfinished URO conversation (changed last first), then the next date coming up, then the rest.
 */
export function ownerWorkOrder(me: string, now: Date, ladderOf: (c: Case) => Ladder, timeZone: string = DEFAULT_TIME_ZONE): WorkOrder {
  const today = dayOf(now, timeZone);
  const rank = (c: Case): number => {
    const position = uroPosition(c, ladderOf(c));
    const date = nextDate(c);
    if (position === 'report-path') return 0;
    if (c.owner.id !== me) return 1;
    if (date !== null && date <= today) return 2;
    if (position !== 'on-ladder' && position !== 'reported') return 3;
    if (date !== null) return 4;
    return 5;
  };
  return (cases) => sortBy(cases, rank, (a, b, r) => (r === 2 || r === 4 ? byDate(a, b) : byChangedLast(a, b)));
}

/**
 * The leader's "mine enheter": requests waiting for this leader (oldest first), then cases whose
 * date is due today or passed, then by the next date, then cases without one (changed last first).
 */
export function leaderWorkOrder(me: string, now: Date, timeZone: string = DEFAULT_TIME_ZONE): WorkOrder {
  const today = dayOf(now, timeZone);
  const rank = (c: Case): number => {
    const waiting = pendingEscalation(c);
    const date = nextDate(c);
    if (waiting && c.nearestLeader.id === me) return 0;
    if (date !== null && date <= today) return 1;
    if (date !== null) return 2;
    return 3;
  };
  return (cases) => sortBy(cases, rank, (a, b, r) => (r === 0 ? byRequested(a, b) : r === 3 ? byChangedLast(a, b) : byDate(a, b)));
}

/** "til godkjenning": only requests waiting for this leader, the oldest first. */
export function approvalsOrder(me: string): WorkOrder {
  return (cases) =>
    cases.filter((c) => pendingEscalation(c) !== undefined && c.nearestLeader.id === me).sort((a, b) => byRequested(a, b) || byCode(a, b));
}

function sortBy(cases: readonly Case[], rank: (c: Case) => number, within: (a: Case, b: Case, rank: number) => number): Case[] {
  const ranked = cases.map((c) => ({ c, r: rank(c) }));
  ranked.sort((a, b) => a.r - b.r || within(a.c, b.c, a.r) || byCode(a.c, b.c));
  return ranked.map(({ c }) => c);
}

const byDate = (a: Case, b: Case) => (nextDate(a) ?? '').localeCompare(nextDate(b) ?? '');
const byChangedLast = (a: Case, b: Case) => b.updatedAt.localeCompare(a.updatedAt);
const byRequested = (a: Case, b: Case) => (pendingEscalation(a)?.requestedAt ?? '').localeCompare(pendingEscalation(b)?.requestedAt ?? '');
const byCode = (a: Case, b: Case) => a.id.localeCompare(b.id);
