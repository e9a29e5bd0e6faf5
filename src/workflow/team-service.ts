import { createHash } from 'node:crypto';
import type { Case } from '../domain/case';
import type { Meeting } from '../domain/meeting-series';
import { activeLeaders } from '../domain/directory';
import type { Municipality } from '../domain/municipality';
import type { DirectoryStore } from '../store/directory';
import { findNationalId } from '../domain/national-id';
import type { PersonRef } from '../domain/primitives';
import {
  itemsWrittenBy,
  meetingOf,
  meetingsOpenForItems,
  type AgendaItem,
  type CaseItem,
  type Team,
  type TeamChannel,
  type TeamKind,
  type TeamMeeting,
} from '../domain/team';
import {
  decideMeeting,
  decideTeam,
  maySetUp,
  type MeetingAccepted,
  type MeetingCommand,
  type Place,
  type TeamAccepted,
  type TeamActor,
  type TeamRefusal,
} from '../domain/team-decide';
import { seriesFromForm, type SeriesForm } from '../domain/team-setup';
import type { TeamQuestionId } from '../domain/team-questions';
import { heldMeetingChange } from '../domain/report/counters';
import { dayOf } from '../domain/time';
import type { Logger } from '../log';
import { ConcurrencyConflict } from '../store/documents';
import type { ReportCounterRepository } from '../store/report-counters';
import { teamKeyOf, type TeamRepository } from '../store/teams';
import type { CaseRef, CaseService, Done, Refused, TurnContext } from './case-service';
import type { Membership } from './team-roster';
import { TeamMinutes, type ItemMinutesInput, type ItemOutcome, type MinutesDeps } from './team-minutes';
import type { UnfinishedWork } from './unfinished';

/**
 * The one path to a team, shaped like the CaseService: load the team (and the meeting's record),
 * find out who the actor is from real sources — the team's roster in Teams, the municipality's
 * leaders, the conversation the turn came from — let the domain decide (src/domain/team-decide.ts),
 * save with the ETag read (again after a short random wait on a concurrent change), and answer
 * with what is stored. A case brought to a meeting is one operation keyed by (case, meeting): the
 * team's agenda item is written first (it is the source of truth), then the case's reference to
 * it through the CaseService (authorized, audited once); a retry completes or repairs, never adds.
 */

/** Who acts in this turn, where, and under which correlation id (the activity id). */
export type TeamTurn = { actor: PersonRef; place: Place; correlationId: string; now: Date };

export type Busy = { kind: 'busy' };
/** The topic on the agenda: `created` false when it stood there already (the same person's same topic, pressed again). */
export type TopicAdded = { kind: 'added'; team: Team; meeting: Meeting; item: AgendaItem; created: boolean };
export type Invalid = { kind: 'invalid'; fields: string[] };

export type SetUpInput = {
  name: string;
  kind: TeamKind;
  unitId: string | null;
  /** The lead chosen on the card: the person setting up, or one of the municipality's leaders. */
  leadId?: string;
  roles?: string[];
  form: SeriesForm;
};

/** What bringing a case to a meeting came to, as stored. */
export type BringOutcome =
  | { kind: 'brought'; done: Done; team: Team; meeting: Meeting; item: CaseItem }
  /** The case refused (consent, owner, an old card): nothing was written. */
  | { kind: 'case-refused'; refused: Refused }
  /** The team refused (agenda drawn, full, another unit): nothing was written. */
  | { kind: 'team-refused'; refusal: TeamRefusal; team: Team | undefined }
  /** The agenda has the case; its own record could not be confirmed. The same press again completes it. */
  | { kind: 'case-unconfirmed'; team: Team; meeting: Meeting; item: CaseItem }
  | Busy;

export type WithdrawOutcome =
  | { kind: 'withdrawn'; done: Done; team: Team; meeting: Meeting }
  | { kind: 'case-refused'; refused: Refused }
  | { kind: 'team-refused'; refusal: TeamRefusal }
  | Busy;

/** One item on a writer's minutes form, with the owner's own note when the writer is its owner. */
type MinutesEntry = { item: AgendaItem; note: string | null };

export type MinutesForm =
  | { kind: 'form'; team: Team; meeting: Meeting; entries: MinutesEntry[] }
  | { kind: 'nothing-to-write' }
  | { kind: 'all-recorded' }
  | { kind: 'not-found' };

