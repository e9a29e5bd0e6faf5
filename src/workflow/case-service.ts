import { randomInt } from 'node:crypto';
import {
  authorize,
  operationFor,
  type AccessBasis,
  type AccessDecision,
  type AccessDenial,
  type CaseOperation,
  type CaseView,
} from '../domain/access';
import type { Case } from '../domain/case';
import { DIRECTORY_ACTOR } from '../domain/directory';
import { generateCaseCode } from '../domain/case-code';
import type { Command, CommandOf } from '../domain/commands';
import { decide, decideAll } from '../domain/decide';
import type { CaseEvent } from '../domain/events';
import { ladderOfCase, type Ladder } from '../domain/ladder';
import { deletableDraft } from '../domain/uro-progress';
import type { Notice } from '../domain/notices';
import type { PersonRef } from '../domain/primitives';
import type { RefusalDetail, RefusalReason } from '../domain/refusals';
import { counterChange } from '../domain/report/counters';
import { pageOf, type Page, type WorkOrder } from '../domain/worklist';
import type { Logger } from '../log';
import type { AuditLog, AuditRecord } from '../store/audit-log';
import type { CaseRef, CaseRepository } from '../store/case-repository';
import type { ReportCounterRepository } from '../store/report-counters';
import { AlreadyExists, ConcurrencyConflict, StoreUnavailable, type Versioned } from '../store/documents';
import { UnfinishedWork, type UnfinishedItem } from './unfinished';

/**
 * The one path by which a case is read or changed: load it, check access, let the domain
 * decide, save with the ETag it was read with, write exactly one audit entry, and hand the
 * notices to the outbox. Handlers in src/bot call this and only render the outcome; Laget's own
 * reads (the scheduler's composers, the team's minutes) come here too (`openForSystem`).
 */

/** The case repository's key and a document with its ETag: the workflow's public names for them. */
export type { CaseRef } from '../store/case-repository';
export type { Versioned } from '../store/documents';

/** Who acts in this turn and under which correlation id (the activity id: stable across retries). */
export type TurnContext = {
  actor: PersonRef;
  correlationId: string;
  now: Date;
  teamIds?: readonly string[];
  coordinator?: boolean;
  /** The units the actor leads (another leader of a case's unit is told who its leader is). */
  leadsUnitIds?: readonly string[];
  /**
   * The case writes this turn made, as they stand: so that an error later in the turn is told
   * honestly (saved, or outcome unknown), never "nothing changed" after a save.
   */
  writes?: CaseWrite[];
};

/** A write of a case in a turn: begun (its outcome unknown until the store answers), or saved. */
export type CaseWrite = { caseId: string; unitId: string; outcome: 'begun' | 'saved' };

export type Done = {
  kind: 'done';
  case: Case;
  etag: string;
  events: CaseEvent[];
  notify: Notice[];
  /** People told of this change who have not opened Laget (and could not be reached): their notice waits. */
  waitingFor?: PersonRef[];
};

export type Refused = {
  kind: 'refused';
  reason: RefusalReason | AccessDenial | 'stale-card' | 'not-a-draft';
  detail?: RefusalDetail;
  /**
   * The case as it is now, when the person may see it, with the basis the access policy gave them:
   * whatever card follows is drawn for that basis (the owner's card for the owner, the leader's view
   * for the leader). The read was audited with that basis.
   */
  current?: Versioned<Case>;
  basis?: AccessBasis;
};

export type Opened = { kind: 'opened'; case: Case; etag: string; basis: AccessBasis; view: CaseView };

/** Why Laget reads a case itself, outside a person's turn: the job or the turn that causes the read. */
export type SystemReason = {
  /** What for (a job's kind, `team-minutes-route`): the audit entry's command. */
  purpose: string;
  /** The job's id or the turn's: the audit entry's correlation id, so a repeated run writes no second entry. */
  correlationId: string;
  now: Date;
  /** Whom an entry on the basis `system` names as the actor (default: Laget's scheduler). */
  actorId?: string;
};

/**
 * A case Laget read for itself (src/workflow/composers.ts, team-composers.ts, team-minutes.ts).
 * Nothing of it is audited until something of it is shown, and then once: to a person through
 * `showTo` (the access policy decides, and the entry is that person's read, as if they had opened
 * it), to a channel or on a person's behalf through `shownAsSystem` (the basis `system`). A read
 * that shows nothing — the job no longer holds, the date moved — writes no entry.
 */
