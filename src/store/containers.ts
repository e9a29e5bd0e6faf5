/**
 * The Cosmos DB containers and why each is partitioned the way it is
 * (docs/architecture.md has the longer story).
 *
 * - cases:  /unitId — a case belongs to one kindergarten/school for life, so the partition key
 *           never changes; "my open cases", "awaiting my approval" and the per-unit views are
 *           queries inside the user's unit partitions, independent of how many cases the
 *           municipality holds. Per-item ttl enforces retention after closure.
 * - audit:  /caseId — appended once per read/change of a case; read back per case.
 * - people: /userId — a person's profile, preferences, unfinished flow and personal-chat address.
 * - teams:  /teamId — an interdisciplinary team's channel address, meeting series and items.
 * - jobs:   /id — scheduled messages; claimed one by one with ETags (background path only).
 * - directory: /id — who works where, as last read from the municipality file or Entra ID: one
 *           document per unit (the snapshot), one per person (their units and leaders: the one
 *           point read a turn makes), the coordinators, and the sync's state and lease.
 * - due:    /id — one small document per UTC hour listing the jobs due in it that are not finished,
 *           and the scheduler's progress: a pass reads the current hour by id (src/store/due-index.ts).
 * - caseCodes: /id — one create-only claim per case code ever used, so a code is unique across
 *           the municipality's units and never reused: the audit log and job ids key on the code
 *           alone and outlive the case. No ttl.
 * - reportCounters: /unitId — the tertial report's counters, one document per unit and month,
 *           updated after each saved case change; a report reads one partition per unit.
 */
export const CONTAINERS = {
  cases: { id: 'cases', partitionKey: '/unitId', defaultTtl: -1 },
  audit: { id: 'audit', partitionKey: '/caseId', defaultTtl: -1 },
  people: { id: 'people', partitionKey: '/userId' },
  teams: { id: 'teams', partitionKey: '/teamId' },
  jobs: { id: 'jobs', partitionKey: '/id' },
  due: { id: 'due', partitionKey: '/id' },
  caseCodes: { id: 'caseCodes', partitionKey: '/id' },
  reportCounters: { id: 'reportCounters', partitionKey: '/unitId' },
  directory: { id: 'directory', partitionKey: '/id' },
} as const;

export type ContainerName = keyof typeof CONTAINERS;
