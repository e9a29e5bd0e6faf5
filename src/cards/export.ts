import type { Case } from '../domain/case';
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
  const part = (name: WorryFormPart, answers: Record<string, unknown> | undefined) =>
    WORRY_FORM_QUESTIONS[name].flatMap((q) =>
      typeof answers?.[q.key] === 'string' ? [`- ${q.labels[locale]} ${md(String(answers[q.key]))}`] : [],
    );
  section(h.partA, part('A', c.worryForm.partA?.answers));
  section(h.partB, part('B', c.worryForm.partB?.answers));
  section(h.partC, part('C', c.worryForm.partC?.answers));
  section(
    h.goals,
    c.goals.map((g) => `- ${md(g.text)} (${day(g.targetOn)})`),
  );
  section(
    h.actions,
    c.actions.map((a) => `- ${md(a.what)} (${day(a.dueOn)})${a.done ? ` – ${t.export.done}` : ''}`),
  );
  section(
    h.notes,
    c.notes.map((n) => {
      const signatures = n.signatures.map((s) =>
        s.kind === 'staff'
          ? format(t.export.signedBy, { name: md(s.person.name), at: at(s.signedAt) })
          : format(t.export.parentsSigned, { on: day(s.signedOn) }),
      );
      return `- ${day(n.heldOn)}: ${md(n.text)}${signatures.length > 0 ? ` (${signatures.join('; ')})` : ''}`;
    }),
  );
  section(
    h.voice,
    c.childVoice.map((v) => `- ${day(v.heardOn)}: ${md(v.text)}`),
  );
  section(
    h.consents,
    c.consents.map((r) =>
      r.kind === 'given'
        ? `- ${servicesText(ladder, r.services, locale)}: ${day(r.givenOn)}–${day(r.validUntil)}${r.withdrawn ? ` (${at(r.withdrawn.at)})` : ''}`
        : `- ${servicesText(ladder, r.services, locale)}: ${t.consent.refusedLine.replace('{services} · ', '').replace('{refusedOn}', day(r.refusedOn))}`,
    ),
  );
  section(
    h.evaluations,
    c.evaluations.map(
      (e) => `- ${stepLabel(ladder, e.stepId, locale)}: ${e.outcome} (${at(e.recordedAt)})${e.comment ? ` – ${md(e.comment)}` : ''}`,
    ),
  );
  section(
    h.escalations,
    c.escalations.map(
      (e) => `- ${stepLabel(ladder, e.fromStepId, locale)} → ${stepLabel(ladder, e.toStepId, locale)}: ${e.status} (${at(e.requestedAt)})`,
    ),
  );
  section(
    h.reports,
    c.reports.map((r) =>
      r.kind === 'child-welfare'
        ? `- ${format(t.export.reportChildWelfare, { on: day(r.reportedOn), by: md(r.reportedBy.name) })}`
        : `- ${format(t.export.reportAcute, { contacted: r.contacted.join(', '), by: md(r.reportedBy.name) })}`,
    ),
  );
  return [
    `**${format(t.export.title, { code: c.alias ? `${c.id} (${md(c.alias)})` : c.id })}**`,
    format(t.export.intro, { months: municipality.retentionMonthsAfterClosure }),
    ...sections,
  ].join('\n\n');
}
