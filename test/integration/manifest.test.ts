import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { PNG } from 'pngjs';
import {
  PackagingError,
  bundledSchemaPath,
  createZip,
  fillPlaceholders,
  loadEnvironment,
  packageApp,
  parseEnvFile,
  validatePackage,
} from '../../scripts/package-app';
import { CONTAINERS } from '../../src/store/containers';
import { loadConfig } from '../../src/config';

// dist/test/integration → the repository root.
const root = resolve(__dirname, '..', '..', '..');
const appPackageDir = join(root, 'appPackage');

/** What provision would write for a deployed environment; the rest comes from env/.env.local. */
const PROVISIONED = {
  TEAMS_APP_ID: '5b0e8f4a-2c1d-4e3f-9a8b-7c6d5e4f3a2b',
  BOT_ID: '0f1e2d3c-4b5a-4697-8877-665544332211',
  BOT_DOMAIN: 'laget-test.azurewebsites.net',
};

const sampleEnv = () => loadEnvironment(root, 'local', PROVISIONED);
const template = () => readFileSync(join(appPackageDir, 'manifest.json'), 'utf8');
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access,
   @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return --
   parsed JSON documents, read loosely: the assertions are the type check here */
type Json = Record<string, any>;

function filledManifest(): Json {
  const filled = fillPlaceholders(template(), sampleEnv());
  assert.deepEqual(filled.missing, []);
  assert.deepEqual(filled.invalid, []);
  return JSON.parse(filled.text) as Json;
}

/** An independent reader for the stored ZIPs we write: every entry's name and bytes, CRCs checked. */
function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.length - 22; // no archive comment
  assert.equal(zip.readUInt32LE(end), 0x06054b50, 'end of central directory record');
  const count = zip.readUInt16LE(end + 10);
  const directorySize = zip.readUInt32LE(end + 12);
  let at = zip.readUInt32LE(end + 16);
  const directoryEnd = at + directorySize;
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'central directory header');
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const localAt = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    assert.equal(zip.readUInt32LE(localAt), 0x04034b50, `local header of ${name}`);
    assert.equal(zip.toString('utf8', localAt + 30, localAt + 30 + zip.readUInt16LE(localAt + 26)), name);
    const dataAt = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
    const data = zip.subarray(dataAt, dataAt + size);
    assert.equal(method, 0, `${name} is stored`);
    assert.equal(crc32(data), crc, `CRC-32 of ${name}`);
    entries.set(name, Buffer.from(data));
    at += 46 + nameLength + skip;
  }
  assert.equal(at, directoryEnd, 'central directory size');
  return entries;
}

