import assert from 'node:assert/strict';
import { CASE_SCHEMA_VERSION } from '../../src/domain/case';
import { buildScenarioCase } from '../../scripts/seed/scenarios';
import { TEAM_QUESTIONS } from '../../src/domain/team-questions';
import { StoredCaseSchema } from '../../src/store/case-document';
import { TeamMeetingSchema, TeamSchema } from '../../src/domain/team';
import { LegacyTeamDocumentSchema, splitLegacyTeam } from '../../src/store/team-legacy';
import { sampleMeeting, sampleTeam } from '../support/team-samples';

/**
 * Documents stored before a case was brought to a team with a question from the fixed neutral
 * list carry the free text that was typed; reading them must never let that text reach a channel.
 */
const TYPED = 'Emma Hansen (4 år) på Blå avdeling – mistanke om vold hjemme?';

describe('team questions and stored documents', () => {
  it('offers the fixed neutral questions in bokmål and English, "other – raised orally" among them', () => {
    assert.deepEqual(
      TEAM_QUESTIONS.map((q) => q.labels.nb),
      [
        'Råd om videre tiltak',
        'Bør andre tjenester involveres?',
        'Råd før samtalen med foreldrene',
        'Drøfte om det er grunnlag for bekymringsmelding',
        'Annet – tas muntlig i møtet',
      ],
    );
    assert.ok(TEAM_QUESTIONS.every((q) => q.labels.en.length > 0));
  });

  it('splits a version-1 team with a typed question: the team becomes version 3, its items a meeting record; the text gone, a topic kept', () => {
    const team = sampleTeam();
    const meeting = sampleMeeting();
    const version1 = {
      ...team,
      schemaVersion: 1,
      channel: {
        kind: 'channel',
        serviceUrl: team.channel.serviceUrl,
        conversationId: team.channel.channelId,
        channelId: team.channel.channelId,
        newThread: true,
      },
      items: meeting.items.map((item) => ({
        id: item.kind === 'case' ? `${item.caseId}-${meeting.meetingId}` : item.id,
        meetingId: meeting.meetingId,
        kind: item.kind,
        caseId: item.kind === 'case' ? item.caseId : null,
        unitId: item.kind === 'case' ? item.unitId : null,
        mode: item.kind === 'case' ? item.mode : null,
        question: item.kind === 'case' ? TYPED : item.topic,
        owner: item.owner,
        addedAt: item.addedAt,
        minutesRecordedAt: null,
      })),
    };
    const split = splitLegacyTeam(LegacyTeamDocumentSchema.parse(JSON.parse(JSON.stringify(version1))), new Date('2026-03-02T08:00:00Z'));
    const read = TeamSchema.parse(split.team);
    assert.equal(read.schemaVersion, 3);
    assert.equal(read.channel.channelId, team.channel.channelId);
    assert.equal(split.meetings.length, 1);
    const record = TeamMeetingSchema.parse(split.meetings[0]);
    assert.deepEqual(
      record.items.map((item) => [item.kind, item.id, item.kind === 'case' ? item.questionId : item.topic]),
      [
        ['case', 'case-UR-4HNW', 'other'],
        ['case', 'case-UR-5QMB', 'other'],
        ['case', 'case-UR-3VJF', 'other'],
        ['topic', 'topic-4', 'Overgang barnehage–skole'],
      ],
    );
    assert.doesNotMatch(JSON.stringify(split), /Emma|vold/);
  });

  it('reads a version-1 case with a typed question as "other", keeping the text as the owner’s private note', () => {
    const c = buildScenarioCase('S6');
    const version1 = {
      ...c,
      schemaVersion: 1,
      teamItems: c.teamItems.map(({ questionId: _q, note: _n, ...item }) => ({ ...item, question: TYPED })),
    };
    const read = StoredCaseSchema.parse(JSON.parse(JSON.stringify(version1)));
    assert.equal(read.schemaVersion, CASE_SCHEMA_VERSION);
    assert.deepEqual(
      read.teamItems.map((item) => [item.questionId, item.note]),
      [['other', TYPED]],
    );
    assert.equal('question' in read.teamItems[0]!, false);
  });
});
