import type { Case } from '../domain/case';
import type { Notice } from '../domain/notices';
import type { PersonRef } from '../domain/primitives';
import type { Logger } from '../log';
import type { PersonReacher } from '../directory/installer';
import type { PersonalAddress } from '../store/conversation-address';
import type { Person, PeopleRepository } from '../store/people';
import { newJob, type JobSpec } from '../scheduler/job';
import { jobId } from '../scheduler/job-id';
import type { JobStore } from '../scheduler/job-store';
import type { NoticeOutbox } from './case-service';

/**
 * Notices for other people (the leader informed of a report, an approval to give, a handover to
 * answer) leave through the `jobs` container: one job per notice, with an id derived from the
 * turn that caused it, so a retried turn never informs anyone twice, and the scheduler's
 * claim → post → mark protocol delivers it exactly once, also across restarts.
 *
 * A person Laget has never talked to has no personal-chat address yet. With proactive installation
 * (TEAMS_APP_CATALOG_ID) Laget installs itself for them through Graph and posts in that chat;
 * without it, or where the tenant refuses it, their notices wait in their profile and become jobs
 * the moment the address is known — and `enqueue` says whose wait, so the sender can be told.
 */
export const NOTICE_JOB_KIND = 'notice';

/** How long a notice stays worth sending if it cannot go out at once. */
const NOTICE_LIFETIME_MS = 30 * 24 * 3600 * 1000;

export type NoticeParams = { caseId: string; unitId: string; personId: string; about: string; ref?: string };

export class JobNoticeOutbox implements NoticeOutbox {
  constructor(
    private readonly deps: { jobs: JobStore; people: PeopleRepository; log: Logger; wake: () => void; reacher?: PersonReacher },
  ) {}

  async enqueue(c: Case, notices: readonly Notice[], correlationId: string, now: Date): Promise<{ waiting: string[] }> {
    let created = 0;
    const waiting = new Set<string>();
    for (const notice of notices) {
      const key = noticeJobId(c.id, notice, correlationId);
      const params: NoticeParams = {
        caseId: c.id,
        unitId: c.unitId,
        personId: notice.personId,
        about: notice.about,
        ...(notice.ref ? { ref: notice.ref } : {}),
      };
      const person = await this.deps.people.read(notice.personId);
      const address = person?.doc.personalChat ?? (await this.reach(c, notice.personId, now));
      if (address) {
        if ((await this.deps.jobs.ensure(newJob(noticeSpec(key, address, params, now), now))) === 'created') created += 1;
      } else {
        await this.deps.people.update(notice.personId, nameOf(c, notice.personId), now, (p) => ({
          ...p,
          pendingNotices: p.pendingNotices.some((n) => n.key === key) ? p.pendingNotices : [...p.pendingNotices, { key, ...params }],
        }));
        this.deps.log.info({ caseId: c.id, about: notice.about }, 'notice waits until the person has talked to Laget');
        waiting.add(notice.personId);
      }
    }
    if (created > 0) this.deps.wake();
    return { waiting: [...waiting] };
  }

  /** Installs Laget for someone it has never talked to, where the tenant allows it, and remembers the chat. */
  private async reach(c: Case, personId: string, now: Date): Promise<PersonalAddress | undefined> {
    const reached = await this.deps.reacher?.reach(personId);
    if (reached?.kind !== 'reached') return undefined;
    await this.deps.people.update(personId, nameOf(c, personId), now, (p) => ({ ...p, personalChat: p.personalChat ?? reached.address }));
    return reached.address;
  }

  /** Turns a person's waiting notices into jobs, now that their personal chat is known. */
  async release(person: Person, now: Date): Promise<void> {
    if (person.pendingNotices.length === 0 || !person.personalChat) return;
    for (const pending of person.pendingNotices) {
      const { key, ...rest } = pending;
      await this.deps.jobs.ensure(newJob(noticeSpec(key, person.personalChat, { ...rest, personId: person.userId }, now), now));
    }
    await this.deps.people.update(person.userId, person.name, now, (p) => ({
      ...p,
      pendingNotices: p.pendingNotices.filter((n) => !person.pendingNotices.some((done) => done.key === n.key)),
    }));
    this.deps.wake();
  }
}

/**
 * A notice's job id: derived from the turn that caused it, so a retried turn informs no one twice.
 * The leader's approval card is keyed by its request instead (there is one per request), so that
 * the card can be found again — and edited once — when the request is withdrawn or falls away.
 */
export function noticeJobId(caseId: string, notice: Pick<Notice, 'personId' | 'about' | 'ref'>, correlationId: string): string {
  const cause = notice.about === 'approval-requested' && notice.ref ? notice.ref : correlationId;
  return jobId(NOTICE_JOB_KIND, caseId, cause, notice.personId, notice.about);
}

function noticeSpec(id: string, address: PersonalAddress, params: NoticeParams, now: Date): JobSpec {
  return {
    id,
    kind: NOTICE_JOB_KIND,
    dueAt: now.toISOString(),
    staleAfter: new Date(now.getTime() + NOTICE_LIFETIME_MS).toISOString(),
    address,
    params,
  };
}

/** The display name of someone the case knows (to create their profile while they wait). */
function nameOf(c: Case, personId: string): string {
  const known: PersonRef[] = [c.owner, c.nearestLeader, ...(c.pendingHandover ? [c.pendingHandover.to] : [])];
  return known.find((person) => person.id === personId)?.name ?? personId;
}
