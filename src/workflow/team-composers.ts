import { cardMessage } from '../scheduler/conversation-port';
import type { Case } from '../domain/case';
import { findMeeting, type Meeting, type MeetingSeries, type RhythmKind } from '../domain/meeting-series';
import type { AgendaItem, Team } from '../domain/team';
import { channelAgenda, channelCallForCases, channelMinutes, type CaseLookup } from '../domain/team-channel';
import { dayOf } from '../domain/time';
import { agendaPost, callForCasesPost, meetingText, minutesPost, ownerReminderCard, teamPost } from '../cards/teams';
import type { AdaptiveCardJson } from '../cards/guards';
import { catalogue, format, type Locale } from '../i18n';
import type { Logger } from '../log';
import type { PeopleRepository } from '../store/people';
import type { Job, JobSpec } from '../scheduler/job';
import { jobId } from '../scheduler/job-id';
import type { Composer, Composition } from '../scheduler/job-runner';
import { MEETING_JOB_KINDS } from '../scheduler/meeting-jobs';
import type { CaseService } from './case-service';
import type { TeamService } from './team-service';

/**
 * The team's rhythm, composed at send time from the team as it is then. What a channel may show
 * is decided by the channel projection (src/domain/team-channel.ts) and drawn by the cards; a
 * case behind an item is read through the case service (audited once as the system's read: the
 * channel, not one person, is shown what the projection allows) so the projection can check it.
 */

/** Channel posts are in the municipality's language (a channel has no single reader's locale). */
const CHANNEL_LOCALE: Locale = 'nb';

type TeamJobParams = { teamId: string; seriesId: string; meetingId: string; personId?: string };

/** Structural, so that the card samples can run the real composers over a seeded team in memory. */
export type TeamComposerDeps = {
  teams: Pick<TeamService, 'read' | 'meetingRecord' | 'drawAgenda'>;
  cases: Pick<CaseService, 'openForSystem'>;
  people: Pick<PeopleRepository, 'read'>;
  timeZone: string;
  log: Logger;
};
type Deps = TeamComposerDeps;

abstract class TeamComposer implements Composer {
  constructor(protected readonly deps: Deps) {}

  abstract compose(job: Job, now: Date): Promise<Composition>;

  /** The team and meeting the job is about, if both still hold (a moved meeting drops its messages). */
  protected async meetingOf(job: Job): Promise<{ team: Team; series: MeetingSeries; meeting: Meeting } | undefined> {
    const params = job.params as TeamJobParams;
    const team = await this.deps.teams.read(params.teamId);
    if (!team?.active || !team.series || team.series.id !== params.seriesId) return undefined;
    const meeting = findMeeting(team.series, params.meetingId);
    return meeting ? { team, series: team.series, meeting } : undefined;
  }

  /** The cases behind the items about to be shown, each read once and audited as the system's read. */
  protected async casesOf(job: Job, items: readonly AgendaItem[], now: Date): Promise<CaseLookup> {
    const found = new Map<string, Case | undefined>();
    for (const item of items) {
      if (item.kind !== 'case' || found.has(item.caseId)) continue;
      const read = await this.deps.cases.openForSystem(
        { caseId: item.caseId, unitId: item.unitId },
        { purpose: job.kind, correlationId: job.id, now },
      );
      await read?.shownAsSystem();
      found.set(item.caseId, read?.doc);
    }
    return (caseId) => found.get(caseId);
  }
}

export class CallForCasesComposer extends TeamComposer {
  async compose(job: Job): Promise<Composition> {
    const found = await this.meetingOf(job);
    if (!found) return { kind: 'drop', reason: 'team or meeting no longer in the series' };
    const { deadline } = channelCallForCases(found.series, found.meeting);
    return post(callForCasesPost(CHANNEL_LOCALE, found.team, found.meeting, deadline, this.deps.timeZone));
  }
}

/**
 * The agenda: drawn first (the items it lists are fixed in the meeting's record, and intake for
 * the meeting closes), then shown as the channel projection allows, each case checked now.
 */
