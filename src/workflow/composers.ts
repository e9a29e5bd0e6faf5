import { authorize } from '../domain/access';
import type { Case } from '../domain/case';
import { nextDate } from '../domain/case';
import type { Ladder } from '../domain/ladder';
import { caseSummary } from '../domain/views';
import { reminderCard, stepLabel } from '../cards/case';
import type { AdaptiveCardJson } from '../cards/guards';
import { showView } from '../cards/payloads';
import { renderCard } from '../cards/render';
import { catalogue, format, formatDay, type Locale } from '../i18n';
import type { AuditLog } from '../store/audit-log';
import type { CaseRepository } from '../store/case-repository';
import type { PeopleRepository } from '../store/people';
import type { Composer, Composition } from '../scheduler/job-runner';
import type { Job } from '../scheduler/job';
import type { NoticeParams } from './notices';
import { reminderDate, type ReminderParams } from './reminders';

/**
 * Builds the message of a notice or reminder job at send time, from the case as it is then,
 * in the recipient's language. A message that no longer holds (the case is gone, the date moved,
 * the person lost access) is dropped, not sent. Reading the case for someone is audited like any
 * other read, with the job id as the correlation id.
 */
type ComposerDeps = {
  cases: CaseRepository;
  people: PeopleRepository;
  audit: AuditLog;
  ladder: Ladder;
  timeZone: string;
};

/** Extra sentences or buttons a notice kind may add (the approval card replaces the whole card). */
export type NoticeCardBuilder = (input: { locale: Locale; case: Case; etag: string; params: NoticeParams; ladder: Ladder }) => AdaptiveCardJson;

abstract class CaseComposer implements Composer {
  constructor(protected readonly deps: ComposerDeps) {}

  abstract compose(job: Job, now: Date): Promise<Composition>;

  /** Loads the case for `personId` if they may still see it, and audits the read. */
  protected async load(job: Job, caseRef: { caseId: string; unitId: string }, personId: string, now: Date) {
    const loaded = await this.deps.cases.read(caseRef);
    if (!loaded) return undefined;
    const access = authorize(loaded.doc, { id: personId }, 'read', now, this.deps.timeZone);
    await this.deps.audit.append({
      caseId: caseRef.caseId,
      at: now.toISOString(),
      actorId: personId,
      operation: 'read',
      command: job.kind,
      basis: access.kind === 'allowed' ? access.basis : 'none',
      outcome: access.kind === 'allowed' ? 'allowed' : 'refused',
      ...(access.kind === 'denied' ? { reason: access.reason } : {}),
      correlationId: job.id,
    });
    return access.kind === 'allowed' ? loaded : undefined;
  }

  protected async localeOf(personId: string): Promise<Locale> {
    return (await this.deps.people.read(personId))?.doc.locale ?? 'nb';
  }
}

export class ReminderComposer extends CaseComposer {
  async compose(job: Job, now: Date): Promise<Composition> {
    const params = job.params as ReminderParams;
    const loaded = await this.deps.cases.read(params);
    if (!loaded) return { kind: 'drop', reason: 'case no longer exists' };
    // The baton may have moved and the date may have changed since the reminder was made.
    if (reminderDate(loaded.doc, params.kind) !== params.on) return { kind: 'drop', reason: 'date no longer holds' };
    const owner = loaded.doc.owner.id;
    const readable = await this.load(job, params, owner, now);
    if (!readable) return { kind: 'drop', reason: 'owner has no access' };
    const locale = await this.localeOf(owner);
    return { kind: 'post', activity: cardMessage(reminderCard(locale, readable.doc, params.kind)) };
  }
}

export class NoticeComposer extends CaseComposer {
  constructor(
    deps: ComposerDeps,
    /** Cards for notices that need more than information (approve/reject, accept/decline). */
    private readonly special: Partial<Record<string, NoticeCardBuilder>> = {},
  ) {
    super(deps);
  }

  async compose(job: Job, now: Date): Promise<Composition> {
    const params = job.params as NoticeParams;
    const loaded = await this.load(job, params, params.personId, now);
    // Someone who lost access to the case since the notice was made is not told about it.
    if (!loaded) return { kind: 'drop', reason: 'recipient has no access to the case' };
    const locale = await this.localeOf(params.personId);
    const special = this.special[params.about];
    const card = special
      ? special({ locale, case: loaded.doc, etag: loaded.etag, params, ladder: this.deps.ladder })
      : infoCard(locale, loaded.doc, params, this.deps.ladder);
    return { kind: 'post', activity: cardMessage(card) };
  }
}

/**
 * An information card: what happened, and the case's code, alias, step and next date — never the
 * owner's notes, worry form or the child's voice (the summary projection leaves them out).
 */
export function infoCard(locale: Locale, c: Case, params: NoticeParams, ladder: Ladder): AdaptiveCardJson {
  const t = catalogue(locale);
  const summary = caseSummary(c);
  const sentences = t.notices as unknown as Record<string, string>;
  const next = nextDate(c);
  const facts = [
    [t.notices.facts.code, summary.caseId],
    [t.notices.facts.alias, summary.alias ?? '–'],
    [t.notices.facts.step, stepLabel(ladder, summary.stepId, locale)],
    [t.notices.facts.nextDate, next ? formatDay(next, locale) : '–'],
    [t.notices.facts.owner, c.owner.name],
  ].map(([title, value]) => ({ title, value }));
  const toOwner = c.owner.id === params.personId;
  return renderCard('notice', {
    title: format(t.notices.title, { code: summary.caseId }),
    paragraphs: [format(sentences[params.about] ?? params.about, { owner: c.owner.name })],
    facts,
    buttons: toOwner ? [{ title: t.notices.open, data: showView(c, 'next') }] : [],
  });
}

function cardMessage(card: AdaptiveCardJson) {
  return {
    type: 'message' as const,
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
  };
}
