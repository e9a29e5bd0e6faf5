import { cardMessage } from '../scheduler/conversation-port';
import { findMeeting, rhythmOf, type Meeting, type MeetingSeries, type RhythmKind } from '../domain/meeting-series';
import { FALLBACK_TEAM_QUESTION, teamQuestionLabel } from '../domain/team-questions';
import { canBringToTeam } from '../domain/rules';
import { dayOf } from '../domain/time';
import { meetingText, teamPost } from '../cards/teams';
import type { AdaptiveCardJson } from '../cards/guards';
import { catalogue, format, formatDay, type Locale } from '../i18n';
import type { Logger } from '../log';
import type { AuditLog } from '../store/audit-log';
import type { CaseRepository } from '../store/case-repository';
import type { PersonalAddress } from '../store/conversation-address';
import type { PeopleRepository } from '../store/people';
import { meetingRecord, withMeetingRecord, type AgendaItem, type Team, type TeamRepository } from '../store/teams';
import type { Job, JobSpec, SourceSpec } from '../scheduler/job';
import { jobId } from '../scheduler/job-id';
import type { Composer, Composition } from '../scheduler/job-runner';
import { MEETING_JOB_KINDS, MOVE_HORIZON_EXTRA_MS, meetingJobSpecs } from '../scheduler/meeting-jobs';
import type { JobSource } from '../scheduler/scheduler';

/**
 * The team's rhythm, composed at send time from the team as it is then. What a channel may show
 * is decided here, once: the meeting, case codes, the question each case was brought with (from
 * the fixed neutral list — never free text), topics staff typed in the channel, time slots, who
 * brings each item (staff) and whether it is anonymous or named. Never an alias, initials, a name,
 * a birth date or a class — and a named item whose consent no longer covers the team, or whose
 * case is closed, is taken off the list. The minutes post shows only what the agenda listed.
 */

/** Channel posts are in the municipality's language (a channel has no single reader's locale). */
const CHANNEL_LOCALE: Locale = 'nb';
const SCHEDULER_ACTOR = 'laget-scheduler';

type TeamJobParams = { teamId: string; seriesId: string; meetingId: string; personId?: string };

/** Structural, so that the card samples can run the real composers over a seeded team in memory. */
export type TeamComposerDeps = {
  teams: Pick<TeamRepository, 'read' | 'update' | 'active'>;
  cases: Pick<CaseRepository, 'read'>;
  people: Pick<PeopleRepository, 'read'>;
  audit: Pick<AuditLog, 'append'>;
  timeZone: string;
  log: Logger;
};
type Deps = TeamComposerDeps;

/**
 * Creates the rhythm's jobs for every active team, a couple of days ahead, so downtime cannot skip
 * them. A team that changes its offsets keeps its job ids, so the source also names the jobs that
 * may exist under the old offsets, and the scheduler moves those still pending (ETag-guarded).
 */
export class TeamRhythmSource implements JobSource {
  readonly name = 'team-rhythm';
  readonly movesPending = true;

  constructor(private readonly deps: Pick<Deps, 'teams' | 'people'> & { horizonMs?: number }) {}

  async due(now: Date): Promise<SourceSpec[]> {
    const specs: SourceSpec[] = [];
    const horizonMs = this.deps.horizonMs ?? 2 * 24 * 3600 * 1000;
    for (const team of await this.deps.teams.active()) {
      if (!team.series) continue;
      const owners = await this.ownerAddresses(team);
      specs.push(
        ...meetingJobSpecs({
          teamId: team.teamId,
          series: team.series,
          channel: team.channel,
          ownersOf: (meeting) =>
            [...new Set(team.items.filter((item) => item.meetingId === meeting.id).map((item) => item.owner.id))].flatMap((personId) => {
              const address = owners.get(personId);
              return address ? [{ personId, address }] : [];
            }),
          now,
          horizonMs,
          moveHorizonMs: horizonMs + MOVE_HORIZON_EXTRA_MS,
        }),
      );
    }
    return specs;
  }

