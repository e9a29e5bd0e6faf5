import { findMeeting, rhythmOf, type Meeting, type MeetingSeries } from '../domain/meeting-series';
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
import type { AgendaItem, Team, TeamRepository } from '../store/teams';
import type { Job, JobSpec } from '../scheduler/job';
import type { Composer, Composition } from '../scheduler/job-runner';
import { meetingJobSpecs } from '../scheduler/meeting-jobs';
import type { JobSource } from '../scheduler/scheduler';

/**
 * The team's rhythm, composed at send time from the team as it is then. What a channel may show
 * is decided here, once: the meeting, case codes, neutral questions of anonymous items, topics,
 * time slots, who brings each item (staff) and whether it is anonymous or named. Never an alias,
 * initials, a name, a birth date or a class — and a named item whose consent no longer covers the
 * team is taken off the list.
 */

/** Channel posts are in the municipality's language (a channel has no single reader's locale). */
const CHANNEL_LOCALE: Locale = 'nb';
const SCHEDULER_ACTOR = 'laget-scheduler';

type TeamJobParams = { teamId: string; seriesId: string; meetingId: string; personId?: string };

type Deps = {
  teams: TeamRepository;
  cases: CaseRepository;
  people: PeopleRepository;
  audit: AuditLog;
  timeZone: string;
  log: Logger;
};

/** Creates the rhythm's jobs for every active team, a couple of days ahead, so downtime cannot skip them. */
export class TeamRhythmSource implements JobSource {
  readonly name = 'team-rhythm';

  constructor(private readonly deps: Deps & { horizonMs?: number }) {}

  async due(now: Date): Promise<JobSpec[]> {
    const specs: JobSpec[] = [];
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
          horizonMs: this.deps.horizonMs ?? 2 * 24 * 3600 * 1000,
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

  /** The meeting's items as the channel may show them; named cases are checked against consent now. */
  protected async agendaLines(job: Job, team: Team, meeting: Meeting, now: Date): Promise<AgendaLine[]> {
    const t = catalogue(CHANNEL_LOCALE);
    const items = team.items
      .filter((item) => item.meetingId === meeting.id)
      .sort((a, b) => (a.kind === b.kind ? a.addedAt.localeCompare(b.addedAt) : a.kind === 'case' ? -1 : 1));
    const minutes = slotMinutes(meeting, items.length);
    const lines: AgendaLine[] = [];
    for (const [index, item] of items.entries()) {
      const n = index + 1;
      if (item.kind === 'topic') {
        lines.push({ item, posted: true, text: `${format(t.teams.agendaTopic, { n, minutes, owner: item.owner.name })}\n${item.question}` });
        continue;
      }
      const stillAllowed = await this.stillOnAgenda(job, item, team, now);
      if (!stillAllowed) {
        lines.push({ item, posted: false, text: format(t.teams.agendaWithheld, { n, code: item.caseId ?? '' }) });
        continue;
      }
      const header = format(t.teams.agendaCase, { n, code: item.caseId ?? '', minutes, owner: item.owner.name, mode: t.teams.modeShort[item.mode ?? 'anonymous'] });
      // Only the anonymous item's question was checked to be neutral; a named item's may name the child.
      lines.push({ item, posted: true, text: item.mode === 'anonymous' ? `${header}\n${item.question}` : header });
    }
    return lines;
  }

  /** A case item stays on the agenda while the case is open and, if named, consent still covers the team. */
  private async stillOnAgenda(job: Job, item: AgendaItem, team: Team, now: Date): Promise<boolean> {
    if (!item.caseId || !item.unitId) return false;
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
    if (!found || found.doc.status === 'closed') return false;
    return canBringToTeam(found.doc, team.teamId, item.mode ?? 'anonymous', now, this.deps.timeZone).kind === 'allowed';
  }
}

export class CallForCasesComposer extends TeamComposer {
  async compose(job: Job): Promise<Composition> {
    const found = await this.meetingOf(job);
    if (!found) return { kind: 'drop', reason: 'team or meeting no longer in the series' };
    const t = catalogue(CHANNEL_LOCALE);
    const agendaDue = rhythmOf(found.series, found.meeting).find((step) => step.kind === 'agenda');
    const deadline = agendaDue ? formatDay(dayOf(agendaDue.dueAt, this.deps.timeZone), CHANNEL_LOCALE) : formatDay(found.meeting.date, CHANNEL_LOCALE);
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
    const lines = await this.agendaLines(job, found.team, found.meeting, now);
    return post(
      teamPost({
        title: format(t.teams.agendaTitle, { name: found.team.name, meeting: meetingText(CHANNEL_LOCALE, found.meeting) }),
        lines: lines.length > 0 ? lines.map((line) => line.text) : [t.teams.agendaEmpty],
      }),
    );
  }
}

/** The minutes post shows what the agenda showed, and a button to write them in one's own chat. */
export class MinutesComposer extends TeamComposer {
  async compose(job: Job, now: Date): Promise<Composition> {
    const found = await this.meetingOf(job);
    if (!found) return { kind: 'drop', reason: 'team or meeting no longer in the series' };
    const t = catalogue(CHANNEL_LOCALE);
    const lines = await this.agendaLines(job, found.team, found.meeting, now);
    if (lines.length === 0) return { kind: 'drop', reason: 'nothing was on the agenda' };
    return post(
      teamPost({
        title: format(t.teams.minutesTitle, { name: found.team.name, meeting: meetingText(CHANNEL_LOCALE, found.meeting) }),
        paragraphs: [t.teams.minutesText],
        lines: lines.map((line) => line.text.split('\n')[0]!),
        buttons: [{ title: t.teams.writeMinutes, data: { verb: 'team.minutes-form', teamId: found.team.teamId, meetingId: found.meeting.id } }],
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
        paragraphs: [format(t.teams.ownerReminderText, { items: mine.map((item) => item.caseId ?? item.question).join(', '), name: found.team.name })],
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
  return { kind: 'post', activity: { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] } };
}

export const TEAM_INACTIVE_JOB_KIND = 'team.inactive';

/**
 * The bot was removed from the team (403 BotNotInConversationRoster): stop the rhythm rather than
 * retry for ever, and tell the team's lead in their own chat how to start it again.
 */
export class TeamRemovedHandler {
  constructor(private readonly deps: Deps & { jobs: { ensure(job: Job): Promise<unknown> }; newJob: (spec: JobSpec, now: Date) => Job; now: () => Date }) {}

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
        { id: `team:${teamId}:inactive:${dayOf(now, this.deps.timeZone)}`, kind: TEAM_INACTIVE_JOB_KIND, dueAt: now.toISOString(), staleAfter: null, address, params: { teamId } },
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