export type TeamServiceDeps = {
  teams: TeamRepository;
  cases: CaseService;
  roster: { isMember(team: Team, personId: string, now: Date): Promise<Membership> };
  municipality: Municipality;
  /** Who leads which unit (the directory): the lead a card may name, and a unit leader's say over the set-up. */
  directory: Pick<DirectoryStore, 'person' | 'unit'>;
  timeZone: string;
  log: Logger;
  minutes: Omit<MinutesDeps, 'teams' | 'cases' | 'log'>;
  /** The report's counters, which a meeting marked held adds to. */
  counters: Pick<ReportCounterRepository, 'apply'>;
  /** Where a counter update or the rhythm's jobs the store did not take wait to be tried again (the one the CaseService uses). */
  unfinished: UnfinishedWork;
  /** The scheduler's jobs for the team's rhythm (absent: none are made). */
  schedule?: TeamJobs;
};

/** The rhythm's jobs, kept equal to the team and its meetings' records (`TeamSchedule`). */
interface TeamJobs {
  sync(before: Team | null, after: Team | null, options?: { now?: Date; repair?: boolean }): Promise<void>;
  syncMeeting(
    team: Team,
    meetingId: string,
    before: TeamMeeting | null,
    after: TeamMeeting | null,
    options?: { now?: Date; repair?: boolean },
  ): Promise<void>;
}

export class TeamService {
  private readonly minutesWriter: TeamMinutes;

  constructor(private readonly deps: TeamServiceDeps) {
    this.minutesWriter = new TeamMinutes({ ...deps.minutes, teams: deps.teams, cases: deps.cases, log: deps.log });
  }

  async read(teamId: string): Promise<Team | undefined> {
    return (await this.deps.teams.read(teamId))?.doc;
  }

  /** The active teams listed for a unit, and those across units (the consent card names them). */
  ofUnit(unitId: string): Promise<{ id: string; name: string }[]> {
    return this.deps.teams.ofUnit(unitId);
  }

  /** The team of a channel activity (by the Teams team id Teams sent, never by card data). */
  async ofPlace(place: Place): Promise<Team | undefined> {
    return place.kind === 'channel' ? this.read(teamKeyOf(place.teamsTeamId)) : undefined;
  }

  /**
   * Laget was added to a team (or a channel of it spoke before the install event reached us): the
   * team is remembered, inactive and with this channel, unless it exists — then nothing changes.
   */
  async register(input: { teamsTeamId: string; name: string; channel: TeamChannel }, now: Date): Promise<Team> {
    const teamId = teamKeyOf(input.teamsTeamId);
    const system: TeamActor = { person: { id: 'laget', name: 'Laget' }, member: true, place: { kind: 'other' }, leaderOf: [] };
    const { team } = await this.deps.teams.change(teamId, (current) => {
      const decided = decideTeam(current ?? null, { type: 'register', teamId, ...input }, system, now) as TeamAccepted;
      return { write: current ? null : decided.team, result: undefined };
    });
    return team!;
  }

  /** Whether the actor may open the set-up card here (a refusal says why and whom to ask). */
  async maySetUp(turn: TeamTurn, team: Team): Promise<TeamRefusal | null> {
    return maySetUp(team, await this.actor(turn, team));
  }

  /** Saves the team's set-up from the card: permission first, then the series, then the change (ETag). */
  async setUp(turn: TeamTurn, team: Team, input: SetUpInput): Promise<TeamAccepted | TeamRefusal | Invalid | Busy> {
    const denied = await this.maySetUp(turn, team);
    if (denied) {
      this.deps.log.info({ teamId: team.teamId, reason: denied.reason }, 'team set-up refused');
      return denied;
    }
    const actor = await this.actor(turn, team);
    const lead = await this.leadOf(turn.actor, input.leadId);
    const units = this.deps.municipality.units.map((unit) => unit.id);
    try {
      let before: Team | null = null;
      const { result } = await this.deps.teams.change<TeamRefusal | TeamAccepted | Invalid>(team.teamId, (current) => {
        before = current ?? null;
        if (!current) return { write: null, result: { kind: 'refused', reason: 'team-not-set-up' } };
        const built = seriesFromForm(
          current.series,
          this.deps.municipality.teamRhythm,
          input.form,
          dayOf(turn.now, this.deps.timeZone),
          this.deps.timeZone,
        );
        if (built.kind === 'invalid') return { write: null, result: built };
        const decided = decideTeam(
          current,
          {
            type: 'set-up',
            name: input.name,
            kind: input.kind,
            unitId: input.unitId,
            lead,
            roles: input.roles ?? current.roles,
            series: built.series,
            units,
          },
          actor,
          turn.now,
        );
        return { write: decided.kind === 'accepted' ? decided.team : null, result: decided };
      });
      if (result.kind === 'accepted') {
        this.deps.log.info({ teamId: team.teamId, movedChannel: result.movedChannel }, 'team set up');
        await this.scheduleTeam(before, result.team, turn.now);
      }
      return result;
    } catch (error) {
      if (error instanceof ConcurrencyConflict) return { kind: 'busy' };
      throw error;
    }
  }