  private async ownerAddresses(team: Team): Promise<Map<string, PersonalAddress>> {
    const addresses = new Map<string, PersonalAddress>();
    for (const personId of new Set(team.items.map((item) => item.owner.id))) {
      const address = (await this.deps.people.read(personId))?.doc.personalChat;
      if (address) addresses.set(personId, address);
    }
    return addresses;
  }
}

/** What one agenda line says; computed the same way for the agenda and the minutes post. */
type AgendaLine = { item: AgendaItem; text: string; posted: boolean };

abstract class TeamComposer implements Composer {
  constructor(protected readonly deps: Deps) {}

  abstract compose(job: Job, now: Date): Promise<Composition>;

  /** The team and meeting the job is about, if both still hold (a moved meeting drops its messages). */
  protected async meetingOf(job: Job): Promise<{ team: Team; series: MeetingSeries; meeting: Meeting } | undefined> {
    const params = job.params as TeamJobParams;
    const team = (await this.deps.teams.read(params.teamId))?.doc;
    if (!team?.active || !team.series || team.series.id !== params.seriesId) return undefined;
    const meeting = findMeeting(team.series, params.meetingId);
    return meeting ? { team, series: team.series, meeting } : undefined;
  }

  /** The meeting's items in agenda order: cases as they were brought, then topics. */
  protected itemsOf(team: Team, meeting: Meeting): AgendaItem[] {
    return team.items
      .filter((item) => item.meetingId === meeting.id)
      .sort((a, b) => (a.kind === b.kind ? a.addedAt.localeCompare(b.addedAt) : a.kind === 'case' ? -1 : 1));
  }

  /**
   * The items as the channel may show them, numbered in the given order; a case item is checked
   * now (open, and for a named item a consent covering the team) and otherwise shown as taken off
   * the list, by its code only.
   */
  protected async agendaLines(job: Job, team: Team, meeting: Meeting, items: readonly AgendaItem[], now: Date): Promise<AgendaLine[]> {
    const t = catalogue(CHANNEL_LOCALE);
    const minutes = slotMinutes(meeting, items.length);
    const lines: AgendaLine[] = [];
    for (const [index, item] of items.entries()) {
      const n = index + 1;
      if (item.kind === 'topic') {
        // Typed in the channel by staff (checked for identity numbers then): shown as typed.
        lines.push({
          item,
          posted: true,
          text: `${format(t.teams.agendaTopic, { n, minutes, owner: item.owner.name })}\n${item.topic ?? ''}`,
        });
        continue;
      }
      const standing = await this.standing(job, item, team, now);
      if (standing !== 'allowed') {
        const withheld = standing === 'case-closed' ? t.teams.agendaWithheldClosed : t.teams.agendaWithheld;
        lines.push({ item, posted: false, text: format(withheld, { n, code: item.caseId ?? '' }) });
        continue;
      }
      const header = format(t.teams.agendaCase, {
        n,
        code: item.caseId ?? '',
        minutes,
        owner: item.owner.name,
        mode: t.teams.modeShort[item.mode ?? 'anonymous'],
      });
      // Only the question chosen from the fixed list: the owner's own note never leaves the case.
      lines.push({
        item,
        posted: true,
        text: `${header}\n${teamQuestionLabel(item.questionId ?? FALLBACK_TEAM_QUESTION, CHANNEL_LOCALE)}`,
      });
    }
    return lines;
  }

