import assert from 'node:assert/strict';
import { CASE_SCHEMA_VERSION } from '../../src/domain/case';
import { buildScenarioCase } from '../../src/domain/fixtures/scenarios';
import { TEAM_QUESTIONS } from '../../src/domain/team-questions';
import { StoredCaseSchema } from '../../src/store/case-document';
import { StoredTeamSchema } from '../../src/store/teams';
import { sampleTeam } from '../support/team-samples';

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

  it('reads a version-1 team with a typed question as "other – raised orally", the text gone; a topic keeps its text', () => {
    const current = sampleTeam();
    const version1 = {
      ...current,
      schemaVersion: 1,
      meetings: undefined,
      items: current.items.map(({ questionId: _q, topic, ...item }) => ({ ...item, question: item.kind === 'case' ? TYPED : topic })),
    };
    const read = StoredTeamSchema.parse(JSON.parse(JSON.stringify(version1)));
    assert.equal(read.schemaVersion, 2);
    assert.deepEqual(read.meetings, []);
    assert.deepEqual(
      read.items.map((item) => [item.kind, item.questionId, item.topic]),
      [
        ['case', 'other', null],
        ['case', 'other', null],
        ['case', 'other', null],
        ['topic', null, 'Overgang barnehage–skole'],
      ],
    );
    assert.doesNotMatch(JSON.stringify(read), /Emma|vold/);
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
