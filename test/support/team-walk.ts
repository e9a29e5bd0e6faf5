import assert from 'node:assert/strict';
import { teamKeyOf } from '../../src/store/teams';
import { botInstalledInTeam, CHANNEL, personalConversationId, users, type Activity, type TestUser } from './activities';
import { buttonTitles, Conversation, lastCard, type Reply } from './conversation';
import type { ConnectorCall } from './fake-connector';
import { cardOf, startTestLaget, textOf, type Running } from './laget';

/** Walks of the team channel through the real bot, shared by the team tests. */

export const BJORKELANGEN = 'bjorkelangen-skole';
export const TEAM = teamKeyOf(CHANNEL.teamId);

/** The buttons of the first set-up card, by the kind of rhythm each leads to. */
export const RHYTHM_BUTTON = {
  dates: 'Bestemte datoer',
  cadence: 'Fast rytme (hver … uke)',
  monthly: 'Månedlig (f.eks. første tirsdag)',
} as const;
export type RhythmKind = keyof typeof RHYTHM_BUTTON;

/** What each rhythm's card is filled with unless a test says otherwise. */
const RHYTHM_DEFAULTS: Record<RhythmKind, Record<string, string>> = {
  dates: { dates: '2026-03-17, 2026-04-28', start: '09:00', end: '10:30' },
  cadence: {},
  monthly: {},
};

/**
 * "@Laget sett opp team" in the channel: the kind of rhythm first, then that rhythm's card, saved
 * with these values. (A set-up card that has the save button at once — one card with every field —
 * is filled in directly.)
 */
export async function setUpTeam(channel: Conversation, values: Record<string, string> & { scheduleKind?: RhythmKind }): Promise<Reply[]> {
  const { scheduleKind = 'dates', ...rest } = values;
  const first = lastCard(await channel.say('sett opp team'));
  assert.ok(first, 'no set-up card');
  const oneCard = buttonTitles(first).includes('Lagre møteserien');
  const form = oneCard ? first : lastCard(await channel.press(first, RHYTHM_BUTTON[scheduleKind]));
  return channel.press(form, 'Lagre møteserien', {
    name: 'Tverrfaglig team, Bjørkelangen skole',
    kind: 'interdisciplinary',
    unitId: BJORKELANGEN,
    leadId: users.ola.aadObjectId,
    roles: 'leader,teacher,ppt,health-nurse',
    ...(oneCard ? { scheduleKind } : {}),
    ...RHYTHM_DEFAULTS[scheduleKind],
    ...rest,
  });
}

/** Laget at `now`, installed in Bjørkelangen's team, its series set up by Ola (who has a personal chat). */
export async function startWithTeam(
  clock: () => Date,
  env: Record<string, string> = {},
  values: Record<string, string> = {},
): Promise<Running> {
  const running = await startTestLaget(env, { now: clock });
  await new Conversation(running, users.ola).say('hei');
  await running.post(botInstalledInTeam(running.connector.url, users.ola));
  await setUpTeam(Conversation.inChannel(running, users.ola), values);
  return running;
}

/** The new threads the scheduler posted in a team channel (TeamsInfo.sendMessageToTeamsChannel), with the channel each went to. */
export function channelPosts(running: Running): { channelId: string; card: Record<string, unknown>; text: string }[] {
  return running.connector.calls
    .filter((call: ConnectorCall) => call.method === 'POST' && call.path === '/v3/conversations')
    .flatMap((call) => {
      const body = call.activity as { activity?: Record<string, unknown>; channelData?: { channel?: { id?: string } } };
      const card = cardOf(body.activity);
      return card ? [{ channelId: body.channelData?.channel?.id ?? '', card, text: textOf(card) }] : [];
    });
}

/** The texts of those threads. */
export function channelThreads(running: Running): string[] {
  return channelPosts(running).map((post) => post.text);
}

/** The cards Laget sent to a person's own chat. */
export function personalCards(running: Running, user: TestUser): Record<string, unknown>[] {
  return running.connector
    .activitiesIn(personalConversationId(user))
    .map((activity) => cardOf(activity))
    .filter((card): card is Record<string, unknown> => card !== undefined);
}

/**
 * Posts an activity and returns what Laget answered to it (replies carry the activity's id as
 * `replyToId`), so many turns can run at once and each still gets its own answer.
 */
export async function answerTo(running: Running, activity: Activity): Promise<{ status: number; text: string }> {
  const response = await running.post(activity);
  const replies = running.connector.calls.filter((call) => (call.activity as { replyToId?: unknown }).replyToId === activity.id);
  const text = replies
    .map((call) =>
      cardOf(call.activity) ? textOf(cardOf(call.activity)) : typeof call.activity.text === 'string' ? call.activity.text : '',
    )
    .join('\n');
  return { status: response.status, text };
}