export class AgendaComposer extends TeamComposer {
  async compose(job: Job, now: Date): Promise<Composition> {
    const found = await this.meetingOf(job);
    if (!found) return { kind: 'drop', reason: 'team or meeting no longer in the series' };
    const record = await this.deps.teams.drawAgenda(found.team, found.meeting.id, now);
    const items = record?.items ?? [];
    const caseOf = await this.casesOf(job, items, now);
    const lines = channelAgenda(found.team, found.meeting, record ?? null, caseOf, now, this.deps.timeZone);
    return post(agendaPost(CHANNEL_LOCALE, found.team, found.meeting, lines));
  }
}

/**
 * The minutes post shows what the agenda listed — in its numbering, each item checked again now —
 * and a button that sends the form to the presser's own chat. Items added after the agenda are not
 * shown here; they are on the minutes form of the lead and of whoever brought them.
 */
export class MinutesComposer extends TeamComposer {
  async compose(job: Job, now: Date): Promise<Composition> {
    const found = await this.meetingOf(job);
    if (!found) return { kind: 'drop', reason: 'team or meeting no longer in the series' };
    const record = await this.deps.teams.meetingRecord(found.team.teamId, found.meeting.id);
    const listed = record?.agenda ? record.items.filter((item) => record.agenda!.itemIds.includes(item.id)) : [];
    const shown = channelMinutes(found.team, found.meeting, record, await this.casesOf(job, listed, now), now, this.deps.timeZone);
    if (shown.kind === 'nothing') return { kind: 'drop', reason: 'nothing was on the agenda' };
    return post(minutesPost(CHANNEL_LOCALE, found.team, found.meeting, shown.kind === 'lines' ? shown.lines : 'no-agenda'));
  }
}

/** Before the meeting: each owner of items, in their own chat, with their items as they are then. */
export class OwnerReminderComposer extends TeamComposer {
  async compose(job: Job): Promise<Composition> {
    const found = await this.meetingOf(job);
    if (!found) return { kind: 'drop', reason: 'team or meeting no longer in the series' };
    const personId = (job.params as TeamJobParams).personId;
    const record = await this.deps.teams.meetingRecord(found.team.teamId, found.meeting.id);
    const mine = (record?.items ?? []).filter((item) => item.owner.id === personId);
    if (mine.length === 0) return { kind: 'drop', reason: 'the person has nothing on the agenda now' };
    // The person's chat as Laget knows it now (a job written when the item was added carries none).
    const person = (await this.deps.people.read(personId ?? ''))?.doc;
    const to = job.address ?? person?.personalChat;
    if (!to) return { kind: 'drop', reason: 'the person has not talked to Laget' };
    return { kind: 'post', activity: cardMessage(ownerReminderCard(person?.locale ?? 'nb', found.team, found.meeting, mine)), to };
  }
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
    private readonly deps: Omit<Deps, 'teams'> & {
      teams: Pick<TeamService, 'deactivate'>;
      jobs: { ensure(job: Job): Promise<unknown> };
      newJob: (spec: JobSpec, now: Date) => Job;
      now: () => Date;
    },
  ) {}

  async onNotInRoster(job: Job): Promise<void> {
    const teamId = (job.params as Partial<TeamJobParams>).teamId;
    if (!teamId || job.address?.kind !== 'channel') return;
    const now = this.deps.now();
    const team = await this.deps.teams.deactivate(teamId, now);
    this.deps.log.warn({ teamId }, 'Laget is no longer in the team; its rhythm is stopped');
    const lead = team?.lead ? await this.deps.people.read(team.lead.id) : undefined;
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
    const team = await this.deps.teams.read((job.params as { teamId: string }).teamId);
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
    if (!postKind || job.address?.kind !== 'channel' || !params.teamId || !params.seriesId || !params.meetingId) return;
    const team = await this.deps.teams.read(params.teamId);
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
    const team = await this.deps.teams.read(params.teamId);
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