  /** A case item stays on the list while the case is open and, if named, consent still covers the team. */
  private async standing(job: Job, item: AgendaItem, team: Team, now: Date): Promise<'allowed' | 'case-closed' | 'consent-missing'> {
    if (!item.caseId || !item.unitId) return 'consent-missing';
    const found = await this.deps.cases.read({ caseId: item.caseId, unitId: item.unitId });
    await this.deps.audit.append({
      caseId: item.caseId,
      at: now.toISOString(),
      actorId: SCHEDULER_ACTOR,
      operation: 'read',
      command: job.kind,
      basis: 'system',
      outcome: 'allowed',
      correlationId: job.id,
    });
    if (!found || found.doc.status === 'closed') return 'case-closed';
    return canBringToTeam(found.doc, team.teamId, item.mode ?? 'anonymous', now, this.deps.timeZone).kind === 'allowed'
      ? 'allowed'
      : 'consent-missing';
  }
}

export class CallForCasesComposer extends TeamComposer {
  async compose(job: Job): Promise<Composition> {
    const found = await this.meetingOf(job);
    if (!found) return { kind: 'drop', reason: 'team or meeting no longer in the series' };
    const t = catalogue(CHANNEL_LOCALE);
    const agendaDue = rhythmOf(found.series, found.meeting).find((step) => step.kind === 'agenda');
    const deadline = agendaDue
      ? formatDay(dayOf(agendaDue.dueAt, this.deps.timeZone), CHANNEL_LOCALE)
      : formatDay(found.meeting.date, CHANNEL_LOCALE);
    return post(
      teamPost({
        title: format(t.teams.callTitle, { name: found.team.name }),
        paragraphs: [format(t.teams.callText, { meeting: meetingText(CHANNEL_LOCALE, found.meeting), deadline })],
        buttons: [{ title: t.teams.topic, data: { verb: 'team.topic-form', teamId: found.team.teamId } }],
      }),
    );
  }
}

export class AgendaComposer extends TeamComposer {
  async compose(job: Job, now: Date): Promise<Composition> {
    const found = await this.meetingOf(job);
    if (!found) return { kind: 'drop', reason: 'team or meeting no longer in the series' };
    const t = catalogue(CHANNEL_LOCALE);
    const items = this.itemsOf(found.team, found.meeting);
    const lines = await this.agendaLines(job, found.team, found.meeting, items, now);
    // What this agenda lists is what the minutes post may show later (items added after it are
    // written up in the minutes form, never shown in the channel). Recomposing after a deferred
    // send overwrites it with what is then posted.
    const itemIds = items.map((item) => item.id);
    await this.deps.teams.update(found.team.teamId, now, (current) =>
      withMeetingRecord(current, found.meeting.id, (record) => ({ ...record, agenda: { itemIds, at: now.toISOString() } })),
    );
    return post(
      teamPost({
        title: format(t.teams.agendaTitle, { name: found.team.name, meeting: meetingText(CHANNEL_LOCALE, found.meeting) }),
        lines: lines.length > 0 ? lines.map((line) => line.text) : [t.teams.agendaEmpty],
      }),
    );
  }
}

/**
 * The minutes post shows what the agenda listed — the snapshot taken when it was posted, in its
 * numbering, each item checked again now (taken off the list if it may no longer be shown) — and a
 * button to write the minutes in one's own chat. Items added after the agenda went out are not
 * shown here; they appear on the minutes form of the lead and of whoever brought them.
 */
export class MinutesComposer extends TeamComposer {
  async compose(job: Job, now: Date): Promise<Composition> {
    const found = await this.meetingOf(job);
    if (!found) return { kind: 'drop', reason: 'team or meeting no longer in the series' };
    const t = catalogue(CHANNEL_LOCALE);
    const items = this.itemsOf(found.team, found.meeting);
    if (items.length === 0) return { kind: 'drop', reason: 'nothing was on the agenda' };
    const snapshot = meetingRecord(found.team, found.meeting.id)?.agenda;
    let shown: string[];
    if (snapshot) {
      const listed = snapshot.itemIds.flatMap((id) => items.find((item) => item.id === id) ?? []);
      const lines = await this.agendaLines(job, found.team, found.meeting, listed, now);
      shown = lines.map((line) => line.text.split('\n')[0]!);
    } else {
      shown = [t.teams.minutesNoAgenda];
    }
    return post(
      teamPost({
        title: format(t.teams.minutesTitle, { name: found.team.name, meeting: meetingText(CHANNEL_LOCALE, found.meeting) }),
        paragraphs: [t.teams.minutesText],
        lines: shown,
        buttons: [
          { title: t.teams.writeMinutes, data: { verb: 'team.minutes-form', teamId: found.team.teamId, meetingId: found.meeting.id } },
        ],
      }),
    );
  }
}

