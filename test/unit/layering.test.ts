import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../../src/paths';

/**
 * Bot Framework SDK and Teams AI v1 are in maintenance: only src/bot and src/http may import
 * them (or restify), so a move to the Microsoft 365 Agents SDK touches one place.
 */
const EDGE_ONLY = /from ['"](botbuilder[^'"]*|botframework-[^'"]*|@microsoft\/teams-ai|restify)['"]/;
/** The edge: the only folders that may know the SDKs. */
const EDGE = ['bot', 'http'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('layering', () => {
  it('keeps everything in src but src/bot and src/http free of the Bot Framework, teams-ai and restify', () => {
    const src = join(projectRoot, 'src');
    const inner = sources(src).filter((file) => !EDGE.includes(relative(src, file).split('/')[0]!));
    // The wiring (src/laget.ts) and the inner folders are all here.
    for (const expected of [
      'laget.ts',
      'config.ts',
      'domain/decide.ts',
      'store/cosmos.ts',
      'scheduler/scheduler.ts',
      'workflow/case-service.ts',
      'cards/render.ts',
    ]) {
      assert.ok(inner.includes(join(src, expected)), `src/${expected} is checked`);
    }
    const offenders = inner.filter((file) => EDGE_ONLY.test(readFileSync(file, 'utf8')));
    assert.deepEqual(
      offenders.map((file) => relative(projectRoot, file)),
      [],
    );
  });

  it('finds an import of the SDK where one is planted (the check can fail)', () => {
    assert.ok(EDGE_ONLY.test("import { TurnContext } from 'botbuilder';"));
    assert.ok(EDGE_ONLY.test("import { Application } from '@microsoft/teams-ai';"));
  });
});
