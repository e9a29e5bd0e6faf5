import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../../src/paths';

/**
 * Bot Framework SDK and Teams AI v1 are in maintenance: only src/bot and src/http may import
 * them (or restify), so a move to the Microsoft 365 Agents SDK touches one place.
 */
const EDGE_ONLY = /from ['"](botbuilder[^'"]*|botframework-[^'"]*|@microsoft\/teams-ai|restify)['"]/;
const INNER = ['domain', 'store', 'cards', 'i18n', 'scheduler', 'workflow'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('layering', () => {
  for (const folder of INNER) {
    it(`keeps src/${folder} free of the Bot Framework, teams-ai and restify`, () => {
      const offenders = sources(join(projectRoot, 'src', folder)).filter((file) => EDGE_ONLY.test(readFileSync(file, 'utf8')));
      assert.deepEqual(offenders.map((file) => relative(projectRoot, file)), []);
    });
  }

  it('finds an import of the SDK where one is planted (the check can fail)', () => {
    assert.ok(EDGE_ONLY.test("import { TurnContext } from 'botbuilder';"));
    assert.ok(EDGE_ONLY.test("import { Application } from '@microsoft/teams-ai';"));
  });
});
