import type { Case } from './case';
import { currentZoneId } from './case';
import type { Ladder } from './ladder';
import { parentTalkBlocked } from './rules';
import { findZone } from './zones';

/**
 * Where a case stands in the URO conversation ("Å ta opp uro"), derived from the case alone, so
 * a person who leaves the flow can resume it later — after a restart too — exactly where it stopped.
 *
 * The order is the method's: safety first (danger now, or violence or abuse suspected, goes
 * straight to the report path and never to the parents), then the zone, part A (concretise),
 * part B (prepare the conversation), the conversation itself, part C (after it), and stage 1 of
 * the ladder with goals, actions and an evaluation date.
 */
export type UroPosition =
  'report-path' | 'reported' | 'zone' | 'no-worry' | 'part-a' | 'part-b' | 'conversation' | 'stage-1' | 'on-ladder' | 'closed';

export function uroPosition(c: Case, ladder: Ladder): UroPosition {
  if (c.status === 'closed') return 'closed';
  if (c.currentStep !== null) return 'on-ladder';
  const zone = currentZoneId(c) === null ? undefined : findZone(ladder.zones, currentZoneId(c)!);
  const emergency = zone?.response === 'emergency' || c.safety.dangerNow;
  if (parentTalkBlocked(c) || emergency) return c.reports.length > 0 ? 'reported' : 'report-path';
  if (zone === undefined) return 'zone';
  if (zone.response === 'ordinary-care' && c.worryForm.partA === null) return 'no-worry';
  if (c.worryForm.partA === null) return 'part-a';
  if (c.worryForm.partB === null) return 'part-b';
  if (c.worryForm.partC === null) return 'conversation';
  return 'stage-1';
}

/**
 * Whether a case is an abandoned draft its owner may delete outright: still in the URO
 * conversation, never on the ladder, nothing reported (a report is kept, rule 1), not closed.
 */
export function deletableDraft(c: Case): boolean {
  return c.status === 'draft' && c.currentStep === null && c.reports.length === 0 && c.closed === null;
}