  /** A topic from the team's own channel, by a member on its roster. */
  async addTopic(turn: TeamTurn, teamId: string, meetingId: string, topic: string): Promise<TopicAdded | TeamRefusal | Busy> {
    const team = await this.read(teamId);
    if (!team) return { kind: 'refused', reason: 'team-not-set-up' };
    const actor = await this.actor(turn, team);
    const key = createHash('sha256').update(turn.correlationId).digest('hex').slice(0, 16);
    const decided = await this.onMeeting(team, meetingId, { type: 'add-topic', meetingId, topic, key }, actor, turn.now);
    if (decided.kind !== 'accepted') return decided;
    return { kind: 'added', team, meeting: meetingOf(team, meetingId)!, item: decided.item!, created: decided.created === true };
  }

  /** The meetings of a team that still take items (for the topic card). */
  openMeetings(team: Team, now: Date): Meeting[] {
    return meetingsOpenForItems(team, now);
  }

  /**
   * The owner agrees to what the team proposed: its goal and measures become the case's (the
   * owner's own commands). A goal or measure the case holds already is not added again, so a
   * second press (or Teams resending it) adds nothing twice; the case is changed with the ETag read.
   */
  async addMeasures(
    turn: TeamTurn,
    ref: CaseRef,
    input: { goal?: { text: string; targetOn: string }; measures: readonly { what: string; who: string; dueOn: string }[] },
  ): Promise<Done | Refused | { kind: 'already-added'; caseId: string }> {
    const ctx = this.caseTurn(turn);
    const opened = await this.deps.cases.open(ctx, ref);
    if (opened.kind === 'refused') return opened;
    const existing = opened.case;
    const goal =
      input.goal && !existing.goals.some((g) => g.text === input.goal!.text && g.targetOn === input.goal!.targetOn)
        ? input.goal
        : undefined;
    const actions = input.measures
      .map((m) => ({ what: `${m.what} (${m.who})`, who: { kind: 'other' as const, label: m.who }, dueOn: m.dueOn }))
      .filter((action) => !existing.actions.some((a) => a.what === action.what && a.dueOn === action.dueOn));
    if (!goal && actions.length === 0) return { kind: 'already-added', caseId: existing.id };
    return this.deps.cases.execute(
      ctx,
      ref,
      [...(goal ? [{ type: 'add-goal' as const, goal }] : []), ...actions.map((action) => ({ type: 'add-action' as const, action }))],
      { expectedEtag: opened.etag },
    );
  }

  /** A topic taken off the agenda by whoever added it, or the lead. */
  async removeTopic(turn: TeamTurn, teamId: string, meetingId: string, itemId: string): Promise<MeetingAccepted | TeamRefusal | Busy> {
    const team = await this.read(teamId);
    if (!team) return { kind: 'refused', reason: 'team-not-set-up' };
    return this.onMeeting(team, meetingId, { type: 'remove-item', meetingId, itemId }, await this.actor(turn, team, false), turn.now);
  }