describe('Teams app package (appPackage/, npm run package)', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'laget-package-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  describe('the manifest template', () => {
    it('names a schema bundled with @microsoft/app-manifest, of the same version as manifestVersion', () => {
      const manifest = JSON.parse(template()) as Json;
      assert.equal(
        manifest['$schema'],
        `https://developer.microsoft.com/json-schemas/teams/v${manifest['manifestVersion']}/MicrosoftTeams.schema.json`,
      );
      assert.ok(existsSync(bundledSchemaPath(manifest['$schema'])));
      const [major, minor] = String(manifest['manifestVersion']).split('.').map(Number);
      assert.ok(major === 1 && minor! >= 17, `manifestVersion ${manifest['manifestVersion']} is 1.17 or newer`);
    });

    it('filled with sample values, validates offline against the official schema its $schema names', async () => {
      const manifest = filledManifest();
      const schema = JSON.parse(readFileSync(bundledSchemaPath(manifest['$schema']), 'utf8'));
      assert.deepEqual(await AppManifestUtils.validateAgainstSchema(manifest as never, schema), []);
      // The same through the package's own check, which adds icons and localization files.
      assert.deepEqual(await validatePackage(manifest, appPackageDir), []);
    });

    it('refuses a manifest that breaks the schema, saying where', async () => {
      const manifest = filledManifest();
      manifest['accentColor'] = 'teal';
      delete manifest['developer']['privacyUrl'];
      manifest['bots'][0]['botId'] = 'not-a-guid';
      const problems = (await validatePackage(manifest, appPackageDir)).join('\n');
      assert.match(problems, /\/accentColor/);
      assert.match(problems, /privacyUrl/);
      assert.match(problems, /\/bots\/0\/botId/);
    });

    it('puts the bot in personal chat, teams and group chats, with Norwegian commands per scope', () => {
      const manifest = filledManifest();
      const [bot] = manifest['bots'];
      assert.equal(bot.botId, PROVISIONED.BOT_ID);
      assert.deepEqual([...bot.scopes].sort(), ['groupChat', 'personal', 'team']);
      assert.equal(bot.supportsFiles, false);
      assert.equal(bot.isNotificationOnly, false);
      const commands = (scope: string) =>
        bot.commandLists.find((list: Json) => list['scopes'].includes(scope)).commands.map((c: Json) => c['title']);
      assert.deepEqual(commands('personal'), ['hjelp', 'ny sak', 'mine saker', 'til godkjenning', 'avbryt']);
      assert.deepEqual(commands('team'), ['sett opp team', 'hjelp']);
      assert.equal(manifest['name']['short'], 'Laget');
      assert.equal(manifest['name']['full'], 'Laget rundt barnet');
      assert.equal(manifest['localizationInfo']['defaultLanguageTag'], 'nb-NO');
      assert.deepEqual(manifest['validDomains'], [PROVISIONED.BOT_DOMAIN]);
    });

    it('checks en.json against the official localization schema and against the manifest', async () => {
      cpSync(appPackageDir, scratch, { recursive: true });
      const en = JSON.parse(readFileSync(join(scratch, 'en.json'), 'utf8')) as Json;
      en['description.short'] = 'x'.repeat(81);
      en['bots[0].commandLists[0].commands[9].title'] = 'ghost';
      writeFileSync(join(scratch, 'en.json'), JSON.stringify(en));
      const problems = await validatePackage(filledManifest(), scratch);
      assert.equal(problems.length, 2, problems.join('\n'));
      assert.match(problems[0]!, /^en\.json: \/description\.short must NOT have more than 80 characters/);
      assert.equal(problems[1], 'en.json: "bots[0].commandLists[0].commands[9].title" translates nothing in manifest.json');
    });
  });

  describe('the icons', () => {
    const read = (file: string) => PNG.sync.read(readFileSync(join(appPackageDir, file)));

    it('color.png is 192×192 and fully opaque in the middle', () => {
      const png = read('color.png');
      assert.deepEqual([png.width, png.height], [192, 192]);
      const middle = (96 * 192 + 96) * 4;
      assert.equal(png.data[middle + 3], 255);
    });

    it('outline.png is 32×32, only white and transparent pixels, and not empty', () => {
      const png = read('outline.png');
      assert.deepEqual([png.width, png.height], [32, 32]);
      let opaque = 0;
      for (let i = 0; i < png.data.length; i += 4) {
        const [r, g, b, a] = [png.data[i], png.data[i + 1], png.data[i + 2], png.data[i + 3]];
        if (a === 0) continue;
        assert.deepEqual([r, g, b], [255, 255, 255], `pixel ${i / 4} is white`);
        if (a === 255) opaque++;
      }
      assert.ok(opaque > 100, `outline has a mark (${opaque} opaque pixels)`);
    });
  });

  describe('packageApp (what npm run package runs)', () => {
    it('writes a zip with the manifest, both icons and en.json at its root, the bot id filled in', async () => {
      const result = await packageApp({ appPackageDir, envName: 'test', env: sampleEnv(), outputDir: scratch });
      assert.equal(result.zipPath, join(scratch, 'appPackage.test.zip'));
      const entries = readZip(readFileSync(result.zipPath));
      assert.deepEqual([...entries.keys()].sort(), ['color.png', 'en.json', 'manifest.json', 'outline.png']);

      const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Json;
      assert.equal(manifest['bots'][0]['botId'], PROVISIONED.BOT_ID);
      assert.equal(manifest['id'], PROVISIONED.TEAMS_APP_ID);
      assert.doesNotMatch(entries.get('manifest.json')!.toString('utf8'), /\$\{\{/);
      assert.equal(manifest['developer']['name'], 'Aurskog-Høland kommune');
      for (const file of ['color.png', 'outline.png', 'en.json']) {
        assert.ok(entries.get(file)!.equals(readFileSync(join(appPackageDir, file))), `${file} is copied unchanged`);
      }
    });

    it('refuses an unfilled BOT_ID, naming it, and writes no zip', async () => {
      const env = { ...sampleEnv(), BOT_ID: '' };
      await assert.rejects(
        packageApp({ appPackageDir, envName: 'test', env, outputDir: scratch }),
        (error: unknown) =>
          error instanceof PackagingError && /needs BOT_ID\b/.test(error.message) && /env\/\.env\.test/.test(error.message),
      );
      assert.equal(existsSync(join(scratch, 'appPackage.test.zip')), false);
    });

    it('names every unfilled placeholder at once', async () => {
      const { BOT_ID: _bot, BOT_DOMAIN: _domain, ...env } = sampleEnv();
      await assert.rejects(packageApp({ appPackageDir, envName: 'test', env, outputDir: scratch }), /needs BOT_ID, BOT_DOMAIN/);
    });

    it('refuses a BOT_DOMAIN written as a URL, saying what it should look like', async () => {
      const env = { ...sampleEnv(), BOT_DOMAIN: 'https://laget-test.azurewebsites.net/' };
      await assert.rejects(packageApp({ appPackageDir, envName: 'test', env, outputDir: scratch }), /BOT_DOMAIN=.*without https:\/\//);
    });
  });

  describe('environment files', () => {
    it('reads env/.env.<env>, then .env.<env>.user, then the process; empty values do not override', () => {
      mkdirSync(join(scratch, 'env'));
      cpSync(join(root, 'env', '.env.dev'), join(scratch, 'env', '.env.dev'));
      writeFileSync(join(scratch, 'env', '.env.dev.user'), 'BOT_PASSWORD="from user file"\nLOG_LEVEL=debug\n');
      const env = loadEnvironment(scratch, 'dev', { LOG_LEVEL: 'warn', COSMOS_DATABASE: '' });
      assert.equal(env['TEAMSFX_ENV'], 'dev');
      assert.equal(env['BOT_PASSWORD'], 'from user file');
      assert.equal(env['LOG_LEVEL'], 'warn');
      assert.equal(env['COSMOS_DATABASE'], 'laget');
      assert.equal(env['BOT_ID'], undefined);
    });

    it('refuses an environment that has no file', () => {
      assert.throws(() => loadEnvironment(root, 'staging', {}), /no env\/\.env\.staging/);
    });

    it('the committed env files set their environment and hold no secrets', () => {
      const expected = { local: 'local', dev: 'dev', prod: 'production' } as const;
      for (const [name, lagetEnv] of Object.entries(expected)) {
        const values = parseEnvFile(readFileSync(join(root, 'env', `.env.${name}`), 'utf8'));
        assert.equal(values['TEAMSFX_ENV'], name);
        assert.equal(values['LAGET_ENV'], lagetEnv);
        assert.equal(values['BOT_PASSWORD'], '', `.env.${name} BOT_PASSWORD is empty`);
        assert.equal(values['COSMOS_KEY'], '', `.env.${name} COSMOS_KEY is empty`);
      }
    });
  });

  describe('createZip', () => {
    it('round-trips names (UTF-8 too) and bytes, and gives the same bytes for the same input', () => {
      const entries = [
        { name: 'a.txt', data: Buffer.from('hei') },
        { name: 'blåbær.json', data: Buffer.from('{"ø":1}') },
        { name: 'empty', data: Buffer.alloc(0) },
      ];
      const zip = createZip(entries);
      const read = readZip(zip);
      assert.deepEqual(
        [...read.keys()],
        entries.map((e) => e.name),
      );
      for (const entry of entries) assert.ok(read.get(entry.name)!.equals(entry.data));
      assert.ok(createZip(entries).equals(zip));
    });
  });

  describe('infrastructure', () => {
    it('infra/azure.parameters.json declares every container the app opens, with the same partition key and TTL', () => {
      // The app's identity can read and write data but not create containers: they come from Bicep.
      const parameters = JSON.parse(readFileSync(join(root, 'infra', 'azure.parameters.json'), 'utf8')) as Json;
      const declared = parameters['parameters']['containers']['value'] as Json[];
      const expected = Object.values(CONTAINERS).map((c) => ({
        name: c.id,
        partitionKey: c.partitionKey,
        ...('defaultTtl' in c ? { defaultTtl: c.defaultTtl } : {}),
      }));
      const byName = (a: Json, b: Json) => String(a['name']).localeCompare(String(b['name']));
      assert.deepEqual([...declared].sort(byName), [...expected].sort(byName));
    });

    it('the app settings infra/azure.bicep gives the web app are a configuration production accepts', () => {
      // What Azure starts with: every app setting Bicep writes, valued as provisioning would.
      const bicep = readFileSync(join(root, 'infra', 'azure.bicep'), 'utf8');
      const block = bicep.slice(bicep.indexOf('appSettings: ['), bicep.indexOf(']', bicep.indexOf('appSettings: [')));
      const names = [...block.matchAll(/name: '([A-Z_]+)'/g)].map((m) => m[1]!);
      const provisioned: Record<string, string> = {
        LAGET_ENV: 'production',
        BOT_ID: '00000000-0000-0000-0000-0000000000b0',
        BOT_TYPE: 'UserAssignedMsi',
        BOT_TENANT_ID: '00000000-0000-0000-0000-0000000000a0',
        ALLOWED_TENANT_IDS: '00000000-0000-0000-0000-0000000000a0',
        COSMOS_ENDPOINT: 'https://lagetx-cosmos.documents.azure.com:443/',
        COSMOS_DATABASE: 'laget',
        AZURE_CLIENT_ID: '00000000-0000-0000-0000-0000000000b0',
        MUNICIPALITY_FILE: 'config/municipality.local.json',
        DIRECTORY: 'file',
        TEAMS_APP_CATALOG_ID: '',
        TZ_NAME: 'Europe/Oslo',
        LOG_LEVEL: 'info',
        WEBSITE_RUN_FROM_PACKAGE: '1',
        SCM_DO_BUILD_DURING_DEPLOYMENT: 'false',
      };
      for (const name of names) assert.ok(name in provisioned, `the test knows how provisioning values ${name}`);
      const env = Object.fromEntries(names.map((name) => [name, provisioned[name]!]));
      const config = loadConfig(env);
      assert.equal(config.environment, 'production');
      assert.equal(config.bot.kind, 'authenticated');
      assert.equal(config.cosmos.kind, 'remote');
      assert.ok(!('COSMOS_KEY' in env), 'no account key in Azure: the managed identity signs in');
    });

    it('the web app runs the Node.js major that .nvmrc names (what the setup fetches and CI tests) and engines requires', () => {
      const major = readFileSync(join(root, '.nvmrc'), 'utf8').trim();
      assert.match(major, /^\d+$/);
      const bicep = readFileSync(join(root, 'infra', 'azure.bicep'), 'utf8');
      assert.match(bicep, new RegExp(`param linuxFxVersion string = 'NODE\\|${major}-lts'`));
      const parameters = JSON.parse(readFileSync(join(root, 'infra', 'azure.parameters.json'), 'utf8')) as Json;
      assert.ok(!('linuxFxVersion' in parameters['parameters']), 'the parameters file does not override the runtime');
      const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Json;
      assert.equal(pkg['engines']['node'], `>=${major}`);
      assert.match(pkg['devDependencies']['@types/node'], new RegExp(`^\\^${major}\\.`));
    });

    it('every file teamsapp.yml names exists', () => {
      const yml = readFileSync(join(root, 'teamsapp.yml'), 'utf8');
      const paths = [...yml.matchAll(/:\s*(\.\/(?:infra|appPackage)\/[^\s$]+\.(?:json|bicep)|\.\/infra\/\.webappignore)\s*$/gm)].map(
        (m) => m[1]!,
      );
      assert.ok(paths.length >= 4, `found ${paths.join(', ')}`);
      for (const path of paths) assert.ok(existsSync(join(root, path)), `${path} exists`);
      assert.match(readFileSync(join(root, 'infra', 'azure.bicep'), 'utf8'), /module \w+ '\.\/botRegistration\/azurebot\.bicep'/);
      assert.ok(existsSync(join(root, 'infra', 'botRegistration', 'azurebot.bicep')));
    });
  });
});
