import { createHash } from 'node:crypto';
import { forEachLimited } from '../concurrency';
import type { DirectoryMember, DirectorySnapshot, UnitMembership } from '../domain/directory';
import type { Municipality } from '../domain/municipality';
import type { Logger } from '../log';
import type { DeltaCursors } from '../store/directory';
import { GraphFailure, type GraphApi } from './graph';
import { DeltaExpired, type DirectorySource, type Reading } from './source';

/**
 * DIRECTORY=graph: the municipality file maps each unit to Entra groups (`groups.staff`, and
 * `groups.leaders`: a leaders group or `"owners"`, the staff group's owners) and names the
 * coordinators' group (`coordinatorsGroup`). Laget reads:
 *
 * - in full: each group's transitive user members (`/groups/{id}/transitiveMembers/microsoft.graph.user`,
 *   page by page through `@odata.nextLink`), or its owners, with only the four fields it needs;
 * - as deltas: users that changed (`/users/delta`: a disabled account, a new name, a deleted user)
 *   and the configured groups whose membership changed (`/groups/delta` filtered on their ids);
 *   a changed group is read again in full (transitively), and owners — which group deltas do not
 *   report — are read again on every delta run. A change inside a nested group that leaves the
 *   configured group's own members unchanged is seen at the next full sync (daily).
 *
 * The delta cursors are taken before a full reading starts, so a change made while it runs is
 * seen by the next delta.
 */

const USER_FIELDS = 'id,displayName,accountEnabled,userPrincipalName';
/** Graph's largest page for directory objects; it may answer with smaller pages. */
const PAGE_SIZE = 999;
/** Group ids per delta filter, to keep its URL short (Graph accepts up to 50). */
const GROUPS_PER_DELTA = 20;
/** Groups read at once in a full reading. */
const READ_CONCURRENCY = 4;

type GraphUser = {
  id: string;
  displayName?: string | null;
  accountEnabled?: boolean | null;
  userPrincipalName?: string | null;
  '@removed'?: unknown;
};
type GraphGroupDelta = { id: string; '@removed'?: unknown };

export class GraphDirectorySource implements DirectorySource {
  readonly kind = 'graph' as const;

  constructor(
    private readonly graph: GraphApi,
    private readonly municipality: Municipality,
    private readonly log: Logger,
  ) {}

  async full(): Promise<Reading> {
    const cursors = await this.latestCursors();
    const units = new Map<string, UnitMembership>();
    await forEachLimited(this.municipality.units, READ_CONCURRENCY, async (unit) => {
      const groups = unit.groups!;
      const [staff, leaders] = await Promise.all([
        this.members(groups.staff),
        groups.leaders === 'owners' ? this.owners(groups.staff) : this.members(groups.leaders),
      ]);
      units.set(unit.id, { staff, leaders });
    });
    const coordinators = this.municipality.coordinatorsGroup ? await this.members(this.municipality.coordinatorsGroup) : [];
    return { snapshot: { units: Object.fromEntries(this.municipality.units.map((u) => [u.id, units.get(u.id)!])), coordinators }, cursors };
  }

  async delta(previous: DirectorySnapshot, cursors: DeltaCursors): Promise<Reading> {
    if (!cursors.users || cursors.scope !== this.scope())
      throw new DeltaExpired('the configured groups changed since the last full reading');
    const users = new Map<string, GraphUser>();
    const nextUsers = await this.follow<GraphUser>(cursors.users, (user) => users.set(user.id, user));
    const changedGroups = new Set<string>();
    const nextGroups: string[] = [];
    for (const cursor of cursors.groups)
      nextGroups.push(await this.follow<GraphGroupDelta>(cursor, (group) => changedGroups.add(group.id)));

    const units: Record<string, UnitMembership> = {};
    for (const unit of this.municipality.units) {
      const groups = unit.groups!;
      const before = previous.units[unit.id] ?? { staff: [], leaders: [] };
      const staff = changedGroups.has(groups.staff) ? await this.members(groups.staff) : before.staff;
      const leaders =
        groups.leaders === 'owners'
          ? await this.owners(groups.staff)
          : changedGroups.has(groups.leaders)
            ? await this.members(groups.leaders)
            : before.leaders;
      units[unit.id] = { staff: applyUsers(staff, users), leaders: applyUsers(leaders, users) };
    }
    const group = this.municipality.coordinatorsGroup;
    const coordinators = group && changedGroups.has(group) ? await this.members(group) : previous.coordinators;
    if (users.size > 0 || changedGroups.size > 0) {
      this.log.info({ changedUsers: users.size, changedGroups: changedGroups.size }, 'directory delta read');
    }
    return {
      snapshot: { units, coordinators: applyUsers(coordinators, users) },
      cursors: { users: nextUsers, groups: nextGroups, scope: cursors.scope },
    };
  }