  /**
   * The owner brings a case to a meeting, from their own chat: the team decides whether the
   * meeting takes it, the case whether its owner may (rule 5), the team's item is written, then
   * the case's reference. Keyed by (case, meeting): pressing again changes the one item.
   */
  async bringCase(
    turn: TeamTurn,
    ref: CaseRef,
    input: {
      teamId: string;
      meetingId: string;
      mode: 'anonymous' | 'named';
      questionId: TeamQuestionId;
      note?: string;
      expectedEtag?: string;
    },
  ): Promise<BringOutcome> {
    const team = await this.read(input.teamId);
    if (!team?.active)
      return { kind: 'team-refused', refusal: { kind: 'refused', reason: team ? 'team-inactive' : 'team-not-set-up' }, team };
    const meeting = meetingOf(team, input.meetingId);
    if (!meeting) return { kind: 'team-refused', refusal: { kind: 'refused', reason: 'meeting-not-found' }, team };
    const actor = await this.actor(turn, team, false);
    const command: MeetingCommand = {
      type: 'add-case-item',
      meetingId: meeting.id,
      caseId: ref.caseId,
      caseUnitId: ref.unitId,
      mode: input.mode,
      questionId: input.questionId,
    };
    // The team's answer first, so a meeting that cannot take it never touches the case.
    const record = (await this.deps.teams.readMeeting(team.teamId, meeting.id))?.doc ?? null;
    const early = decideMeeting(team, record, command, actor, turn.now);
    if (early.kind === 'refused') return { kind: 'team-refused', refusal: early, team };

    let written: { item: CaseItem; added: boolean } | undefined;
    try {
      const outcome = await this.deps.cases.execute<TeamRefusal | Busy>(
        this.caseTurn(turn),
        ref,
        {
          type: 'bring-to-team',
          teamId: team.teamId,
          meetingId: meeting.id,
          meetingOn: meeting.date,
          mode: input.mode,
          questionId: input.questionId,
          ...(input.note ? { note: input.note } : {}),
        },
        {
          ...(input.expectedEtag === undefined ? {} : { expectedEtag: input.expectedEtag }),
          beforeSave: async () => {
            const saved = await this.writeMeeting(team, meeting.id, command, actor, turn.now);
            if (saved.kind !== 'accepted') return held(saved);
            written = { item: saved.item as CaseItem, added: (written?.added ?? false) || saved.created === true };
            return { kind: 'go' };
          },
        },
      );
      if (outcome.kind === 'done') return { kind: 'brought', done: outcome, team, meeting, item: written!.item };
      if (outcome.kind === 'held') return outcome.by.kind === 'busy' ? outcome.by : { kind: 'team-refused', refusal: outcome.by, team };
      // The case said no after the item was written (it changed meanwhile): the item it added goes again —
      // unless the case as it is now refers to this meeting (a second press saved the case first and
      // claimed the same item; taking it off would leave the case pointing at nothing).
      const claimed = outcome.current?.doc.teamItems.some(
        (item) => item.teamId === team.teamId && item.meetingId === meeting.id && item.withdrawnAt === null,
      );
      if (written?.added && claimed !== true) await this.undoItem(team, meeting.id, written.item.id, turn);
      return { kind: 'case-refused', refused: outcome };
    } catch (error) {
      if (!written) {
        if (error instanceof ConcurrencyConflict) return { kind: 'busy' };
        throw error;
      }
      this.deps.log.warn(
        { err: error, teamId: team.teamId, caseId: ref.caseId },
        'agenda item written; the case’s reference could not be confirmed',
      );
      return { kind: 'case-unconfirmed', team, meeting, item: written.item };
    }
  }

  /** The owner takes a case off a meeting's agenda (before it is drawn): the item and the case's reference go together. */
  async withdrawCase(turn: TeamTurn, ref: CaseRef, teamId: string, meetingId: string): Promise<WithdrawOutcome> {
    const team = await this.read(teamId);
    const meeting = team ? meetingOf(team, meetingId) : undefined;
    if (!team || !meeting) return { kind: 'team-refused', refusal: { kind: 'refused', reason: 'meeting-not-found' } };
    const actor = await this.actor(turn, team, false);
    const command: MeetingCommand = { type: 'remove-item', meetingId, itemId: `case-${ref.caseId}`, caseWithdrawn: true };
    try {
      const outcome = await this.deps.cases.execute<TeamRefusal | Busy>(
        this.caseTurn(turn),
        ref,
        { type: 'withdraw-from-team', teamId, meetingId },
        {
          beforeSave: async () => {
            const saved = await this.writeMeeting(team, meetingId, command, actor, turn.now);
            return saved.kind === 'accepted' ? { kind: 'go' } : held(saved);
          },
        },
      );
      if (outcome.kind === 'done') return { kind: 'withdrawn', done: outcome, team, meeting };
      if (outcome.kind === 'held') return outcome.by.kind === 'busy' ? outcome.by : { kind: 'team-refused', refusal: outcome.by };
      return { kind: 'case-refused', refused: outcome };
    } catch (error) {
      if (error instanceof ConcurrencyConflict) return { kind: 'busy' };
      throw error;
    }
  }

