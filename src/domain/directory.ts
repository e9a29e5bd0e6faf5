import { z } from 'zod';
import { PersonIdSchema, type PersonRef } from './primitives';

/**
 * The municipality's people as a directory knows them — who works in which unit, who leads it,
 * who coordinates, and whether an account is active — and what changed between two readings of
 * it. Pure: the sources (the municipality file, Microsoft Graph) and the store are elsewhere
 * (src/directory, src/store/directory.ts); this is what they exchange and how Laget decides from it.
 */

/** One person in a group: the fields Laget asks Graph for (the file gives id and name). */
export const DirectoryMemberSchema = z.object({
  id: PersonIdSchema,
  name: z.string().trim().min(1).max(256),
  /** The sign-in name, to tell two people with the same name apart in a search. */
  upn: z.string().max(256).optional(),
  /** A disabled account belongs to nobody's unit: it cannot sign in to Teams. */
  enabled: z.boolean(),
});
export type DirectoryMember = z.infer<typeof DirectoryMemberSchema>;

export const UnitMembershipSchema = z.object({
  staff: z.array(DirectoryMemberSchema),
  leaders: z.array(DirectoryMemberSchema),
});
export type UnitMembership = z.infer<typeof UnitMembershipSchema>;

/** A whole reading of the directory: every configured unit's members, and the coordinators. */
export type DirectorySnapshot = {
  units: Readonly<Record<string, UnitMembership>>;
  coordinators: readonly DirectoryMember[];
};

/** The identity under which the directory's own changes are made to a case (never a person's id). */
export const DIRECTORY_ACTOR: PersonRef = { id: 'laget-directory', name: 'Laget (katalogen)' };

/** A unit as one of its people sees it: whether they lead it, and who leads it (enabled leaders, in order). */
type PersonUnit = { unitId: string; leads: boolean; leaders: PersonRef[] };

/** What a turn needs to know about the person acting: their units with the leaders, and whether they coordinate. */
export type DirectoryPerson = { id: string; name: string; units: PersonUnit[]; coordinator: boolean };

const ref = (member: DirectoryMember): PersonRef => ({ id: member.id, name: member.name });

/** The members of a unit Laget counts: enabled accounts only. */
export function activeLeaders(unit: UnitMembership | undefined): PersonRef[] {
  return dedupe((unit?.leaders ?? []).filter((m) => m.enabled)).map(ref);
}

/** Everyone who works in the unit with an active account — its staff and its leaders — once each, staff first. */
export function activeMembers(unit: UnitMembership | undefined): DirectoryMember[] {
  return dedupe([...(unit?.staff ?? []), ...(unit?.leaders ?? [])].filter((m) => m.enabled));
}

/**
 * The leader a case in the unit gets: the first active leader who is not `except` (the case's
 * owner, or the person opening it — a leader never leads their own case). Undefined: none.
 */
export function leaderFor(leaders: readonly PersonRef[], except: readonly string[] = []): PersonRef | undefined {
  return leaders.find((leader) => !except.includes(leader.id));
}

/** Each person in the snapshot with an active account, with their units in the order given (the municipality's). */
export function peopleOf(snapshot: DirectorySnapshot, unitIds: readonly string[]): Map<string, DirectoryPerson> {
  const people = new Map<string, DirectoryPerson>();
  const entry = (member: DirectoryMember): DirectoryPerson => {
    const found = people.get(member.id);
    if (found) return found;
    const created: DirectoryPerson = { id: member.id, name: member.name, units: [], coordinator: false };
    people.set(member.id, created);
    return created;
  };
  for (const unitId of unitIds) {
    const membership = snapshot.units[unitId];
    const leaders = activeLeaders(membership);
    for (const member of activeMembers(membership)) {
      entry(member).units.push({ unitId, leads: leaders.some((l) => l.id === member.id), leaders });
    }
  }
  for (const coordinator of snapshot.coordinators) if (coordinator.enabled) entry(coordinator).coordinator = true;
  return people;
}

/** A unit's leaders changed: who is no longer among them. Their open cases go to the unit's leader now. */
type LeaderChange = { unitId: string; gone: PersonRef[]; leaders: PersonRef[] };

/** Someone who worked in the unit does not any more, or their account was disabled: their cases need a new owner. */
type Departure = { unitId: string; person: PersonRef; reason: 'left-unit' | 'account-disabled' };

export type DirectoryChanges = { leaderChanges: LeaderChange[]; departures: Departure[] };

/**
 * What changed between two readings, as far as cases care: leaders who no longer lead a unit
 * (disabled or removed), and people no longer active in a unit they were active in. A unit not in
 * `before` is new: nothing in it can have changed.
 */
export function directoryChanges(before: DirectorySnapshot, after: DirectorySnapshot): DirectoryChanges {
  const disabledNow = new Set(
    [...Object.values(after.units).flatMap((u) => [...u.staff, ...u.leaders]), ...after.coordinators]
      .filter((m) => !m.enabled)
      .map((m) => m.id),
  );
  const leaderChanges: LeaderChange[] = [];
  const departures: Departure[] = [];
  for (const [unitId, previous] of Object.entries(before.units)) {
    const current = after.units[unitId];
    if (!current) continue; // a unit no longer configured: its cases stay as they are
    const leadersNow = activeLeaders(current);
    const gone = activeLeaders(previous).filter((leader) => !leadersNow.some((l) => l.id === leader.id));
    if (gone.length > 0) leaderChanges.push({ unitId, gone, leaders: leadersNow });
    const stillHere = new Set(activeMembers(current).map((m) => m.id));
    for (const member of activeMembers(previous)) {
      if (stillHere.has(member.id)) continue;
      departures.push({ unitId, person: ref(member), reason: disabledNow.has(member.id) ? 'account-disabled' : 'left-unit' });
    }
  }
  return { leaderChanges, departures };
}

function dedupe(members: readonly DirectoryMember[]): DirectoryMember[] {
  const seen = new Set<string>();
  return members.filter((m) => !seen.has(m.id) && seen.add(m.id) !== undefined);
}
