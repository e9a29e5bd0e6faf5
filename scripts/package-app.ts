import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import { AppManifestUtils } from '@microsoft/app-manifest';

/**
 * `npm run package`: builds the Teams app package (the zip an admin or a user uploads).
 *
 * 1. Reads the environment: env/.env.<TEAMSFX_ENV or local>, then env/.env.<env>.user, then the
 *    process environment (later wins; empty values count as unset).
 * 2. Fills the `${{NAME}}` placeholders of appPackage/manifest.json and refuses, naming them,
 *    any that stay unfilled.
 * 3. Validates the filled manifest offline against the official JSON schema bundled with
 *    @microsoft/app-manifest (the one its `$schema` names), the localization files against theirs,
 *    and checks the icons' sizes.
 * 4. Writes appPackage/build/appPackage.<env>.zip: manifest.json, the icons and the
 *    localization files, all at the root of the zip, as Teams requires.
 */

export class PackagingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackagingError';
  }
}

export type Environment = Readonly<Record<string, string | undefined>>;

// ---------------------------------------------------------------------------------------------
// Environment files
// ---------------------------------------------------------------------------------------------

/** KEY=VALUE lines; `#` starts a comment line; surrounding quotes are removed. No inline comments. */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!;
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) {
      value = value.slice(1, -1);
    }
    values[match[1]!] = value;
  }
  return values;
}

/** The variables for one environment, as Teams Toolkit sees them, overridden by the process. */
export function loadEnvironment(root: string, envName: string, processEnv: Environment = process.env): Record<string, string> {
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(envName)) {
    throw new PackagingError(`TEAMSFX_ENV="${envName}" is not an environment name (use local, dev or prod).`);
  }
  const envFile = join(root, 'env', `.env.${envName}`);
  if (!existsSync(envFile)) {
    throw new PackagingError(
      `there is no env/.env.${envName} for TEAMSFX_ENV=${envName}. Use one of: local, dev, prod (or create that file).`,
    );
  }
  const merged: Record<string, string> = {};
  const assign = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value !== undefined && value.trim() !== '') merged[key] = value.trim();
    }
  };
  assign(parseEnvFile(readFileSync(envFile, 'utf8')));
  const userFile = `${envFile}.user`;
  if (existsSync(userFile)) assign(parseEnvFile(readFileSync(userFile, 'utf8')));
  assign({ ...processEnv });
  return merged;
}

// ---------------------------------------------------------------------------------------------
// Placeholders
// ---------------------------------------------------------------------------------------------

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d+)?$/i;

/** Friendlier checks than the schema's regular expressions, for the values people type by hand. */
const VALUE_RULES: Record<string, { ok: (value: string) => boolean; expected: string }> = {
  TEAMS_APP_ID: { ok: (v) => GUID.test(v), expected: 'a GUID (Teams Toolkit writes it on provision)' },
  BOT_ID: { ok: (v) => GUID.test(v), expected: "a GUID: the bot's Microsoft Entra app id or managed identity client id" },
  BOT_DOMAIN: { ok: (v) => HOST.test(v), expected: 'a host name such as laget-abc123.azurewebsites.net, without https:// or a path' },
  APP_WEBSITE_URL: { ok: isHttpsUrl, expected: 'an https:// URL' },
  APP_PRIVACY_URL: { ok: isHttpsUrl, expected: 'an https:// URL' },
  APP_TERMS_URL: { ok: isHttpsUrl, expected: 'an https:// URL' },
};

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

export type Filled = { text: string; missing: string[]; invalid: string[] };

/** Replaces `${{NAME}}` with the JSON-escaped value; lists unset and malformed variables. */
export function fillPlaceholders(template: string, env: Environment): Filled {
  const missing = new Set<string>();
  const invalid = new Set<string>();
  const text = template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = env[name]?.trim();
    if (value === undefined || value === '') {
      missing.add(name);
      return whole;
    }
    const rule = VALUE_RULES[name];
    if (rule && !rule.ok(value)) invalid.add(`${name}="${value}" must be ${rule.expected}`);
    return JSON.stringify(value).slice(1, -1);
  });
  return { text, missing: [...missing], invalid: [...invalid] };
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;
type Schema = Parameters<typeof AppManifestUtils.validateAgainstSchema>[1];
type Manifest = Parameters<typeof AppManifestUtils.validateAgainstSchema>[0];

