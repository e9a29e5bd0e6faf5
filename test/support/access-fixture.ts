import type { Case } from '../../src/domain/case';
import { PEOPLE, s3Script, SCENARIO_START } from '../../scripts/seed/scenarios';
import { daysAfter, runScript, type ScriptLine } from '../../scripts/seed/script';
import { loadLadder } from '../../src/domain/ladder';

/** The interdisciplinary team the parents' consent covers in the access fixture, and one it does not. */
export const COVERED_TEAM = 'solsikken-tverrfaglig';
export const OTHER_TEAM = 'bjorkelangen-tverrfaglig';

/**
 * One case on which every role of the access policy has something to be allowed or refused:
 * Kari owns it (Anne owned it before her), Per is the nearest leader with a request for 3b
 * waiting, the parents' consent covers PPT, helsestasjon and the team COVERED_TEAM, and the
 * baton is offered to Nina. Built from S3's script with the domain's own commands.
 */
export function accessFixtureCase(caseId: string, start: Date = SCENARIO_START): { case: Case; now: Date } {
  const { kari, anne, nina } = PEOPLE;
  const s3 = s3Script(start);
  // Up to the request for 3b; Per has not decided yet.
  const untilRequest = s3.slice(
    0,
    s3.findIndex((l) => l.command.type === 'decide-escalation'),
  );
  const lines: ScriptLine[] = untilRequest.map((l) => {
    if (l.command.type === 'create-case') return { ...l, actor: anne, command: { ...l.command, caseId } };
    if (l.command.type === 'record-consent') return { ...l, command: { ...l.command, teams: [COVERED_TEAM] } };
    return l;
  });
  // Anne started the case and handed it to Kari early on: Anne is the former owner.
  const created = lines.shift()!;
  const at = created.now;
  const handover: ScriptLine[] = [
    created,
    { actor: anne, now: at, command: { type: 'hand-over', to: kari } },
    { actor: kari, now: at, command: { type: 'accept-handover' } },
  ];
  const last = lines.at(-1)!.now;
  const offer: ScriptLine = { actor: kari, now: daysAfter(last, 1), command: { type: 'hand-over', to: nina } };
  const walked = runScript(loadLadder('aurskog-holand'), [...handover, ...lines, offer]);
  return { case: walked.case, now: daysAfter(last, 1) };
}