export type SystemRead = Versioned<Case> & {
  showTo(personId: string, operation?: CaseOperation): Promise<Opened | Refused>;
  shownAsSystem(): Promise<void>;
};

/** The actor an audit entry of Laget's own reads names, unless the reason names another. */
export const SYSTEM_READER = 'laget-scheduler';

export type CaseCommand = Exclude<Command, { type: 'create-case' }>;

/** A list a person is shown a page of: its order (src/domain/worklist.ts: what needs action first) and the page. */
export type ListView = { order: WorkOrder; page: number; size?: number };

/**
 * Work that belongs to a change of the case and must be done before the case is saved: the
 * team's agenda item is written before the case's reference to it (src/workflow/team-service.ts).
 * It gets the case as decided; holding it back (`held`, with why) saves nothing on the case.
 */
export type BeforeSave<H> = (decided: Case) => Promise<{ kind: 'go' } | { kind: 'held'; by: H; reason: string }>;
export type Held<H> = { kind: 'held'; by: H };

/** Notices for other people go out through the outbox (proactive messages, exactly once). */
export interface NoticeOutbox {
  /** Queues the notices; returns whose notices wait because Laget cannot reach them yet. */
  enqueue(c: Case, notices: readonly Notice[], correlationId: string, now: Date): Promise<{ waiting: readonly string[] }>;
}

/** The jobs a case's dates call for (reminders, waiting approvals), kept equal to the case after each change. */
interface CaseJobs {
  sync(before: Case | null, after: Case | null, options?: { now?: Date; repair?: boolean }): Promise<void>;
}

export type CaseServiceDeps = {
  cases: CaseRepository;
  audit: AuditLog;
  /** The municipality's configured ladder: what new cases are opened on. */
  ladder: Ladder;
  timeZone: string;
  outbox: NoticeOutbox;
  /** The report's counters, which every saved change adds to (absent: nothing is counted). */
  counters?: Pick<ReportCounterRepository, 'apply'>;
  /** The scheduler's jobs for the case's dates (absent: none are made). */
  schedule?: CaseJobs;
  log: Logger;
  /** Where work a save left undone waits to be tried again (shared with the TeamService; default: its own). */
  unfinished?: UnfinishedWork;
  /** Random source for case codes; injectable so tests can force a collision. */
  randomInt?: (maxExclusive: number) => number;
};

const MAX_ATTEMPTS = 4;

export class CaseService {
  private readonly unfinished: UnfinishedWork;

  constructor(private readonly deps: CaseServiceDeps) {
    this.unfinished = deps.unfinished ?? new UnfinishedWork(deps.log);
  }

  /** How many saved changes still wait for their audit entry, notices, counters or jobs. */
  get unfinishedCount(): number {
    return this.unfinished.count;
  }

  /**
   * Tries again what saved changes left undone because the store went away between the save and
   * the writes that follow it (`src/workflow/unfinished.ts`; the TeamService's counter updates wait
   * in the same queue when it is shared). Each is idempotent, so a try whose answer was lost does
   * no harm. The scheduler calls this on every poll; a turn nudges it. Returns how many are still waiting.
   */
  finishUnfinished(): Promise<number> {
    return this.unfinished.finish();
  }

  /** The ladder new cases are opened on. */
  get ladder(): Ladder {
    return this.deps.ladder;
  }

  /** The ladder a case is on: its own, for life, whatever the municipality is configured with now. */
  ladderOf(c: Case): Ladder {
    return ladderOfCase(c, this.deps.ladder);
  }

