import type { Case } from '../domain/case';
import type { Note } from '../domain/records';
import { dayOf } from '../domain/time';
import type { Ladder } from '../domain/ladder';
import type { Municipality } from '../domain/municipality';
import { WORRY_FORM_QUESTIONS, type WorryFormPart } from '../domain/worry-form';
import { catalogue, format, formatDay, formatInstant, type Locale } from '../i18n';
import { servicesText, stepLabel } from './labels';
import { escapeMarkdown as md } from './render';

/**
 * The owner's export of a case for the unit's journal or archive (Laget holds the workflow, the
 * journal holds the record): everything the case has, as plain text the owner can paste. Shown
 * only in the owner's personal chat; the export is audited like any read. It is markdown (headings,
 * lists): everything people typed in it is escaped, so a link someone typed is shown as text.
 */
export function caseSummaryText(locale: Locale, c: Case, ladder: Ladder, municipality: Municipality, timeZone: string): string {
  const t = catalogue(locale);
  const h = t.export.headings;
  const at = (instant: string) => formatInstant(instant, locale, timeZone);
  const day = (d: string) => formatDay(d, locale);
  const servicesOf = (ids: readonly string[]) =>
    ids.map((id) => ladder.services.find((service) => service.id === id)?.labels[locale] ?? '');
  const sections: string[] = [];
  const section = (heading: string, lines: string[]) => {
    if (lines.length > 0) sections.push([`**${heading}**`, ...lines].join('\n'));
  };

  section(h.case, [
    `${t.export.unit}: ${md(municipality.units.find((u) => u.id === c.unitId)?.name ?? c.unitId)}`,
    `${t.export.owner}: ${md(c.owner.name)}`,
    `${t.export.leader}: ${md(c.nearestLeader.name)}`,
    `${t.export.step}: ${stepLabel(ladder, c.currentStep?.stepId ?? null, locale)}`,
    `${t.export.status}: ${t.caseCard.statuses[c.status]}`,
  ]);
  section(
    h.zones,
    c.zoneHistory.map(
      (z) => `- ${ladder.zones.zones.find((zone) => zone.id === z.zoneId)?.labels[locale] ?? z.zoneId} (${at(z.placedAt)})`,
    ),
  );
  // Every answer as the person reads it: choices by their label, days as dates, never a stored key.
  const answer = (key: string, value: string): string => {
    if (key === 'talkWith') return (t.uro.talkWith as Record<string, string>)[value] ?? value;
    if (key === 'worryNowZoneId') return ladder.zones.zones.find((zone) => zone.id === value)?.labels[locale] ?? value;
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return day(value);
    return value;
  };
  const part = (name: WorryFormPart, answers: Record<string, unknown> | undefined) =>
    WORRY_FORM_QUESTIONS[name].flatMap((q) =>
      typeof answers?.[q.key] === 'string' ? [`- ${q.labels[locale]} ${md(answer(q.key, String(answers[q.key])))}`] : [],
    );
  section(h.partA, part('A', c.worryForm.partA?.answers));
  section(h.partB, part('B', c.worryForm.partB?.answers));
  section(h.partC, part('C', c.worryForm.partC?.answers));
  section(
    h.goals,
    c.goals.map((g) => `- ${md(g.text)} (${t.caseCard.by} ${day(g.targetOn)})`),
  );
  section(
    h.actions,
    c.actions.map(
      (a) =>
        `- ${md(a.what)} (${t.caseCard.by} ${day(a.dueOn)})${a.done ? ` – ${t.export.done} ${day(a.done.on ?? dayOf(a.done.at, timeZone))}` : ''}`,
    ),
  );
  const signed = (signatures: Note['signatures']) =>
    signatures.map((s) =>
      s.kind === 'staff'
        ? format(t.export.signedBy, { name: md(s.person.name), at: at(s.signedAt) })
        : format(t.export.parentsSigned, { on: day(s.signedOn) }),
    );
  section(
    h.meetings,
    c.meetings.map((m) => {
      const present = [
        t.export.parentsPresent[m.parents],
        ...servicesOf(m.services),
        ...(m.leaderPresent ? [t.export.leaderPresent] : []),
        ...(m.childPresent ? [t.export.childPresent] : []),
      ].join(', ');
      const extra = [
        ...signed(m.signatures),
        ...(m.archived ? [format(t.export.meetingArchived, { on: day(m.archived.on), where: md(m.archived.where) })] : []),
      ];
      const line = format(t.export.meetingLine, {
        date: day(m.heldOn),
        meeting: ladder.meetings.find((kind) => kind.id === m.kind)?.labels[locale] ?? '',
        present,
        conclusions: md(m.conclusions),
      });
      return `- ${line}${extra.length > 0 ? ` (${extra.join('; ')})` : ''}`;
    }),
  );
  section(
    h.notes,
    c.notes.map((n) => {
      const signatures = signed(n.signatures);
      return `- ${day(n.heldOn)}: ${md(n.text)}${signatures.length > 0 ? ` (${signatures.join('; ')})` : ''}`;
    }),
  );
  section(
    h.voice,
    c.childVoice.map(
      (v) =>
        `- ${format(t.export.voiceLine, { date: day(v.heardOn), how: t.work.how[v.how].toLocaleLowerCase(locale), text: md(v.text) })}`,
    ),
  );
  const givers = (ids: readonly string[]) => ids.map((id) => (t.consent.givers as Record<string, string>)[id] ?? '').join(', ');
  section(
    h.consents,
    c.consents.map((r) => {
      if (r.kind === 'refused')
        return `- ${format(t.export.consentRefused, { services: servicesText(ladder, r.services, locale), on: day(r.refusedOn) })}`;
      const parts = [
        format(t.export.consentGiven, {
          services: servicesText(ladder, r.services, locale),
          givenOn: day(r.givenOn),
          givenBy: givers(r.givenBy),
          validUntil: day(r.validUntil),
        }),
        ...(r.signedFormArchivedAt ? [format(t.export.consentSignedForm, { where: r.signedFormArchivedAt })] : []),
        ...(r.withdrawn ? [format(t.export.consentWithdrawn, { at: at(r.withdrawn.at) })] : []),
      ];
      return `- ${parts.join('; ')}`;
    }),
  );
  section(
    h.evaluations,
    c.evaluations.map((e) => {
      const line = format(t.export.evaluationLine, {
        step: stepLabel(ladder, e.stepId, locale),
        outcome: t.evaluation.outcomeShort[e.basis][e.outcome],
        at: at(e.recordedAt),
      });
      const early = e.earlyReason ? `; ${format(t.export.earlyReason, { reason: md(e.earlyReason) })}` : '';
      return `- ${line}${early}${e.comment ? ` – ${md(e.comment)}` : ''}`;
    }),
  );
  section(
    h.dates,
    c.dateChanges.map(
      (d) =>
        `- ${format(t.export.dateLine, {
          what: t.work.rescheduleWhat[d.kind],
          from: d.from ? day(d.from) : '–',
          to: day(d.to),
          reason: d.reason ? md(d.reason) : '–',
        })}`,
    ),
  );
  section(
    h.escalations,
    c.escalations.map((e) => {
      const status =
        e.status === 'cancelled' && e.cause === 'withdrawn-by-owner' ? t.export.escalationWithdrawn : t.export.escalationStatus[e.status];
      return `- ${stepLabel(ladder, e.fromStepId, locale)} → ${stepLabel(ladder, e.toStepId, locale)}: ${status} (${at(e.requestedAt)})`;
    }),
  );
  section(
    h.reports,
    c.reports.map((r) =>
      r.kind === 'child-welfare'
        ? `- ${format(t.export.reportChildWelfare, { on: day(r.reportedOn), by: md(r.reportedBy.name) })}`
        : `- ${format(t.export.reportAcute, { contacted: r.contacted.map((who) => t.export.contacted[who]).join(', '), by: md(r.reportedBy.name) })}`,
    ),
  );
  if (c.closed)
    section(h.closed, [`- ${format(t.export.closedLine, { date: at(c.closed.at), reason: t.work.closeReasons[c.closed.reason] })}`]);
  return [
    `**${format(t.export.title, { code: c.alias ? `${c.id} (${md(c.alias)})` : c.id })}**`,
    format(t.export.intro, { months: municipality.retentionMonthsAfterClosure }),
    ...sections,
  ].join('\n\n');
}