/** Two days before: the owners of items, in their own chat, with their items. */
export class OwnerReminderComposer extends TeamComposer {
  async compose(job: Job): Promise<Composition> {
    const found = await this.meetingOf(job);
    if (!found) return { kind: 'drop', reason: 'team or meeting no longer in the series' };
    const personId = (job.params as TeamJobParams).personId;
    const mine = found.team.items.filter((item) => item.meetingId === found.meeting.id && item.owner.id === personId);
    if (mine.length === 0) return { kind: 'drop', reason: 'the person has nothing on the agenda now' };
    const locale = (await this.deps.people.read(personId ?? ''))?.doc.locale ?? 'nb';
    const t = catalogue(locale);
    return post(
      teamPost({
        title: format(t.teams.ownerReminderTitle, { meeting: meetingText(locale, found.meeting) }),
        paragraphs: [
          format(t.teams.ownerReminderText, {
            items: mine.map((item) => item.caseId ?? item.topic ?? '').join(', '),
            name: found.team.name,
          }),
        ],
      }),
    );
  }
}

/** Minutes of time per item: the meeting's length shared out, in steps of five minutes, at least five. */
function slotMinutes(meeting: Meeting, items: number): number {
  const length = (Date.parse(meeting.endsAt) - Date.parse(meeting.startsAt)) / 60_000;
  return Math.max(5, Math.floor(length / Math.max(1, items) / 5) * 5);
}

function post(card: AdaptiveCardJson): Composition {
  return { kind: 'post', activity: cardMessage(card) };
}

export const TEAM_INACTIVE_JOB_KIND = 'team.inactive';

/**
 * The bot was removed from the team (403 BotNotInConversationRoster): stop the rhythm rather than
 * retry for ever, and tell the team's lead in their own chat how to start it again.
 */
export class TeamRemovedHandler {
  constructor(
    private readonly deps: Deps & {
      jobs: { ensure(job: Job): Promise<unknown> };
      newJob: (spec: JobSpec, now: Date) => Job;
      now: () => Date;
    },
  ) {}

  async onNotInRoster(job: Job): Promise<void> {
    const teamId = (job.params as Partial<TeamJobParams>).teamId;
    if (!teamId || job.address.kind !== 'channel') return;
    const now = this.deps.now();
    const team = await this.deps.teams.update(teamId, now, (current) => ({ ...current, active: false }));
    this.deps.log.warn({ teamId }, 'Laget is no longer in the team; its rhythm is stopped');
    const lead = team.lead ? await this.deps.people.read(team.lead.id) : undefined;
    const address = lead?.doc.personalChat;
    if (!address) return;
    await this.deps.jobs.ensure(
      this.deps.newJob(
        {
          id: `team:${teamId}:inactive:${dayOf(now, this.deps.timeZone)}`,
          kind: TEAM_INACTIVE_JOB_KIND,
          dueAt: now.toISOString(),
          staleAfter: null,
          address,
          params: { teamId },
        },
        now,
      ),
    );
  }
}

export class TeamInactiveComposer implements Composer {
  constructor(private readonly deps: Pick<Deps, 'teams'>) {}

  async compose(job: Job): Promise<Composition> {
    const team = (await this.deps.teams.read((job.params as { teamId: string }).teamId))?.doc;
    if (!team || team.active) return { kind: 'drop', reason: 'the team is active again' };
    const t = catalogue('nb');
    return post(teamPost({ title: team.name, paragraphs: [format(t.teams.inactive, { name: team.name })] }));
  }
}