  /** Opens a new case with a fresh random code, unique in the municipality (drawing again on the rare clash). */
  async create(ctx: TurnContext, command: Omit<CommandOf<'create-case'>, 'caseId'>): Promise<Done | Refused> {
    const draw = this.deps.randomInt ?? randomInt;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const caseId = generateCaseCode(draw);
      const decision = decide(null, { ...command, caseId }, ctx.actor, ctx.now, this.deps.ladder, { timeZone: this.deps.timeZone });
      if (decision.kind === 'refused') return { kind: 'refused', reason: decision.reason, detail: decision.detail };
      const write: CaseWrite = { caseId, unitId: decision.case.unitId, outcome: 'begun' };
      ctx.writes?.push(write);
      try {
        const saved = await this.deps.cases.create(decision.case);
        write.outcome = 'saved';
        const waitingFor = await this.afterSave(ctx, null, saved.doc, decision.notify, {
          caseId,
          operation: 'create',
          command: 'create-case',
          basis: 'owner',
          outcome: 'allowed',
        });
        return { kind: 'done', case: saved.doc, etag: saved.etag, events: decision.events, notify: decision.notify, waitingFor };
      } catch (error) {
        if (error instanceof AlreadyExists || error instanceof StoreUnavailable) ctx.writes?.splice(ctx.writes.indexOf(write), 1); // nothing was written
        if (!(error instanceof AlreadyExists)) throw error; // the code was taken: another is drawn
        this.deps.log.info({ attempt }, 'case code already used; drawing another');
      }
    }
    throw new Error('could not find a free case code');
  }

  /** Reads a case for a person, if the policy lets them, and audits the read (allowed or refused). */
  async open(ctx: TurnContext, ref: CaseRef, operation: CaseOperation = 'read'): Promise<Opened | Refused> {
    const loaded = await this.deps.cases.read(ref);
    if (!loaded) return { kind: 'refused', reason: 'case-not-found' };
    const access = authorize(loaded.doc, this.viewer(ctx), operation, ctx.now, this.deps.timeZone);
    if (access.kind === 'denied') {
      await this.audit(ctx, { caseId: ref.caseId, operation, basis: 'none', outcome: 'refused', reason: access.reason });
      return denial(access);
    }
    await this.audit(ctx, { caseId: ref.caseId, operation, basis: access.basis, outcome: 'allowed' });
    return { kind: 'opened', case: loaded.doc, etag: loaded.etag, basis: access.basis, view: access.view };
  }

  /**
   * Reads a case for Laget itself (a scheduled message, the routing of a team's minutes): no person
   * asks, so no access policy applies to the read; what it then shows is audited once (SystemRead).
   */
  async openForSystem(ref: CaseRef, reason: SystemReason): Promise<SystemRead | undefined> {
    const loaded = await this.deps.cases.read(ref);
    if (!loaded) return undefined;
    const base = { caseId: ref.caseId, command: reason.purpose };
    const at = { now: reason.now, correlationId: reason.correlationId };
    return {
      ...loaded,
      showTo: async (personId, operation = 'read') => {
        const ctx: TurnContext = { ...at, actor: { id: personId, name: personId } };
        const access = authorize(loaded.doc, this.viewer(ctx), operation, reason.now, this.deps.timeZone);
        if (access.kind === 'denied') {
          await this.audit(ctx, { ...base, operation, basis: 'none', outcome: 'refused', reason: access.reason });
          return denial(access);
        }
        await this.audit(ctx, { ...base, operation, basis: access.basis, outcome: 'allowed' });
        return { kind: 'opened', case: loaded.doc, etag: loaded.etag, basis: access.basis, view: access.view };
      },
      shownAsSystem: async () => {
        const ctx: TurnContext = { ...at, actor: { id: reason.actorId ?? SYSTEM_READER, name: 'Laget' } };
        await this.audit(ctx, { ...base, operation: 'read', basis: 'system', outcome: 'allowed' });
      },
    };
  }

  /**
   * The open cases a person leads or owns in a unit, found for Laget itself to route a change (the
   * directory's effects, src/workflow/directory-effects.ts): nothing of them is shown, so nothing is
   * audited; the change then goes through `applyForDirectory`, audited like any other.
   */
  async findForSystem(query: { ledBy: string; unitId: string } | { ownedBy: string; unitId: string }): Promise<Case[]> {
    const found =
      'ledBy' in query ? this.deps.cases.ledBy(query.ledBy, query.unitId) : this.deps.cases.ownedBy(query.ownedBy, query.unitId);
    return (await found).map(({ doc }) => doc);
  }

  /**
   * Every open case, a page at a time, across units: for one-time maintenance only (the move to the
   * due index makes each case's jobs, src/workflow/schedule-backfill.ts). Nothing is shown or audited.
   */
  openPagesForSystem(): AsyncIterable<Case[]> {
    return this.deps.cases.open();
  }

  /**
   * Applies one command. With `expectedEtag` (from the card the person pressed) a case that has
   * changed since the card was sent is not touched: the person gets the current card instead.
   * Without it, a concurrent change makes us re-read and decide again.
   */
  execute(
    ctx: TurnContext,
    ref: CaseRef,
    command: CaseCommand | readonly CaseCommand[],
    options?: { expectedEtag?: string },
  ): Promise<Done | Refused>;
  execute<H>(
    ctx: TurnContext,
    ref: CaseRef,
    command: CaseCommand | readonly CaseCommand[],
    options: { expectedEtag?: string; beforeSave: BeforeSave<H> },
  ): Promise<Done | Refused | Held<H>>;
  async execute<H>(
    ctx: TurnContext,
    ref: CaseRef,
    commandOrCommands: CaseCommand | readonly CaseCommand[],
    options: { expectedEtag?: string; beforeSave?: BeforeSave<H> } = {},
  ): Promise<Done | Refused | Held<H>> {
    // Several commands from one card (an alias and part A) are decided and saved together.
    const commands: readonly CaseCommand[] = Array.isArray(commandOrCommands) ? commandOrCommands : [commandOrCommands as CaseCommand];
    const operation = operationFor(commands[0]!.type);
    return this.decideAndSave(ctx, ref, commands, operation, options, (c) =>
      authorize(c, this.viewer(ctx), operation, ctx.now, this.deps.timeZone),
    );
  }

  /**
   * A change the directory makes (src/workflow/directory-effects.ts): no person acts, so no access
   * policy applies; the audit entry names the directory as the actor on the basis `system`. A
   * command that changes nothing (applied before, by a run repeated after a crash) is neither
   * saved nor audited again.
   */
  async applyForDirectory(
    ref: CaseRef,
    command: Extract<CaseCommand, { type: 'directory-change-leader' | 'record-owner-departure' }>,
    turn: { correlationId: string; now: Date },
  ): Promise<Done | Refused> {
    const ctx: TurnContext = { actor: DIRECTORY_ACTOR, correlationId: turn.correlationId, now: turn.now };
    const outcome = await this.decideAndSave<never>(ctx, ref, [command], 'change', { skipUnchanged: true }, () => ({
      kind: 'allowed',
      basis: 'system',
    }));
    if (outcome.kind === 'held') throw new Error('a directory change is never held'); // no beforeSave: cannot happen
    return outcome;
  }

  private async decideAndSave<H>(
    ctx: TurnContext,
    ref: CaseRef,
    commands: readonly CaseCommand[],
    operation: CaseOperation,
    options: { expectedEtag?: string; skipUnchanged?: boolean; beforeSave?: BeforeSave<H> },
    authorizeFor: (c: Case) => AccessDecision | { kind: 'allowed'; basis: 'system' },
  ): Promise<Done | Refused | Held<H>> {
    const command = { type: commands.map((c) => c.type).join('+') };
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const loaded = await this.deps.cases.read(ref);
      if (!loaded) return { kind: 'refused', reason: 'case-not-found' };
      const access = authorizeFor(loaded.doc);
      if (access.kind === 'denied') {
        await this.audit(ctx, {
          caseId: ref.caseId,
          operation,
          command: command.type,
          basis: 'none',
          outcome: 'refused',
          reason: access.reason,
        });
        return denial(access);
      }
      // The basis a person's card is drawn for; the directory (`system`) draws no card and sends no ETag.
      const viewer = access.basis === 'system' ? undefined : access.basis;
      if (viewer && options.expectedEtag !== undefined && options.expectedEtag !== loaded.etag) {
        return this.stale(ctx, ref, operation, command.type, loaded, viewer);
      }
      const decision = decideAll(
        loaded.doc,
        commands.map((c) => ({ command: c, actor: ctx.actor, now: ctx.now })),
        this.ladderOf(loaded.doc),
        { timeZone: this.deps.timeZone },
      );
      if (decision.kind === 'refused') {
        await this.audit(ctx, {
          caseId: ref.caseId,
          operation,
          command: command.type,
          basis: access.basis,
          outcome: 'refused',
          reason: decision.reason,
        });
        return { kind: 'refused', reason: decision.reason, detail: decision.detail, current: loaded, ...(viewer ? { basis: viewer } : {}) };
      }
      if (options.skipUnchanged && decision.events.length === 0) {
        return { kind: 'done', case: loaded.doc, etag: loaded.etag, events: [], notify: [] };
      }
      if (options.beforeSave) {
        const before = await options.beforeSave(decision.case);
        if (before.kind === 'held') {
          await this.audit(ctx, {
            caseId: ref.caseId,
            operation,
            command: command.type,
            basis: access.basis,
            outcome: 'refused',
            reason: before.reason,
          });
          return { kind: 'held', by: before.by };
        }
      }
      let saved: Versioned<Case>;
      const write: CaseWrite = { caseId: ref.caseId, unitId: ref.unitId, outcome: 'begun' };
      ctx.writes?.push(write);
      try {
        saved = await this.deps.cases.replace(decision.case, loaded.etag);
        write.outcome = 'saved';
      } catch (error) {
        // Refused by the ETag, or the store was not reached (a lost answer is settled by the store): nothing was written.
        if (error instanceof ConcurrencyConflict || error instanceof StoreUnavailable) ctx.writes?.splice(ctx.writes.indexOf(write), 1);
        if (!(error instanceof ConcurrencyConflict)) throw error;
        if (options.expectedEtag !== undefined) {
          // Changed by someone else meanwhile: the case as it is now — if this person may still see it.
          const current = await this.deps.cases.read(ref);
          if (!current) return { kind: 'refused', reason: 'case-not-found' };
          const now = authorize(current.doc, this.viewer(ctx), operation, ctx.now, this.deps.timeZone);
          if (now.kind === 'denied') {
            await this.audit(ctx, {
              caseId: ref.caseId,
              operation,
              command: command.type,
              basis: 'none',
              outcome: 'refused',
              reason: now.reason,
            });
            return { kind: 'refused', reason: now.reason };
          }
          return this.stale(ctx, ref, operation, command.type, current, now.basis);
        }
        continue;
      }
      const waitingFor = await this.afterSave(ctx, loaded.doc, saved.doc, decision.notify, {
        caseId: ref.caseId,
        operation,
        command: command.type,
        basis: access.basis,
        outcome: 'allowed',
      });
      return { kind: 'done', case: saved.doc, etag: saved.etag, events: decision.events, notify: decision.notify, waitingFor };
    }
    throw new ConcurrencyConflict(ref.caseId);
  }

  /**
   * A card older than the case: nothing is changed, and the person is shown the case as it is now
   * for their basis — a read, audited once as the refused attempt with that basis.
   */
  private async stale(
    ctx: TurnContext,
    ref: CaseRef,
    operation: CaseOperation,
    command: string,
    current: Versioned<Case>,
    basis: AccessBasis,
  ): Promise<Refused> {
    await this.audit(ctx, { caseId: ref.caseId, operation, command, basis, outcome: 'refused', reason: 'stale-card' });
    return { kind: 'refused', reason: 'stale-card', current, basis };
  }

  /**
   * Deletes an abandoned draft (deletableDraft): the owner's, unchanged since the card they
   * pressed. The case code stays claimed and the audit log keeps the deletion, never the text.
   */
  async deleteDraft(ctx: TurnContext, ref: CaseRef, expectedEtag: string): Promise<{ kind: 'deleted'; caseId: string } | Refused> {
    const loaded = await this.deps.cases.read(ref);
    if (!loaded) return { kind: 'refused', reason: 'case-not-found' };
    const access = authorize(loaded.doc, this.viewer(ctx), 'change', ctx.now, this.deps.timeZone);
    const base = { caseId: ref.caseId, operation: 'delete' as const, command: 'delete-draft' };
    if (access.kind === 'denied' || access.basis !== 'owner') {
      const reason = access.kind === 'denied' ? access.reason : 'operation-not-permitted';
      await this.audit(ctx, { ...base, basis: 'none', outcome: 'refused', reason });
      return access.kind === 'denied' ? denial(access) : { kind: 'refused', reason };
    }
    const stale = async (current: Versioned<Case>): Promise<Refused> => {
      await this.audit(ctx, { ...base, basis: 'owner', outcome: 'refused', reason: 'stale-card' });
      return { kind: 'refused', reason: 'stale-card', current, basis: 'owner' };
    };
    if (loaded.etag !== expectedEtag) return stale(loaded);
    if (!deletableDraft(loaded.doc)) {
      await this.audit(ctx, { ...base, basis: 'owner', outcome: 'refused', reason: 'not-a-draft' });
      return { kind: 'refused', reason: 'not-a-draft', current: loaded, basis: 'owner' };
    }
    const deleted = await this.deps.cases.delete(ref, loaded.etag).catch((error: unknown) => {
      if (error instanceof ConcurrencyConflict) return false; // changed in between: the person sees it as it is now
      throw error;
    });
    if (!deleted) {
      const now = await this.deps.cases.read(ref);
      return now ? stale(now) : { kind: 'refused', reason: 'case-not-found' };
    }
    await this.auditWrite(ctx, { ...base, basis: 'owner', outcome: 'allowed' });
    return { kind: 'deleted', caseId: ref.caseId };
  }

  /**
   * The open cases a person owns or is offered, in the given units, in the list's order. Only the
   * page shown is returned, and only its cases are audited (one entry each): a read of what is shown.
   */
  async listOwned(ctx: TurnContext, unitIds: readonly string[], view: ListView): Promise<Page<Versioned<Case>>> {
    const found = (
      await Promise.all(
        unitIds.flatMap((unitId) => [this.deps.cases.ownedBy(ctx.actor.id, unitId), this.deps.cases.offeredTo(ctx.actor.id, unitId)]),
      )
    ).flat();
    const unique = [...new Map(found.map((c) => [c.doc.id, c])).values()];
    return this.shown(ctx, unique, view, (c) => (c.owner.id === ctx.actor.id ? 'owner' : 'handover-offer'));
  }

  /** The closed cases a person owns in the given units (still kept, so they can be reopened); one audit entry per case shown. */
  async listClosed(ctx: TurnContext, unitIds: readonly string[], view: ListView): Promise<Page<Versioned<Case>>> {
    const found = (await Promise.all(unitIds.map((unitId) => this.deps.cases.closedOwnedBy(ctx.actor.id, unitId)))).flat();
    return this.shown(ctx, found, view, () => 'owner');
  }

  /** The open cases in the units a leader leads, in the list's order; the page shown is audited. */
  async listLed(ctx: TurnContext, unitIds: readonly string[], view: ListView): Promise<Page<Versioned<Case>>> {
    const found = (await Promise.all(unitIds.map((unitId) => this.deps.cases.ledBy(ctx.actor.id, unitId)))).flat();
    return this.shown(ctx, found, view, () => 'leader');
  }

  private async shown(
    ctx: TurnContext,
    found: readonly Versioned<Case>[],
    view: ListView,
    basis: (c: Case) => AccessBasis,
  ): Promise<Page<Versioned<Case>>> {
    const byId = new Map(found.map((c) => [c.doc.id, c]));
    const ordered = view.order(found.map((c) => c.doc)).map((c) => byId.get(c.id)!);
    const page = pageOf(ordered, view.page, view.size);
    await this.deps.audit.appendAll(
      page.rows.map((c) => this.entry(ctx, { caseId: c.doc.id, operation: 'list', basis: basis(c.doc), outcome: 'allowed' })),
    );
    return page;
  }

  private viewer(ctx: TurnContext) {
    return { id: ctx.actor.id, teamIds: ctx.teamIds ?? [], coordinator: ctx.coordinator ?? false, leadsUnitIds: ctx.leadsUnitIds ?? [] };
  }

  /**
   * Once a change is saved, its audit entry and the notices it causes do not depend on each other
   * (and neither throws): they are written side by side, which saves the turn a store round trip.
   * Returns whose notices wait (they have not opened Laget).
   */
  private async afterSave(
    ctx: TurnContext,
    before: Case | null,
    c: Case,
    notices: readonly Notice[],
    entry: Omit<AuditRecord, 'at' | 'actorId' | 'correlationId'>,
  ): Promise<PersonRef[]> {
    if (this.unfinished.count > 0) void this.finishUnfinished(); // the store answers again: catch up, off this turn's path
    const [, waiting] = await Promise.all([
      this.auditWrite(ctx, entry),
      this.send(c, notices, ctx),
      this.count(before, c, ctx),
      this.schedule(before, c, ctx),
    ]);
    return waiting;
  }

  /**
   * The case's jobs follow its dates right after the save: a new evaluation date gets its
   * reminder, a moved one moves it, a closed case takes its reminders back. Like the notices, a
   * failure never undoes the change: it is logged and kept, and tried again from the case as it
   * is then (a later change may have moved the date again meanwhile).
   */
  private async schedule(before: Case | null, after: Case, ctx: TurnContext): Promise<void> {
    const schedule = this.deps.schedule;
    if (!schedule) return;
    try {
      await schedule.sync(before, after, { now: ctx.now });
    } catch (error) {
      this.deps.log.error({ err: error, caseId: after.id }, 'scheduled jobs could not be updated; kept to try again');
      const ref = { caseId: after.id, unitId: after.unitId };
      this.keep(after.id, 'scheduled jobs', async () =>
        schedule.sync(before, (await this.deps.cases.read(ref))?.doc ?? null, { repair: true }),
      );
    }
  }

  /**
   * The report's counters take the change right after the save. Like the notices, a failure
   * never undoes the change: it is logged and kept, and applied once the store answers (the
   * change's key makes a repeat harmless).
   */
  private async count(before: Case | null, after: Case, ctx: TurnContext): Promise<void> {
    const counters = this.deps.counters;
    if (!counters) return;
    const change = counterChange(before, after, this.ladderOf(after), this.deps.timeZone);
    if (change === null) return;
    const run = () => counters.apply(change, ctx.now);
    try {
      await run();
    } catch (error) {
      this.deps.log.error(
        { err: error, caseId: after.id, change: change.key },
        'report counters could not be updated; kept to apply again',
      );
      this.keep(after.id, 'report counters', run);
    }
  }

  /**
   * Notices to others are queued after the save. A failure never turns into "not saved" (the
   * change stands): it is logged and kept, and queued again once the store answers.
   */
  private async send(c: Case, notices: readonly Notice[], ctx: TurnContext): Promise<PersonRef[]> {
    const forOthers = notices.filter((notice) => notice.personId !== ctx.actor.id);
    if (forOthers.length === 0) return [];
    const run = () => this.deps.outbox.enqueue(c, forOthers, ctx.correlationId, ctx.now);
    try {
      const { waiting } = await run();
      const known = [c.nearestLeader, c.owner, ...(c.pendingHandover ? [c.pendingHandover.to] : [])];
      return waiting.flatMap((id) => known.filter((person) => person.id === id).slice(0, 1));
    } catch (error) {
      this.deps.log.error(
        { err: error, caseId: c.id, notices: forOthers.map((n) => n.about) },
        'notices could not be queued; kept to queue again',
      );
      this.keep(c.id, 'notices', async () => void (await run()));
      return [];
    }
  }

  private keep(caseId: string, what: UnfinishedItem['what'], run: () => Promise<void>): void {
    this.unfinished.keep({ about: { caseId }, what, run });
  }

  /** Reads are audited before anything is shown: no audit, no data. */
  private async audit(ctx: TurnContext, entry: Omit<AuditRecord, 'at' | 'actorId' | 'correlationId'>): Promise<void> {
    await this.deps.audit.append(this.entry(ctx, entry));
  }

  /**
   * A change is saved before its audit entry. If the audit container cannot be reached now, the
   * change still stands (telling the person "not saved" would be false): the entry is kept and
   * stored once the store answers again (`finishUnfinished`), and written to the log in full at
   * once, so that even a process that dies before then leaves the record behind.
   */
  private async auditWrite(ctx: TurnContext, entry: Omit<AuditRecord, 'at' | 'actorId' | 'correlationId'>): Promise<void> {
    const record = this.entry(ctx, entry);
    const run = () => this.deps.audit.append(record);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        await run();
        return;
      } catch (error) {
        if (attempt === 2) {
          this.deps.log.error({ err: error, audit: record }, 'audit entry could not be stored; recorded here and kept to store later');
          this.keep(record.caseId, 'audit entry', run);
        }
      }
    }
  }

  private entry(ctx: TurnContext, entry: Omit<AuditRecord, 'at' | 'actorId' | 'correlationId'>): AuditRecord {
    return { ...entry, at: ctx.now.toISOString(), actorId: ctx.actor.id, correlationId: ctx.correlationId };
  }
}

/** A denied access as the person is told it: only another leader of the unit hears who the case's leader is. */
function denial(access: Extract<AccessDecision, { kind: 'denied' }>): Refused {
  return access.leader
    ? { kind: 'refused', reason: access.reason, detail: { leader: access.leader } }
    : { kind: 'refused', reason: access.reason };
}