  /** A group's transitive user members, every page. */
  private members(groupId: string): Promise<DirectoryMember[]> {
    return this.collect(`/groups/${groupId}/transitiveMembers/microsoft.graph.user?$select=${USER_FIELDS}&$top=${PAGE_SIZE}`);
  }

  private owners(groupId: string): Promise<DirectoryMember[]> {
    return this.collect(`/groups/${groupId}/owners/microsoft.graph.user?$select=${USER_FIELDS}&$top=${PAGE_SIZE}`);
  }

  private async collect(first: string): Promise<DirectoryMember[]> {
    const members = new Map<string, DirectoryMember>();
    for await (const page of this.graph.pages<GraphUser>(first)) for (const user of page.value) members.set(user.id, memberOf(user));
    return [...members.values()];
  }

  /** Delta links that start now: `$deltatoken=latest` skips the initial round of every current object. */
  private async latestCursors(): Promise<DeltaCursors> {
    const users = await this.startDelta(`/users/delta?$select=${USER_FIELDS}`);
    const groups: string[] = [];
    for (const ids of this.groupChunks()) {
      const filter = encodeURIComponent(ids.map((id) => `id eq '${id}'`).join(' or '));
      groups.push(await this.startDelta(`/groups/delta?$select=members&$filter=${filter}`));
    }
    return { users, groups, scope: this.scope() };
  }

  /** A fingerprint of the configured groups, kept with the cursors. */
  private scope(): string {
    return createHash('sha256').update(this.groupChunks().flat().sort().join(',')).digest('base64url');
  }

  private async startDelta(path: string): Promise<string> {
    try {
      const page = await this.graph.get<{ '@odata.deltaLink'?: string }>(`${path}&$deltatoken=latest`);
      if (page['@odata.deltaLink']) return page['@odata.deltaLink'];
    } catch (error) {
      if (!(error instanceof GraphFailure) || error.status !== 400) throw error;
    }
    // No `latest` here: the initial round, whose objects are not needed, only its delta link.
    return this.follow(path, () => undefined);
  }

  /** Follows a delta round to its end, handing each object to `each`; returns the next delta link. */
  private async follow<T>(link: string, each: (item: T) => void): Promise<string> {
    try {
      for await (const page of this.graph.pages<T>(link)) {
        page.value.forEach(each);
        if (page.deltaLink) return page.deltaLink;
      }
    } catch (error) {
      if (
        error instanceof GraphFailure &&
        (error.status === 410 || error.code === 'syncStateNotFound' || error.code === 'resyncRequired')
      ) {
        throw new DeltaExpired(`Graph no longer knows the delta cursor (${error.status} ${error.code ?? ''})`);
      }
      throw error;
    }
    throw new GraphFailure(200, 'no-delta-link', 'a delta round ended without a delta link');
  }

  /** Every configured group once, in chunks for the delta filter. */
  private groupChunks(): string[][] {
    const ids = new Set<string>();
    for (const unit of this.municipality.units) {
      ids.add(unit.groups!.staff);
      if (unit.groups!.leaders !== 'owners') ids.add(unit.groups!.leaders);
    }
    if (this.municipality.coordinatorsGroup) ids.add(this.municipality.coordinatorsGroup);
    const all = [...ids];
    return Array.from({ length: Math.ceil(all.length / GROUPS_PER_DELTA) }, (_, i) =>
      all.slice(i * GROUPS_PER_DELTA, (i + 1) * GROUPS_PER_DELTA),
    );
  }
}

function memberOf(user: GraphUser): DirectoryMember {
  const upn = user.userPrincipalName ?? undefined;
  return {
    id: user.id,
    name: user.displayName?.trim() || upn || user.id,
    ...(upn ? { upn } : {}),
    // Absent when the app may not read it: counted as active rather than locking everyone out.
    enabled: user.accountEnabled !== false,
  };
}

/** Users' changes (a new name, a disabled account, a deleted user) applied to the members they concern. */
function applyUsers(members: readonly DirectoryMember[], changes: ReadonlyMap<string, GraphUser>): DirectoryMember[] {
  if (changes.size === 0) return [...members];
  return members.flatMap((member) => {
    const change = changes.get(member.id);
    if (!change) return [member];
    if (change['@removed'] !== undefined) return [];
    const upn = change.userPrincipalName ?? member.upn;
    return [
      {
        id: member.id,
        name: change.displayName?.trim() || member.name,
        ...(upn ? { upn } : {}),
        enabled: change.accountEnabled === undefined || change.accountEnabled === null ? member.enabled : change.accountEnabled,
      },
    ];
  });
}