const appManifestPackage = dirname(require.resolve('@microsoft/app-manifest/package.json'));

/**
 * The bundled copy of an official schema URL (with or without a locale such as /en-us/).
 * Refuses URLs it has no copy of, so validation never silently goes to the network.
 */
export function bundledSchemaPath(schemaUrl: string): string {
  const match = /^https:\/\/developer\.microsoft\.com\/(?:[a-z]{2}(?:-[a-z]{2})?\/)?json-schemas\/(teams\/[^?#]+\.json)$/i.exec(schemaUrl);
  const file = match ? join(appManifestPackage, 'build', 'json-schemas', match[1]!) : undefined;
  if (!file || !existsSync(file)) {
    throw new PackagingError(
      `$schema "${schemaUrl}" is not one of the official Teams schemas bundled with @microsoft/app-manifest ` +
        `(see ${relative(process.cwd(), join(appManifestPackage, 'build', 'json-schemas', 'teams'))}).`,
    );
  }
  return file;
}

function loadSchema(schemaUrl: string): Schema {
  // Some published schemas contain \a or \v escapes that JSON does not allow (the library does the same).
  const raw = readFileSync(bundledSchemaPath(schemaUrl), 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  return repairPatterns(JSON.parse(raw)) as Schema;
}

/**
 * The official localization schemas (every version up to 1.30) have two key patterns with a lone
 * `]` (`…\\b]\\.description$`): fine for a classic JavaScript RegExp, where it means a literal `]`,
 * but an error for ajv, which compiles patterns with the `u` flag. Escaping such a `]` keeps the
 * meaning and lets the rest of the schema be checked.
 */
export function repairPatterns(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(repairPatterns);
  if (node === null || typeof node !== 'object') return node;
  const repaired: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'patternProperties' && value && typeof value === 'object') {
      repaired[key] = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([pattern, schema]) => [unicodeSafe(pattern), repairPatterns(schema)]),
      );
    } else if (key === 'pattern' && typeof value === 'string') {
      repaired[key] = unicodeSafe(value);
    } else {
      repaired[key] = repairPatterns(value);
    }
  }
  return repaired;
}

function unicodeSafe(pattern: string): string {
  try {
    new RegExp(pattern, 'u');
    return pattern;
  } catch {
    let escaped = '';
    let inClass = false;
    for (let i = 0; i < pattern.length; i++) {
      const char = pattern[i]!;
      if (char === '\\') {
        escaped += char + (pattern[i + 1] ?? '');
        i++;
      } else if (inClass) {
        if (char === ']') inClass = false;
        escaped += char;
      } else if (char === '[') {
        inClass = true;
        escaped += char;
      } else {
        escaped += char === ']' ? '\\]' : char;
      }
    }
    new RegExp(escaped, 'u'); // still invalid: let the error name the pattern
    return escaped;
  }
}

async function schemaProblems(document: Json, what: string): Promise<string[]> {
  const schemaUrl = document['$schema'];
  if (typeof schemaUrl !== 'string') return [`${what} has no $schema`];
  const problems = await AppManifestUtils.validateAgainstSchema(document as unknown as Manifest, loadSchema(schemaUrl));
  return problems.map((problem) => `${what}: ${problem.trim()}`);
}

