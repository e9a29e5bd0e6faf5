import { SCENARIO_SCRIPTS, SEED_ALIASES } from '../../scripts/seed/scenarios';
import { identityNumbersIn } from '../../src/domain/national-id';
import { channelTraffic, type ConnectorCall } from './fake-connector';

/**
 * The channel-privacy guard: nothing that identifies a child may ever be posted in a team channel.
 * Every call any FakeConnector received for a channel during the test run is recorded
 * (fake-connector.ts) and checked here once, at the end, by the root hook in mocha-setup.ts.
 *
 * What counts as identifying, for the synthetic data of this repository:
 *  - the children's aliases and initials from the scenarios (scripts/seed/scenarios.ts) and
 *    from the test data ("E.H.", "M.", "J." …);
 *  - a national identity number in any spelling ("010203 10045", "010203–10045", full-width digits …):
 *    11 digits whose date part is a date and whose two check digits are right (src/domain/national-id.ts),
 *    so a random number that happens to have eleven digits is not mistaken for one;
 *  - anything that looks like a date of birth: a date next to "født", "f.", "fødselsdato", "born",
 *    "date of birth" or "DOB", or a day written dd.mm.yyyy whose year lies 2–19 years back (a child's
 *    birth year; meeting and case dates in a channel are recent).
 * Case codes (UR-XXXX) are what channels are meant to see and are not flagged.
 */

export type PrivacyViolation = { what: string; found: string; call: ConnectorCall };

/** Aliases the scenarios give their children ("E.H.", "M.", "J."), read from the scripts themselves, and the example cases'. */
function scenarioAliases(): string[] {
  const aliases = new Set<string>();
  for (const script of Object.values(SCENARIO_SCRIPTS)) {
    for (const line of script()) {
      const alias = (line.command as { alias?: unknown }).alias;
      if (typeof alias === 'string' && alias.trim() !== '') aliases.add(alias.trim());
    }
  }
  for (const alias of Object.values(SEED_ALIASES)) aliases.add(alias);
  return [...aliases];
}

/** Aliases the tests type into cards (test/**), besides the scenarios'. */
const TEST_DATA_ALIASES = ['E.H.', 'EH', 'A.B.', 'Q.W.', 'X.Y.', 'Z.', 'N.', 'M.', 'J.'];

export const CHILD_ALIASES: readonly string[] = [...new Set([...scenarioAliases(), ...TEST_DATA_ALIASES])];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An alias as a token of its own: "E.H." in "Sak UR-7K4Q (E.H.)", but not the "M." ending "TEAM.". */
function aliasPattern(alias: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}.])${escape(alias)}(?![\\p{L}\\p{N}])`, 'u');
}

const DATE = String.raw`(\d{1,2}[./-]\d{1,2}[./-](\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s+\p{L}+\s+\d{4})`;
const BIRTH_WORD = new RegExp(String.raw`(født|fødd|f\.|fødselsdato|født den|born|date of birth|dob)\s*:?\s*${DATE}`, 'iu');
const DOTTED_DAY = /(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)/g;

/** Addresses and opaque ids: what Teams routes by, not what anyone reads (a random activity id can hold eleven digits in a row). */
const ADDRESS_KEYS = new Set(['id', 'replyToId', 'conversation', 'from', 'recipient', 'serviceUrl', 'channelId', 'tenant']);
const isAddressKey = (key: string) => ADDRESS_KEYS.has(key) || /Id$/.test(key);

/**
 * Every string in an activity (text, card bodies, button data, channelData), wherever it is
 * nested — except addresses and ids. Button data stays in: every member's client receives it.
 */
function stringsOf(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) node.forEach((child) => stringsOf(child, out));
  else if (node && typeof node === 'object') {
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) if (!isAddressKey(key)) stringsOf(child, out);
  }
  return out;
}

function looksLikeBirthDate(text: string, now: Date): string | undefined {
  const labelled = BIRTH_WORD.exec(text);
  if (labelled) return labelled[0];
  const year = now.getUTCFullYear();
  for (const match of text.matchAll(DOTTED_DAY)) {
    const [found, day, month, y] = match;
    const born = Number(y);
    if (Number(day) >= 1 && Number(day) <= 31 && Number(month) >= 1 && Number(month) <= 12 && born >= year - 19 && born <= year - 2)
      return found;
  }
  return undefined;
}

/** The violations in a list of channel calls (empty: the channels saw nothing that identifies a child). */
export function findChannelPrivacyViolations(calls: readonly ConnectorCall[], now = new Date()): PrivacyViolation[] {
  const aliases = CHILD_ALIASES.map((alias) => ({ alias, pattern: aliasPattern(alias) }));
  const violations: PrivacyViolation[] = [];
  for (const call of calls) {
    for (const text of stringsOf(call.activity)) {
      for (const { alias, pattern } of aliases) {
        if (pattern.test(text)) violations.push({ what: `the child's alias or initials "${alias}"`, found: text, call });
      }
      for (const id of identityNumbersIn(text)) violations.push({ what: 'a national identity number', found: id, call });
      const born = looksLikeBirthDate(text, now);
      if (born) violations.push({ what: 'a date of birth', found: born, call });
    }
  }
  return violations;
}

/** A readable failure: which rule, what was found, and the whole offending activity. */
function describeViolations(violations: readonly PrivacyViolation[]): string {
  return violations
    .map(
      (v, i) =>
        `${i + 1}. ${v.what} in a channel post: ${JSON.stringify(v.found)}\n` +
        `   ${v.call.method} ${v.call.path}\n   ${JSON.stringify(v.call.activity).slice(0, 4000)}`,
    )
    .join('\n');
}

/** The check the root hook runs once, after the whole test run. */
export function assertChannelsStayedPrivate(calls: readonly ConnectorCall[] = channelTraffic): void {
  const violations = findChannelPrivacyViolations(calls);
  if (violations.length > 0) {
    throw new Error(
      `Channel privacy: ${violations.length} violation(s) in ${calls.length} channel post(s) during this run\n${describeViolations(violations)}`,
    );
  }
}