  /** The active teams a case may be brought to (its unit's and those across units), each with the meetings still taking items. */
  async bringChoices(c: Pick<Case, 'unitId'>, now: Date): Promise<{ team: Team; meetings: Meeting[] }[]> {
    const listed = await this.deps.teams.ofUnit(c.unitId);
    const teams = await Promise.all(listed.map((entry) => this.read(entry.id)));
    return teams.flatMap((team) =>
      team?.active && (team.unitId === null || team.unitId === c.unitId) ? [{ team, meetings: meetingsOpenForItems(team, now) }] : [],
    );
  }

  /**
   * The minutes form of one writer: the lead gets every item, anyone else the items they brought;
   * an owner's own note is read through the CaseService (audited) and shown on their own form only.
   */
  async minutesForm(turn: TeamTurn, teamId: string, meetingId: string): Promise<MinutesForm> {
    const team = await this.read(teamId);
    const meeting = team ? meetingOf(team, meetingId) : undefined;
    if (!team || !meeting) return { kind: 'not-found' };
    const record = (await this.deps.teams.readMeeting(teamId, meetingId))?.doc ?? null;
    const mine = itemsWrittenBy(team, record, turn.actor);
    if (mine.length === 0) return { kind: 'nothing-to-write' };
    const open = mine.filter((item) => item.minutesRecordedAt === null);
    if (open.length === 0) return { kind: 'all-recorded' };
    const entries: MinutesEntry[] = [];
    for (const item of open) {
      if (item.kind !== 'case' || item.owner.id !== turn.actor.id) {
        entries.push({ item, note: null });
        continue;
      }
      const opened = await this.deps.cases.open(
        { ...this.caseTurn(turn), correlationId: `${turn.correlationId}:${item.id}` },
        {
          caseId: item.caseId,
          unitId: item.unitId,
        },
      );
      const reference =
        opened.kind === 'opened' && opened.basis === 'owner'
          ? opened.case.teamItems
              .filter(
                (r) => r.teamId === team.teamId && (r.meetingId === meeting.id || (r.meetingId === null && r.meetingOn === meeting.date)),
              )
              .at(-1)
          : undefined;
      entries.push({ item, note: reference?.note ?? null });
    }
    return { kind: 'form', team, meeting, entries };
  }

  /** Minutes saved in the writer's own chat: each item delivered once (claimed through the domain first), the outcomes recorded. */
  async saveMinutes(
    turn: TeamTurn,
    teamId: string,
    meetingId: string,
    input: { entries: readonly ItemMinutesInput[]; present: readonly string[] },
  ): Promise<
    | { kind: 'saved'; team: Team; meeting: Meeting; record: TeamMeeting | null; outcomes: ItemOutcome[] }
    | { kind: 'not-found' }
    | { kind: 'nothing-to-write' }
    | { kind: 'national-id'; field: string }
  > {
    const team = await this.read(teamId);
    const meeting = team ? meetingOf(team, meetingId) : undefined;
    if (!team || !meeting) return { kind: 'not-found' };
    // The minutes reach a case or its owner: never an identity number (rule 7), in any field.
    for (const entry of input.entries) {
      const field = findNationalId(entry);
      if (field !== null) return { kind: 'national-id', field: `${entry.itemId}.${field}` };
    }
    const record = (await this.deps.teams.readMeeting(teamId, meetingId))?.doc ?? null;
    // Only the lead and those who brought an item write minutes; anyone else changes nothing (the form's data is not trusted).
    const items = itemsWrittenBy(team, record, turn.actor);
    if (items.length === 0) return { kind: 'nothing-to-write' };
    const actor = await this.actor(turn, team, false);
    const outcomes = await this.minutesWriter.save({
      team,
      meeting,
      actor,
      items,
      entries: input.entries,
      present: input.present,
      correlationId: turn.correlationId,
      now: turn.now,
    });
    const after = (await this.deps.teams.readMeeting(teamId, meetingId))?.doc ?? null;
    return { kind: 'saved', team, meeting, record: after, outcomes };
  }