/** Width and height from a PNG's IHDR chunk, or undefined when the file is not a PNG. */
export function pngSize(data: Buffer): { width: number; height: number } | undefined {
  const signature = '89504e470d0a1a0a';
  if (data.length < 24 || data.subarray(0, 8).toString('hex') !== signature) return undefined;
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** Looks up `bots[0].commandLists[1].commands[0].title` in the manifest. */
function lookUp(manifest: Json, dottedPath: string): unknown {
  let node: unknown = manifest;
  for (const part of dottedPath.split('.')) {
    const match = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!match) return undefined;
    node = (node as Json | undefined)?.[match[1]!];
    for (const index of match[2]!.match(/\d+/g) ?? []) node = (node as unknown[] | undefined)?.[Number(index)];
  }
  return node;
}

const ICON_SIZES = { color: 192, outline: 32 } as const;

/** Every problem with a filled manifest and the files it names; empty when it is fit to ship. */
export async function validatePackage(manifest: Json, appPackageDir: string): Promise<string[]> {
  const problems = await schemaProblems(manifest, 'manifest.json');

  const schemaUrl = typeof manifest['$schema'] === 'string' ? manifest['$schema'] : '';
  const version = typeof manifest['manifestVersion'] === 'string' ? manifest['manifestVersion'] : '';
  if (!schemaUrl.includes(`/v${version}/`)) {
    problems.push(`manifest.json: manifestVersion "${version}" does not match $schema ${schemaUrl}`);
  }

  const icons = (manifest['icons'] ?? {}) as Record<string, unknown>;
  for (const [kind, expected] of Object.entries(ICON_SIZES)) {
    const file = join(appPackageDir, String(icons[kind]));
    if (!existsSync(file)) {
      problems.push(`icons.${kind}: ${relative(process.cwd(), file)} does not exist (npm run build && node dist/scripts/make-icons.js)`);
      continue;
    }
    const size = pngSize(readFileSync(file));
    if (!size || size.width !== expected || size.height !== expected) {
      problems.push(
        `icons.${kind}: ${String(icons[kind])} must be a ${expected}×${expected} PNG` + (size ? `, is ${size.width}×${size.height}` : ''),
      );
    }
  }

  for (const file of localizationFiles(manifest)) {
    const path = join(appPackageDir, file);
    if (!existsSync(path)) {
      problems.push(`localizationInfo names ${file}, which does not exist in appPackage/`);
      continue;
    }
    const strings = JSON.parse(readFileSync(path, 'utf8')) as Json;
    problems.push(...(await schemaProblems(strings, file)));
    for (const key of Object.keys(strings)) {
      if (key === '$schema' || key === 'localizationKeys') continue;
      if (typeof lookUp(manifest, key) !== 'string') problems.push(`${file}: "${key}" translates nothing in manifest.json`);
    }
  }
  return problems;
}

export function localizationFiles(manifest: Json): string[] {
  const info = manifest['localizationInfo'] as { defaultLanguageFile?: string; additionalLanguages?: { file: string }[] } | undefined;
  const files = [info?.defaultLanguageFile, ...(info?.additionalLanguages ?? []).map((language) => language.file)];
  return files.filter((file): file is string => typeof file === 'string');
}

// ---------------------------------------------------------------------------------------------
// ZIP (store only: PNGs are already compressed and the rest is a few KB)
// ---------------------------------------------------------------------------------------------

export type ZipEntry = { name: string; data: Buffer };

/** A fixed timestamp (2025-01-01 00:00), so the same inputs give the same bytes. */
const DOS_TIME = 0;
const DOS_DATE = ((2025 - 1980) << 9) | (1 << 5) | 1;
const UTF8_NAMES = 0x0800;

/** A ZIP archive of the entries, uncompressed (method 0), readable by Teams and every unzip tool. */
export function createZip(entries: readonly ZipEntry[]): Buffer {
  if (entries.length > 0xffff) throw new Error('too many files for a ZIP without ZIP64');
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    if (offset + data.length > 0xfffffffe) throw new Error('archive too large for a ZIP without ZIP64');

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); // local file header signature
    local.writeUInt16LE(20, 4); // version needed to extract (2.0)
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(0, 8); // method: stored
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18); // compressed size
    local.writeUInt32LE(data.length, 22); // uncompressed size
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28); // extra field length

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); // central directory header signature
    central.writeUInt16LE(20, 4); // version made by (2.0, MS-DOS attributes)
    central.writeUInt16LE(20, 6); // version needed to extract
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(0, 10); // method: stored
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    // extra length, comment length, disk number, internal and external attributes stay 0
    central.writeUInt32LE(offset, 42); // where the local header starts

    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory signature
  end.writeUInt16LE(entries.length, 8); // entries on this disk
  end.writeUInt16LE(entries.length, 10); // entries in total
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16); // where the central directory starts
  return Buffer.concat([...locals, centralDirectory, end]);
}

