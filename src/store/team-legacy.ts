import { z } from 'zod';
import { FALLBACK_TEAM_QUESTION } from '../domain/team-questions';
import {
  caseItemId,
  MEETING_SCHEMA_VERSION,
  meetingDocId,
  TEAM_SCHEMA_VERSION,
  type AgendaItem,
  type MinutesRecord,
  type Team,
  type TeamMeeting,
} from '../domain/team';
import { upgradeDocument, type RawDocument } from './schema-upgrades';

/**
 * Team documents written before a team's meetings had documents of their own (schema versions 1
 * and 2 kept every item and meeting record in the team document, capped at 500 items). Reading one
 * splits it: the team document becomes version 3 and each meeting gets its `meeting:<id>` document
 * (src/store/teams.ts writes both). Version 1 kept a free-text `question` on every item, which could
 * reach a channel: a case item becomes "other – raised orally in the meeting" and the text is
 * dropped (the case keeps it as the owner's note); a topic keeps its text.
 */

type Raw = RawDocument;

function teamFromVersion1(doc: Raw): Raw {
  const items = Array.isArray(doc.items) ? (doc.items as Raw[]) : [];
  return {
    ...doc,
    schemaVersion: 2,
    items: items.map(({ question, ...item }) =>
      item.kind === 'topic'
        ? { ...item, questionId: null, topic: item.topic ?? question ?? '–' }
        : { ...item, questionId: item.questionId ?? FALLBACK_TEAM_QUESTION, topic: null },
    ),
    meetings: doc.meetings ?? [],
  };
}

const LegacyItemSchema = z.object({
  id: z.string(),
  meetingId: z.string(),
  kind: z.enum(['case', 'topic']),
  caseId: z.string().nullable(),
  unitId: z.string().nullable(),
  mode: z.enum(['anonymous', 'named']).nullable(),
  questionId: z.string().nullable(),
  topic: z.string().nullable(),
  owner: z.object({ id: z.string(), name: z.string() }),
  addedAt: z.string(),
  minutesRecordedAt: z.string().nullable(),
});

const LegacyTeamSchema = z.object({
  schemaVersion: z.literal(2),
  id: z.literal('team'),
  teamId: z.string(),
  teamsTeamId: z.string(),
  name: z.string(),
  kind: z.enum(['interdisciplinary', 'forum']),
  unitId: z.string().nullable(),
  channel: z.object({
    serviceUrl: z.string(),
    conversationId: z.string(),
    channelId: z.string(),
    tenantId: z.string().optional(),
    botId: z.string().optional(),
  }),
  active: z.boolean(),
  lead: z.object({ id: z.string(), name: z.string() }).nullable(),
  roles: z.array(z.string()),
  series: z.unknown(),
  items: z.array(LegacyItemSchema),
  meetings: z.array(
    z.object({
      meetingId: z.string(),
      agenda: z.object({ itemIds: z.array(z.string()), at: z.string() }).nullable(),
      minutes: z.unknown().nullable(),
    }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A version 1 or 2 team document, brought to version 2 (what `splitLegacyTeam` takes). */
export const LegacyTeamDocumentSchema = z.preprocess(
  (input) => upgradeDocument(input, 'team', 2, { 1: teamFromVersion1 }, 1),
  LegacyTeamSchema,
);
export type LegacyTeam = z.infer<typeof LegacyTeamSchema>;

/** Whether a stored team document predates meeting documents. */
export function isLegacyTeamDocument(raw: unknown): boolean {
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  return typeof version !== 'number' || version < TEAM_SCHEMA_VERSION;
}

/** The version 3 team and its meeting documents, as unparsed JSON for the current schemas to check. */
export function splitLegacyTeam(legacy: LegacyTeam, now: Date): { team: Team; meetings: TeamMeeting[] } {
  const at = now.toISOString();
  const newId = (item: { id: string; kind: string; caseId: string | null }) =>
    item.kind === 'case' && item.caseId ? caseItemId(item.caseId) : item.id;
  const idMap = new Map(legacy.items.map((item) => [item.id, newId(item)]));
  const meetingIds = [...new Set([...legacy.items.map((i) => i.meetingId), ...legacy.meetings.map((m) => m.meetingId)])];
  const meetings = meetingIds.map((meetingId): TeamMeeting => {
    const record = legacy.meetings.find((m) => m.meetingId === meetingId);
    const items = legacy.items
      .filter((item) => item.meetingId === meetingId)
      .map((item): AgendaItem =>
        item.kind === 'case'
          ? {
              kind: 'case',
              id: newId(item),
              caseId: item.caseId!,
              unitId: item.unitId!,
              mode: item.mode ?? 'anonymous',
              questionId: (item.questionId ?? FALLBACK_TEAM_QUESTION) as never,
              owner: item.owner,
              addedAt: item.addedAt,
              minutesRecordedAt: item.minutesRecordedAt,
            }
          : {
              kind: 'topic',
              id: item.id,
              topic: item.topic ?? '–',
              owner: item.owner,
              addedAt: item.addedAt,
              minutesRecordedAt: item.minutesRecordedAt,
            },
      );
    const minutes = record?.minutes as MinutesRecord | null | undefined;
    return {
      schemaVersion: MEETING_SCHEMA_VERSION,
      id: meetingDocId(meetingId),
      teamId: legacy.teamId,
      meetingId,
      date: meetingId.slice(0, 10),
      items,
      agenda: record?.agenda ? { ...record.agenda, itemIds: record.agenda.itemIds.map((id) => idMap.get(id) ?? id) } : null,
      minutes: minutes
        ? {
            ...minutes,
            items: minutes.items.map((i) => ({ ...i, itemId: idMap.get(i.itemId) ?? i.itemId })),
            topics: minutes.topics.map((i) => ({ ...i, itemId: idMap.get(i.itemId) ?? i.itemId })),
          }
        : null,
      held: null,
      createdAt: at,
      updatedAt: at,
    };
  });
  const { items: _items, meetings: _meetings, channel, ...rest } = legacy;
  const team = {
    ...rest,
    schemaVersion: TEAM_SCHEMA_VERSION,
    channel: {
      channelId: channel.channelId,
      serviceUrl: channel.serviceUrl,
      ...(channel.tenantId ? { tenantId: channel.tenantId } : {}),
      ...(channel.botId ? { botId: channel.botId } : {}),
    },
    updatedAt: at,
  } as Team;
  return { team, meetings };
}