  /**
   * The lead (or a leader of the unit) marks the meeting as held: its counts become a typed record,
   * and the report's counters take them (once: a meeting is held once, and the change is keyed by it).
   */
  async closeMeeting(turn: TeamTurn, teamId: string, meetingId: string): Promise<MeetingAccepted | TeamRefusal | Busy> {
    const team = await this.read(teamId);
    if (!team) return { kind: 'refused', reason: 'team-not-set-up' };
    const decided = await this.onMeeting(
      team,
      meetingId,
      { type: 'close-meeting', meetingId },
      await this.actor(turn, team, false),
      turn.now,
    );
    if (decided.kind === 'accepted' && decided.changed) await this.count(team, decided.meeting, turn.now);
    return decided;
  }

  /** Laget draws the agenda for posting (the scheduler): the record as drawn, or undefined when the meeting is gone. */
  async drawAgenda(team: Team, meetingId: string, now: Date): Promise<TeamMeeting | undefined> {
    const decided = await this.writeMeeting(team, meetingId, { type: 'draw-agenda', meetingId }, null, now);
    return decided.kind === 'accepted' ? decided.meeting : undefined;
  }

  /** Laget was removed from the team: its rhythm stops until it is set up again. */
  async deactivate(teamId: string, now: Date): Promise<Team | undefined> {
    const system: TeamActor = { person: { id: 'laget', name: 'Laget' }, member: true, place: { kind: 'other' }, leaderOf: [] };
    let before: Team | null = null;
    const { team } = await this.deps.teams.change(teamId, (current) => {
      before = current ?? null;
      if (!current) return { write: null, result: undefined };
      const decided = decideTeam(current, { type: 'deactivate' }, system, now) as TeamAccepted;
      return { write: decided.team, result: undefined };
    });
    if (before && team) await this.scheduleTeam(before, team, now);
    return team;
  }

  async meetingRecord(teamId: string, meetingId: string): Promise<TeamMeeting | null> {
    return (await this.deps.teams.readMeeting(teamId, meetingId))?.doc ?? null;
  }

  private async onMeeting(team: Team, meetingId: string, command: MeetingCommand, actor: TeamActor, now: Date) {
    const decided = await this.writeMeeting(team, meetingId, command, actor, now);
    if (decided.kind === 'accepted' && decided.changed)
      this.deps.log.info({ teamId: team.teamId, meetingId, command: command.type }, 'team meeting changed');
    return decided;
  }

  /** Decides the command on the meeting's record as stored and writes it with the ETag read. */
  private async writeMeeting(
    team: Team,
    meetingId: string,
    command: MeetingCommand,
    actor: TeamActor | null,
    now: Date,
  ): Promise<MeetingAccepted | TeamRefusal | Busy> {
    try {
      let before: TeamMeeting | null = null;
      const { result } = await this.deps.teams.changeMeeting(team.teamId, meetingId, (current) => {
        before = current;
        const decided = decideMeeting(team, current, command, actor, now);
        return { write: decided.kind === 'accepted' && decided.changed ? decided.meeting : null, result: decided };
      });
      if (result.kind === 'accepted' && result.changed) await this.scheduleMeeting(team, meetingId, before, result.meeting, now);
      return result;
    } catch (error) {
      if (error instanceof ConcurrencyConflict) return { kind: 'busy' };
      throw error;
    }
  }

  /**
   * A held meeting's counts go to the report right after the save. A failure never undoes it: it is
   * logged and kept in the process's unfinished work (the CaseService's queue), and applied once the store answers.
   */
  private async count(team: Team, meeting: TeamMeeting, now: Date): Promise<void> {
    const change = heldMeetingChange(team, meeting);
    if (change === null) return;
    const run = () => this.deps.counters.apply(change, now);
    try {
      await run();
    } catch (error) {
      const about = { teamId: team.teamId, meetingId: meeting.meetingId };
      this.deps.log.error({ err: error, ...about, change: change.key }, 'report counters could not be updated; kept to apply again');
      this.deps.unfinished.keep({ about, what: 'report counters', run });
    }
  }