// ---------------------------------------------------------------------------------------------
// The package
// ---------------------------------------------------------------------------------------------

export type PackageOptions = {
  /** The folder holding manifest.json, the icons and the localization files. */
  appPackageDir: string;
  envName: string;
  env: Environment;
  /** Where the zip goes; appPackage/build by default. */
  outputDir?: string;
};

export type PackageResult = { zipPath: string; manifest: Json; files: string[] };

export async function packageApp(options: PackageOptions): Promise<PackageResult> {
  const { appPackageDir, envName, env } = options;
  const template = readFileSync(join(appPackageDir, 'manifest.json'), 'utf8');
  const filled = fillPlaceholders(template, env);
  if (filled.missing.length > 0) {
    const names = filled.missing.join(', ');
    throw new PackagingError(
      `appPackage/manifest.json needs ${names}, but ${filled.missing.length === 1 ? 'it is' : 'they are'} not set ` +
        `for TEAMSFX_ENV=${envName}. Set ${filled.missing.length === 1 ? 'it' : 'them'} in env/.env.${envName} ` +
        `(or env/.env.${envName}.user), or in the environment, e.g. ${filled.missing[0]}=… npm run package. ` +
        `Teams Toolkit's provision writes TEAMS_APP_ID, BOT_ID and BOT_DOMAIN for you.`,
    );
  }
  if (filled.invalid.length > 0) {
    throw new PackagingError(`appPackage/manifest.json cannot be filled:\n  - ${filled.invalid.join('\n  - ')}`);
  }

  const manifest = JSON.parse(filled.text) as Json;
  const problems = await validatePackage(manifest, appPackageDir);
  if (problems.length > 0) {
    throw new PackagingError(`the filled manifest is not valid for Teams:\n  - ${problems.join('\n  - ')}`);
  }

  const icons = manifest['icons'] as Record<string, string>;
  const files = [icons['color']!, icons['outline']!, ...localizationFiles(manifest)];
  const entries: ZipEntry[] = [
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    ...files.map((file) => ({ name: file, data: readFileSync(join(appPackageDir, file)) })),
  ];

  const outputDir = options.outputDir ?? join(appPackageDir, 'build');
  mkdirSync(outputDir, { recursive: true });
  const zipPath = join(outputDir, `appPackage.${envName}.zip`);
  writeFileSync(zipPath, createZip(entries));
  return { zipPath, manifest, files: entries.map((entry) => entry.name) };
}

async function main(): Promise<void> {
  // dist/scripts/package-app.js → the repository root is two levels up.
  const root = resolve(__dirname, '..', '..');
  const envName = process.env['TEAMSFX_ENV']?.trim() || 'local';
  try {
    const env = loadEnvironment(root, envName, process.env);
    const result = await packageApp({ appPackageDir: join(root, 'appPackage'), envName, env });
    const bots = result.manifest['bots'] as { botId: string }[];
    process.stdout.write(
      `Teams app package for ${envName}: ${relative(process.cwd(), result.zipPath)}\n` +
        `  files: ${result.files.join(', ')}\n` +
        `  app id ${String(result.manifest['id'])}, bot id ${bots[0]?.botId}, manifest ${String(result.manifest['manifestVersion'])}\n`,
    );
  } catch (error) {
    if (!(error instanceof PackagingError)) throw error;
    process.stderr.write(`npm run package: ${error.message}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`npm run package failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
