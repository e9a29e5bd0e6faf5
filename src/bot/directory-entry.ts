import type { TurnContext } from 'botbuilder';
import { activeLeaders, activeMembers, type DirectoryMember, type DirectoryPerson } from '../domain/directory';
import type { Municipality } from '../domain/municipality';
import type { DirectoryReader } from '../workflow/records';
import { actorOf } from './actor';

/** What these helpers read: the stored directory and the municipality (a part of the bot's Services). */
export type DirectoryNeeds = { directory: DirectoryReader; municipality: Municipality };

/**
 * The acting person as the directory knows them — their units, each unit's leaders, whether they
 * coordinate — read once per turn (one point read, src/store/directory.ts) before the routes run,
 * and kept on the turn for every route that asks.
 */
const ENTRY = Symbol('laget.directoryEntry');

export async function loadDirectoryEntry(context: TurnContext, services: DirectoryNeeds): Promise<DirectoryPerson | undefined> {
  if (context.turnState.has(ENTRY)) return context.turnState.get<DirectoryPerson | undefined>(ENTRY);
  const entry = await services.directory.person(actorOf(context.activity).userId);
  context.turnState.set(ENTRY, entry);
  return entry;
}

/** The entry read for this turn (undefined: in no unit, or not read — the routes run after `loadDirectoryEntry`). */
export function directoryEntryOf(context: TurnContext): DirectoryPerson | undefined {
  return context.turnState.get<DirectoryPerson | undefined>(ENTRY);
}

/**
 * Where to look for a person's own cases: the units they work in now, and those where they have
 * had cases (their profile's `unitIds`) — a case stays theirs after a move until someone takes it.
 */
export function unitsWithOwnCases(context: TurnContext, profileUnitIds: readonly string[] = []): string[] {
  return [...new Set([...(directoryEntryOf(context)?.units ?? []).map((u) => u.unitId), ...profileUnitIds])];
}

/** The ids of the units the person leads. */
export function unitsLedIn(entry: DirectoryPerson | undefined): string[] {
  return (entry?.units ?? []).filter((unit) => unit.leads).map((unit) => unit.unitId);
}

/** A unit's active staff and leaders (the baton picker, the coordinator), one point read. */
export async function unitMembers(services: DirectoryNeeds, unitId: string): Promise<DirectoryMember[]> {
  return activeMembers(await services.directory.unit(unitId));
}

/** The municipality with each unit's leaders as the directory has them now (cards that list leaders). */
export async function municipalityWithLeaders(services: DirectoryNeeds): Promise<Municipality> {
  const units = await Promise.all(
    services.municipality.units.map(async (unit) => ({
      ...unit,
      leaders: activeLeaders(await services.directory.unit(unit.id)),
    })),
  );
  return { ...services.municipality, units };
}