export const TEAM_POST_PROBLEM_JOB_KIND = 'team.post-problem';

/** The channel posts whose loss the lead should hear about, by job kind. */
type ChannelPost = Exclude<RhythmKind, 'owner-reminders'>;
const CHANNEL_POST_KINDS: Readonly<Record<string, ChannelPost>> = {
  [MEETING_JOB_KINDS['call-for-cases']]: 'call-for-cases',
  [MEETING_JOB_KINDS.agenda]: 'agenda',
  [MEETING_JOB_KINDS.minutes]: 'minutes',
};

type PostProblemParams = { teamId: string; seriesId: string; meetingId: string; post: ChannelPost; outcome: 'failed' | 'unknown' };

/**
 * A call for cases, agenda or minutes post that failed, or may not have arrived (an unknown
 * outcome is never re-posted): the team's lead is told in their own chat. The notice is a job
 * whose id derives from the lost post's, created create-only, so the lead hears it exactly once
 * however many instances or runs report it.
 */
export class TeamPostProblemHandler {
  constructor(
    private readonly deps: Pick<Deps, 'teams' | 'people' | 'log'> & {
      jobs: { ensure(job: Job): Promise<unknown> };
      newJob: (spec: JobSpec, now: Date) => Job;
      now: () => Date;
    },
  ) {}

  onFailed(job: Job): Promise<void> {
    return this.tellLead(job, 'failed');
  }

  onUnknown(job: Job): Promise<void> {
    return this.tellLead(job, 'unknown');
  }

  private async tellLead(job: Job, outcome: 'failed' | 'unknown'): Promise<void> {
    const postKind = CHANNEL_POST_KINDS[job.kind];
    const params = job.params as Partial<TeamJobParams>;
    if (!postKind || job.address.kind !== 'channel' || !params.teamId || !params.seriesId || !params.meetingId) return;
    const team = (await this.deps.teams.read(params.teamId))?.doc;
    const lead = team?.lead ? await this.deps.people.read(team.lead.id) : undefined;
    const address = lead?.doc.personalChat;
    if (!address) {
      this.deps.log.warn(
        { teamId: params.teamId, jobId: job.id, outcome },
        'a channel post was lost and the team has no lead Laget can reach',
      );
      return;
    }
    const now = this.deps.now();
    const problem: PostProblemParams = {
      teamId: params.teamId,
      seriesId: params.seriesId,
      meetingId: params.meetingId,
      post: postKind,
      outcome,
    };
    await this.deps.jobs.ensure(
      this.deps.newJob(
        {
          id: jobId('team-post-problem', job.id),
          kind: TEAM_POST_PROBLEM_JOB_KIND,
          dueAt: now.toISOString(),
          staleAfter: null,
          address,
          params: problem,
        },
        now,
      ),
    );
  }
}

/** The lead's notice of a lost channel post, in the lead's language. */
export class TeamPostProblemComposer implements Composer {
  constructor(private readonly deps: Pick<Deps, 'teams' | 'people'>) {}

  async compose(job: Job): Promise<Composition> {
    const params = job.params as PostProblemParams;
    const team = (await this.deps.teams.read(params.teamId))?.doc;
    if (!team) return { kind: 'drop', reason: 'the team is gone' };
    const meeting = team.series?.id === params.seriesId ? findMeeting(team.series, params.meetingId) : undefined;
    const locale = (team.lead ? (await this.deps.people.read(team.lead.id))?.doc.locale : undefined) ?? 'nb';
    const t = catalogue(locale);
    const sentence = params.outcome === 'failed' ? t.teams.postFailed : t.teams.postUnknown;
    return post(
      teamPost({
        title: team.name,
        paragraphs: [
          format(sentence, {
            what: t.teams.postKinds[params.post],
            meeting: meeting ? meetingText(locale, meeting) : params.meetingId,
            name: team.name,
          }),
        ],
      }),
    );
  }
}
