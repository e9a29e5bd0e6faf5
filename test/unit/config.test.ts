import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';
import { ConfigError, loadConfig } from '../../src/config';

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('the configuration was accepted');
}

const production = {
  LAGET_ENV: 'production',
  BOT_ID: '00000000-0000-0000-0000-000000000001',
  BOT_PASSWORD: 'secret',
  BOT_TYPE: 'MultiTenant',
  COSMOS_ENDPOINT: 'https://laget.documents.azure.com:443/',
  MUNICIPALITY_FILE: 'config/municipality.local.json',
  ALLOWED_TENANT_IDS: '00000000-0000-0000-0000-0000000000a0',
};

describe('configuration', () => {
  it('runs locally with no variables at all: embedded store, anonymous bot, Oslo time, port 3978', () => {
    const config = loadConfig({});
    assert.equal(config.environment, 'local');
    assert.equal(config.http.port, 3978);
    assert.equal(config.bot.kind, 'anonymous');
    assert.deepEqual(config.cosmos, { kind: 'embedded', database: 'laget' });
    assert.equal(config.timeZone, 'Europe/Oslo');
  });

  it('accepts a complete production configuration', () => {
    const config = loadConfig(production);
    assert.equal(config.bot.kind, 'authenticated');
    assert.equal(config.cosmos.kind, 'remote');
    assert.equal(config.http.host, '0.0.0.0');
  });

  it('refuses production without ALLOWED_TENANT_IDS, naming it (issue 12, finding 5)', () => {
    const { ALLOWED_TENANT_IDS: _omitted, ...env } = production;
    assert.match(refusal(env), /ALLOWED_TENANT_IDS is required when LAGET_ENV=production/);
  });

  it('accepts ALLOWED_TENANT_IDS=* in production as any tenant, with a warning to log at start', () => {
    const config = loadConfig({ ...production, ALLOWED_TENANT_IDS: '*' });
    assert.deepEqual(config.allowedTenantIds, []);
    assert.equal(config.warnings.length, 1);
    assert.match(config.warnings[0]!, /any Microsoft 365 tenant/);
    assert.deepEqual(loadConfig(production).warnings, []);
  });

  it('refuses * mixed with tenant ids', () => {
    assert.match(refusal({ ...production, ALLOWED_TENANT_IDS: '*,abc' }), /ALLOWED_TENANT_IDS is either \*/);
  });

  it('refuses production without BOT_ID, naming it', () => {
    const { BOT_ID: _omitted, ...env } = production;
    assert.match(refusal(env), /BOT_ID is required when LAGET_ENV=production/);
  });

  it('refuses dev without BOT_ID too: only local accepts anonymous requests', () => {
    assert.match(refusal({ LAGET_ENV: 'dev', COSMOS_ENDPOINT: production.COSMOS_ENDPOINT }), /BOT_ID/);
  });

  it('refuses SingleTenant without BOT_TENANT_ID, naming it', () => {
    assert.match(refusal({ ...production, BOT_TYPE: 'SingleTenant' }), /BOT_TENANT_ID is required when BOT_TYPE=SingleTenant/);
  });

  it('refuses UserAssignedMsi without BOT_TENANT_ID, naming it: a managed identity signs in to one tenant', () => {
    const { BOT_PASSWORD: _none, ...env } = production;
    assert.match(refusal({ ...env, BOT_TYPE: 'UserAssignedMsi' }), /BOT_TENANT_ID is required when BOT_TYPE=UserAssignedMsi/);
  });

  it('refuses a password with UserAssignedMsi, naming BOT_PASSWORD', () => {
    assert.match(
      refusal({ ...production, BOT_TYPE: 'UserAssignedMsi', BOT_TENANT_ID: 't' }),
      /BOT_PASSWORD must not be set when BOT_TYPE=UserAssignedMsi/,
    );
  });

  it('accepts UserAssignedMsi without a password', () => {
    const { BOT_PASSWORD: _omitted, ...env } = production;
    const config = loadConfig({ ...env, BOT_TYPE: 'UserAssignedMsi', BOT_TENANT_ID: 't' });
    assert.equal(config.bot.kind === 'authenticated' && config.bot.type, 'UserAssignedMsi');
  });

  it('refuses a client-secret bot without BOT_PASSWORD, naming it', () => {
    const { BOT_PASSWORD: _omitted, ...env } = production;
    assert.match(refusal(env), /BOT_PASSWORD is required/);
  });

  it('refuses production without COSMOS_ENDPOINT, naming it', () => {
    const { COSMOS_ENDPOINT: _omitted, ...env } = production;
    assert.match(refusal(env), /COSMOS_ENDPOINT is required when LAGET_ENV=production/);
  });

  it('refuses production without MUNICIPALITY_FILE: the bundled example holds synthetic people', () => {
    const { MUNICIPALITY_FILE: _omitted, ...env } = production;
    assert.match(refusal(env), /MUNICIPALITY_FILE is required when LAGET_ENV=production/);
  });

  it('refuses a municipality file that is missing, names the file and says why', () => {
    assert.match(refusal({ MUNICIPALITY_FILE: 'config/no-such-file.json' }), /MUNICIPALITY_FILE config\/no-such-file.json cannot be read/);
  });

  it('refuses a municipality whose units have no leader, naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'laget-config-'));
    const file = join(dir, 'municipality.json');
    const local = JSON.parse(readFileSync(join(projectRoot, 'config/municipality.local.json'), 'utf8')) as { units: object[] };
    writeFileSync(file, JSON.stringify({ ...local, units: [{ ...local.units[0], leaders: [] }] }));
    assert.match(refusal({ MUNICIPALITY_FILE: file }), /units\.0\.leaders/);
    writeFileSync(file, JSON.stringify({ ...local, ladderId: 'no-such-ladder' }));
    assert.match(refusal({ MUNICIPALITY_FILE: file }), /ladderId no-such-ladder is not a known ladder/);
  });

  it('loads the synthetic local municipality by default, on the Aurskog-Høland ladder', () => {
    const config = loadConfig({});
    assert.equal(config.municipality.ladderId, 'aurskog-holand');
    assert.deepEqual(
      config.municipality.units.map((unit) => unit.name),
      ['Solsikken barnehage', 'Bjørkelangen skole'],
    );
  });

  it('names every problem at once', () => {
    const message = refusal({ LAGET_ENV: 'production' });
    assert.match(message, /BOT_ID/);
    assert.match(message, /COSMOS_ENDPOINT/);
  });

  it('refuses unknown values with the variable named', () => {
    assert.match(refusal({ LAGET_ENV: 'staging' }), /LAGET_ENV/);
    assert.match(refusal({ BOT_TYPE: 'Other' }), /BOT_TYPE/);
    assert.match(refusal({ PORT: 'eighty' }), /PORT/);
    assert.match(refusal({ TZ_NAME: 'Mars/Olympus' }), /TZ_NAME/);
    assert.match(refusal({ COSMOS_ENDPOINT: 'not a url' }), /COSMOS_ENDPOINT/);
  });

  it('refuses test-only authentication endpoints in production', () => {
    assert.match(refusal({ ...production, BOT_OPENID_METADATA_URL: 'http://127.0.0.1:1/meta' }), /BOT_OPENID_METADATA_URL/);
  });

  it('treats empty variables as unset, as the env templates ship them', () => {
    const config = loadConfig({ BOT_ID: '', COSMOS_ENDPOINT: '', ALLOWED_TENANT_IDS: '' });
    assert.equal(config.bot.kind, 'anonymous');
    assert.equal(config.cosmos.kind, 'embedded');
    assert.deepEqual(config.allowedTenantIds, []);
  });

  it('reads ALLOWED_TENANT_IDS as a comma list', () => {
    assert.deepEqual(loadConfig({ ALLOWED_TENANT_IDS: ' a, b ,,c' }).allowedTenantIds, ['a', 'b', 'c']);
  });

  it('uses managed identity for Cosmos when an endpoint has no key', () => {
    const config = loadConfig(production);
    assert.deepEqual(config.cosmos, { kind: 'remote', endpoint: production.COSMOS_ENDPOINT, key: undefined, database: 'laget' });
  });
});
