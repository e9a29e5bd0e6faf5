import type { Case } from '../case';
import type { EventDraft } from '../events';
import type { Ladder } from '../ladder';
import type { Notice, NoticeRecipient, NoticeTopic } from '../notices';
import type { IsoDate, IsoDateTime, PersonRef } from '../primitives';
import type { Refusal } from '../refusals';

/** What every handler knows besides the case and the command. */
export type Context = {
  actor: PersonRef;
  now: Date;
  /** `now` as stored. */
  at: IsoDateTime;
  /** Today in the municipality's time zone. */
  today: IsoDate;
  ladder: Ladder;
  timeZone: string;
};

/** A handler's answer before `decide` stamps the events. */
export type Change = { case: Case; events: EventDraft[]; notify: Notice[] };
export type HandlerResult = Change | Refusal;

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'refused';
}

/** The next record id of a kind within the case: goal-1, goal-2 … (ids are never reused). */
export function nextId(prefix: string, existing: readonly { id: string }[]): string {
  const numbers = existing.map((record) => Number(record.id.slice(prefix.length + 1))).filter(Number.isFinite);
  return `${prefix}-${Math.max(0, ...numbers) + 1}`;
}

export function notice(to: NoticeRecipient, personId: string, about: NoticeTopic, ref?: string): Notice {
  return ref === undefined ? { to, personId, about } : { to, personId, about, ref };
}

export function toOwner(c: Case, about: NoticeTopic, ref?: string): Notice {
  return notice('owner', c.owner.id, about, ref);
}

export function toLeader(c: Case, about: NoticeTopic, ref?: string): Notice {
  return notice('leader', c.nearestLeader.id, about, ref);
}

/** Leader notices that only apply once the ladder keeps the leader informed (Aurskog-Høland: from 2b). */
export function toLeaderIfInformed(c: Case, about: NoticeTopic, ctx: Context, ref?: string): Notice[] {
  return c.leaderKeptInformed && c.nearestLeader.id !== ctx.actor.id ? [toLeader(c, about, ref)] : [];
}

export function change(c: Case, events: EventDraft[] = [], notify: Notice[] = []): Change {
  return { case: c, events, notify };
}

/** Two changes one after the other (the second computed from the first's case). */
export function chain(first: Change, next: (c: Case) => Change): Change {
  const second = next(first.case);
  return { case: second.case, events: [...first.events, ...second.events], notify: [...first.notify, ...second.notify] };
}
