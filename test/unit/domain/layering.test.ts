import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * The domain is pure: nothing under src/domain imports the Teams/Bot SDKs, the HTTP server, the
 * database client, the card library, Node's I/O modules, or another layer of the app.
 */

const FORBIDDEN: readonly RegExp[] = [
  /^botbuilder/,
  /^@microsoft\/teams-ai/,
  /^@microsoft\//,
  /^restify/,
  /^@azure\//,
  /^adaptivecards/,
  /^pino/,
  /^(node:)?(fs|fs\/promises|http|https|http2|net|tls|dgram|dns|child_process|cluster|worker_threads|os|process|readline|repl|vm|inspector)$/,
];
/** What the domain may import from outside itself. */
const ALLOWED_PACKAGES: readonly string[] = ['zod', 'luxon'];

/** The repository root: above the compiled test (dist/test/unit/domain), or the working directory. */
function findRoot(): string {
  const isRoot = (dir: string) => existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src', 'domain', 'ladder.ts'));
  for (let dir = __dirname; dir !== resolve(dir, '..'); dir = resolve(dir, '..')) if (isRoot(dir)) return dir;
  if (isRoot(process.cwd())) return process.cwd();
  throw new Error(`no repository root above ${__dirname} or at ${process.cwd()}`);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?[^'"]*?\sfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s+['"]([^'"]+)['"]/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bexport\s+[^'"]*?\sfrom\s+['"]([^'"]+)['"]/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) if (match[1]) specifiers.push(match[1]);
  return specifiers;
}

describe('layering', () => {
  const root = findRoot();
  const domain = join(root, 'src', 'domain');
  const files = sourceFiles(domain);

  it('finds the domain sources', () => {
    assert.ok(files.length > 10, `only ${files.length} files under ${domain}`);
  });

  it('keeps src/domain free of SDKs, servers, databases, cards and Node I/O', () => {
    const offences: string[] = [];
    for (const file of files) {
      for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
        const where = relative(root, file);
        if (FORBIDDEN.some((pattern) => pattern.test(specifier))) offences.push(`${where} imports ${specifier}`);
        else if (specifier.startsWith('.')) {
          const target = resolve(file, '..', specifier);
          if (!target.startsWith(domain)) offences.push(`${where} reaches outside the domain: ${specifier}`);
        } else if (!ALLOWED_PACKAGES.includes(specifier)) offences.push(`${where} imports an unexpected package ${specifier}`);
      }
    }
    assert.deepEqual(offences, []);
  });

  it('catches a forbidden import when there is one', () => {
    const sample = "import { TurnContext } from 'botbuilder';\nimport fs from 'node:fs';\nconst c = require('@azure/cosmos');";
    const found = importsOf(sample).filter((s) => FORBIDDEN.some((p) => p.test(s)));
    assert.deepEqual(found, ['botbuilder', 'node:fs', '@azure/cosmos']);
  });

  it('takes the time and randomness as arguments: no Date.now(), new Date() or Math.random() in the domain', () => {
    const offences = files.flatMap((file) => {
      const source = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      return [/Date\.now\(/, /new Date\(\s*\)/, /Math\.random\(/]
        .filter((p) => p.test(source))
        .map((p) => `${relative(root, file)}: ${p.source}`);
    });
    assert.deepEqual(offences, []);
  });
});