  /** Takes back an item this operation added, when the case it belongs to said no after all. */
  private async undoItem(team: Team, meetingId: string, itemId: string, turn: TeamTurn): Promise<void> {
    try {
      let before: TeamMeeting | null = null;
      const { meeting } = await this.deps.teams.changeMeeting(team.teamId, meetingId, (current) => {
        before = current;
        return {
          write:
            current && current.items.some((i) => i.id === itemId)
              ? { ...current, items: current.items.filter((i) => i.id !== itemId), updatedAt: turn.now.toISOString() }
              : null,
          result: undefined,
        };
      });
      if (meeting !== before) await this.scheduleMeeting(team, meetingId, before, meeting, turn.now);
    } catch (error) {
      this.deps.log.error(
        { err: error, teamId: team.teamId, meetingId, itemId },
        'an agenda item whose case said no could not be taken back',
      );
    }
  }

  /**
   * The rhythm's jobs follow the team right after its save: a new series gets its meetings' jobs,
   * a changed offset or moved meeting moves them, a team Laget no longer serves takes them back.
   * Like the case's jobs, a failure never undoes the change: it is logged and kept, and tried again
   * from the team as it is then (`UnfinishedWork`).
   */
  private async scheduleTeam(before: Team | null, after: Team, now: Date): Promise<void> {
    const schedule = this.deps.schedule;
    if (!schedule) return;
    if (this.deps.unfinished.count > 0) void this.deps.unfinished.finish(); // the store answers again: catch up, off this turn's path
    try {
      await schedule.sync(before, after, { now });
    } catch (error) {
      this.deps.log.error({ err: error, teamId: after.teamId }, "the team's scheduled jobs could not be updated; kept to try again");
      this.deps.unfinished.keep({
        about: { teamId: after.teamId },
        what: 'scheduled jobs',
        run: async () => schedule.sync(before, (await this.read(after.teamId)) ?? null, { repair: true }),
      });
    }
  }

  /** A meeting's record changed: the reminders to its items' owners follow who has items on it (kept on failure, as above). */
  private async scheduleMeeting(
    team: Team,
    meetingId: string,
    before: TeamMeeting | null,
    after: TeamMeeting | null,
    now: Date,
  ): Promise<void> {
    const schedule = this.deps.schedule;
    if (!schedule) return;
    try {
      await schedule.syncMeeting(team, meetingId, before, after, { now });
    } catch (error) {
      this.deps.log.error(
        { err: error, teamId: team.teamId, meetingId },
        "the meeting's reminders could not be updated; kept to try again",
      );
      this.deps.unfinished.keep({
        about: { teamId: team.teamId, meetingId },
        what: 'scheduled jobs',
        run: async () => {
          const current = await this.read(team.teamId);
          if (current)
            await schedule.syncMeeting(current, meetingId, before, await this.meetingRecord(team.teamId, meetingId), { repair: true });
        },
      });
    }
  }

  /** The actor as the domain needs them; the roster is asked only when it matters (`member: 'unknown'` otherwise). */
  private async actor(turn: TeamTurn, team: Team, withMembership = true): Promise<TeamActor> {
    const needed = withMembership && turn.place.kind === 'channel' && turn.place.teamsTeamId === team.teamsTeamId;
    return {
      person: turn.actor,
      member: needed ? await this.deps.roster.isMember(team, turn.actor.id, turn.now) : 'unknown',
      place: turn.place,
      leaderOf: ((await this.deps.directory.person(turn.actor.id))?.units ?? []).filter((unit) => unit.leads).map((unit) => unit.unitId),
    };
  }

  private caseTurn(turn: TeamTurn): TurnContext {
    return { actor: turn.actor, correlationId: turn.correlationId, now: turn.now };
  }

  /** The lead the card names: the person setting up, or one of the units' leaders in the directory (anyone else: the person). */
  private async leadOf(me: PersonRef, leadId: string | undefined): Promise<PersonRef> {
    if (!leadId || leadId === me.id) return me;
    const leaders = await Promise.all(
      this.deps.municipality.units.map(async (unit) => activeLeaders(await this.deps.directory.unit(unit.id))),
    );
    return leaders.flat().find((leader) => leader.id === leadId) ?? me;
  }
}

/** The case is not saved: the team said no (or was too busy), and why goes into the case's audit entry. */
function held(by: TeamRefusal | Busy): { kind: 'held'; by: TeamRefusal | Busy; reason: string } {
  return { kind: 'held', by, reason: by.kind === 'busy' ? 'team-busy' : `team:${by.reason}` };
}
