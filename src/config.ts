import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { BUNDLED_LADDERS } from './domain/ladder';
import { directoryProblems, MunicipalitySchema, type DirectorySource, type Municipality } from './domain/municipality';
import { projectRoot } from './paths';

/**
 * The whole environment of Laget, parsed once at start.
 * Anything a deployment can get wrong is refused here, with the variable named,
 * so that a misconfigured production never starts half-secured.
 */

const optionalText = z
  .string()
  .transform((s) => s.trim())
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const commaList = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== ''),
  );

const EnvSchema = z
  .object({
    LAGET_ENV: z.enum(['local', 'dev', 'production']).default('local'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: optionalText,
    BOT_ID: optionalText,
    BOT_PASSWORD: optionalText,
    BOT_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMsi']).default('MultiTenant'),
    BOT_TENANT_ID: optionalText,
    ALLOWED_TENANT_IDS: commaList,
    COSMOS_ENDPOINT: optionalText.pipe(z.string().url().optional()),
    COSMOS_KEY: optionalText,
    COSMOS_DATABASE: z.string().trim().min(1).default('laget'),
    TZ_NAME: z
      .string()
      .trim()
      .default('Europe/Oslo')
      .refine(isKnownTimeZone, { message: 'is not a time zone this runtime knows (e.g. Europe/Oslo)' }),
    /** How often the scheduler polls for due reminders and posts (0: never; tests drive it by hand). */
    SCHEDULER_INTERVAL_SECONDS: z.coerce.number().min(0).max(3600).default(30),
    /** How long an instance's claim on a job lasts; a crashed instance's jobs are taken over after this. */
    SCHEDULER_CLAIM_TTL_SECONDS: z.coerce.number().min(1).max(3600).default(120),
    /** The longest one call to the Bot Connector may take (a reply, a proactive post) before its outcome counts as unknown. */
    BOT_CONNECTOR_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(120).default(10),
    /** The municipality's units, leaders, ladder and report addresses (see config/*.json). */
    MUNICIPALITY_FILE: optionalText,
    /** Who works where: the municipality file's own lists, or Entra ID through Microsoft Graph. */
    DIRECTORY: z.enum(['file', 'graph']).default('file'),
    /** Microsoft Graph's base URL; tests point it at a fake Graph on 127.0.0.1. */
    GRAPH_BASE_URL: optionalText.pipe(z.string().url().optional()),
    /** The app that reads Graph: by default the bot's own identity (BOT_ID, a managed identity in Azure). */
    GRAPH_CLIENT_ID: optionalText,
    /** A client secret for Graph (outside Azure); absent: the managed identity GRAPH_CLIENT_ID names. */
    GRAPH_CLIENT_SECRET: optionalText,
    /** The tenant a client secret signs in to; by default BOT_TENANT_ID. */
    GRAPH_TENANT_ID: optionalText,
    /** Minutes between delta syncs of the directory (DIRECTORY=graph). */
    DIRECTORY_DELTA_MINUTES: z.coerce.number().min(1).max(60).default(5),
    /** Hours between full syncs of the directory (also at start). */
    DIRECTORY_FULL_SYNC_HOURS: z.coerce.number().min(1).max(168).default(24),
    /** The app's id in the tenant's Teams app catalog: with it, Laget installs itself for a person it must reach. */
    TEAMS_APP_CATALOG_ID: optionalText,
    /** The Bot Connector address for a chat Laget created itself (the person's region is not known yet). */
    TEAMS_SERVICE_URL: optionalText.pipe(z.string().url().optional()),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Where Bot Framework tokens are validated from; only for tests with a local fake Entra ID. */
    BOT_OPENID_METADATA_URL: optionalText.pipe(z.string().url().optional()),
    /** Where the bot fetches its own outbound token; only for tests with a local fake Entra ID. */
    BOT_LOGIN_ENDPOINT: optionalText.pipe(z.string().url().optional()),
  })
  .superRefine((env, ctx) => {
    const refuse = (variable: keyof typeof env, message: string) =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [variable], message });
    const deployed = env.LAGET_ENV !== 'local';

    if (deployed && !env.BOT_ID) {
      refuse('BOT_ID', `is required when LAGET_ENV=${env.LAGET_ENV}: only local runs accept anonymous requests`);
    }
    if (env.BOT_ID) {
      // A single-tenant app and a managed identity both sign in to one tenant's Entra ID.
      if ((env.BOT_TYPE === 'SingleTenant' || env.BOT_TYPE === 'UserAssignedMsi') && !env.BOT_TENANT_ID) {
        refuse('BOT_TENANT_ID', `is required when BOT_TYPE=${env.BOT_TYPE}`);
      }
      if (env.BOT_TYPE === 'UserAssignedMsi' && env.BOT_PASSWORD) {
        refuse('BOT_PASSWORD', 'must not be set when BOT_TYPE=UserAssignedMsi (the managed identity has no secret)');
      }
      if (env.BOT_TYPE !== 'UserAssignedMsi' && !env.BOT_PASSWORD) {
        refuse('BOT_PASSWORD', `is required when BOT_ID is set and BOT_TYPE=${env.BOT_TYPE}`);
      }
    }
    if (env.LAGET_ENV === 'production' && env.ALLOWED_TENANT_IDS.length === 0) {
      refuse(
        'ALLOWED_TENANT_IDS',
        'is required when LAGET_ENV=production: the municipality’s tenant id(s), comma-separated — or * to accept any tenant (logged as a warning at start)',
      );
    }
    if (env.ALLOWED_TENANT_IDS.includes('*') && env.ALLOWED_TENANT_IDS.length > 1) {
      refuse('ALLOWED_TENANT_IDS', 'is either * (any tenant) or a list of tenant ids, not both');
    }
    if (deployed && !env.COSMOS_ENDPOINT) {
      refuse('COSMOS_ENDPOINT', `is required when LAGET_ENV=${env.LAGET_ENV}: the embedded store keeps data only in memory`);
    }
    if (env.LAGET_ENV === 'production' && !env.MUNICIPALITY_FILE) {
      refuse('MUNICIPALITY_FILE', 'is required when LAGET_ENV=production: the bundled example holds synthetic people');
    }
    // A job's claim must leave room for a post attempt (1.5 × the connector limit) after the claim's margin.
    const claimBudget = env.SCHEDULER_CLAIM_TTL_SECONDS - Math.min(10, env.SCHEDULER_CLAIM_TTL_SECONDS / 4);
    if (claimBudget <= 1.5 * env.BOT_CONNECTOR_TIMEOUT_SECONDS) {
      refuse(
        'SCHEDULER_CLAIM_TTL_SECONDS',
        `must leave more than 1.5 × BOT_CONNECTOR_TIMEOUT_SECONDS (${env.BOT_CONNECTOR_TIMEOUT_SECONDS} s) after its margin, or the scheduler could never post`,
      );
    }
    const graphClientId = env.GRAPH_CLIENT_ID ?? env.BOT_ID;
    const needsGraph = env.DIRECTORY === 'graph' || env.TEAMS_APP_CATALOG_ID !== undefined;
    if (needsGraph && !graphClientId) {
      refuse('GRAPH_CLIENT_ID', 'is required for Microsoft Graph (DIRECTORY=graph or TEAMS_APP_CATALOG_ID) when BOT_ID is not set');
    }
    if (needsGraph && env.GRAPH_CLIENT_SECRET && !(env.GRAPH_TENANT_ID ?? env.BOT_TENANT_ID)) {
      refuse('GRAPH_TENANT_ID', 'is required with GRAPH_CLIENT_SECRET when BOT_TENANT_ID is not set');
    }
    if (env.LAGET_ENV === 'production' && env.GRAPH_BASE_URL && !env.GRAPH_BASE_URL.startsWith('https://')) {
      refuse('GRAPH_BASE_URL', 'must be an https address in production');
    }
    if (env.LAGET_ENV === 'production') {
      if (env.BOT_OPENID_METADATA_URL) refuse('BOT_OPENID_METADATA_URL', 'is for tests only and is refused in production');
      if (env.BOT_LOGIN_ENDPOINT) refuse('BOT_LOGIN_ENDPOINT', 'is for tests only and is refused in production');
    }
  });

type Env = z.infer<typeof EnvSchema>;

export type Config = {
  environment: Env['LAGET_ENV'];
  http: { port: number; host: string };
  bot:
    | { kind: 'anonymous'; connectorTimeoutMs: number }
    | {
        kind: 'authenticated';
        connectorTimeoutMs: number;
        appId: string;
        password?: string;
        type: Env['BOT_TYPE'];
        tenantId?: string;
        openIdMetadataUrl?: string;
        loginEndpoint?: string;
      };
  /** The tenants whose activities are accepted; empty: any tenant (local, dev, or `ALLOWED_TENANT_IDS=*`). */
  allowedTenantIds: readonly string[];
  /** What a person starting Laget should know: logged as warnings at start. */
  warnings: readonly string[];
  cosmos: { kind: 'embedded'; database: string } | { kind: 'remote'; endpoint: string; key?: string; database: string };
  timeZone: string;
  logLevel: Env['LOG_LEVEL'];
  municipality: Municipality;
  scheduler: { intervalMs: number; claimTtlMs: number };
  /** Who works where, and how often it is read again. */
  directory: { source: DirectorySource; deltaIntervalMs: number; fullIntervalMs: number };
  /** How Laget reaches Microsoft Graph, when it does (the directory, proactive installation). */
  graph?: GraphConfig;
  /** Installing the app for a person Laget must reach who has never opened it (through Graph). */
  proactiveInstall?: { catalogAppId: string; serviceUrl: string };
};

export type GraphConfig = {
  baseUrl: string;
  credential:
    { kind: 'managed-identity'; clientId: string } | { kind: 'client-secret'; tenantId: string; clientId: string; secret: string };
};

/** Microsoft Graph v1.0 in the public cloud. */
const GRAPH_DEFAULT_BASE_URL = 'https://graph.microsoft.com/v1.0';
/** The Bot Connector's global address; Teams answers from the person's region. */
const TEAMS_DEFAULT_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

/** The synthetic example municipality used locally and in tests. */
export const LOCAL_MUNICIPALITY_FILE = 'config/municipality.local.json';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Laget cannot start: the configuration is invalid.\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(pickKnown(source));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`));
  }
  const env = parsed.data;
  const municipalityFile = env.MUNICIPALITY_FILE ?? LOCAL_MUNICIPALITY_FILE;
  const municipality = loadMunicipality(municipalityFile, env.DIRECTORY);
  const graphClientId = env.GRAPH_CLIENT_ID ?? env.BOT_ID;
  const graph: GraphConfig | undefined =
    (env.DIRECTORY === 'graph' || env.TEAMS_APP_CATALOG_ID) && graphClientId
      ? {
          baseUrl: (env.GRAPH_BASE_URL ?? GRAPH_DEFAULT_BASE_URL).replace(/\/+$/, ''),
          credential: env.GRAPH_CLIENT_SECRET
            ? {
                kind: 'client-secret',
                tenantId: (env.GRAPH_TENANT_ID ?? env.BOT_TENANT_ID)!,
                clientId: graphClientId,
                secret: env.GRAPH_CLIENT_SECRET,
              }
            : { kind: 'managed-identity', clientId: graphClientId },
        }
      : undefined;
  return {
    environment: env.LAGET_ENV,
    http: { port: env.PORT, host: env.HOST ?? (env.LAGET_ENV === 'local' ? '127.0.0.1' : '0.0.0.0') },
    bot: env.BOT_ID
      ? {
          kind: 'authenticated',
          connectorTimeoutMs: env.BOT_CONNECTOR_TIMEOUT_SECONDS * 1000,
          appId: env.BOT_ID,
          password: env.BOT_PASSWORD,
          type: env.BOT_TYPE,
          tenantId: env.BOT_TENANT_ID,
          openIdMetadataUrl: env.BOT_OPENID_METADATA_URL,
          loginEndpoint: env.BOT_LOGIN_ENDPOINT,
        }
      : { kind: 'anonymous', connectorTimeoutMs: env.BOT_CONNECTOR_TIMEOUT_SECONDS * 1000 },
    allowedTenantIds: env.ALLOWED_TENANT_IDS.filter((id) => id !== '*'),
    warnings: env.ALLOWED_TENANT_IDS.includes('*')
      ? ['ALLOWED_TENANT_IDS=* accepts activities from any Microsoft 365 tenant: list the municipality’s tenant ids instead']
      : [],
    cosmos: env.COSMOS_ENDPOINT
      ? { kind: 'remote', endpoint: env.COSMOS_ENDPOINT, key: env.COSMOS_KEY, database: env.COSMOS_DATABASE }
      : { kind: 'embedded', database: env.COSMOS_DATABASE },
    timeZone: env.TZ_NAME,
    logLevel: env.LOG_LEVEL,
    municipality,
    scheduler: { intervalMs: env.SCHEDULER_INTERVAL_SECONDS * 1000, claimTtlMs: env.SCHEDULER_CLAIM_TTL_SECONDS * 1000 },
    directory: {
      source: env.DIRECTORY,
      deltaIntervalMs: env.DIRECTORY_DELTA_MINUTES * 60_000,
      fullIntervalMs: env.DIRECTORY_FULL_SYNC_HOURS * 3_600_000,
    },
    ...(graph ? { graph } : {}),
    ...(env.TEAMS_APP_CATALOG_ID
      ? { proactiveInstall: { catalogAppId: env.TEAMS_APP_CATALOG_ID, serviceUrl: env.TEAMS_SERVICE_URL ?? TEAMS_DEFAULT_SERVICE_URL } }
      : {}),
  };
}

export function loadMunicipality(file: string, source: DirectorySource = 'file'): Municipality {
  const path = isAbsolute(file) ? file : join(projectRoot, file);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`MUNICIPALITY_FILE ${file} cannot be read as JSON: ${(error as Error).message}`]);
  }
  const parsed = MunicipalitySchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `MUNICIPALITY_FILE ${file}: ${issue.path.join('.')} ${issue.message}`));
  }
  const problems = directoryProblems(parsed.data, source);
  if (problems.length > 0) {
    throw new ConfigError(problems.map((problem) => `MUNICIPALITY_FILE ${file}: ${problem.path} ${problem.message}`));
  }
  if (!BUNDLED_LADDERS.has(parsed.data.ladderId)) {
    const known = [...BUNDLED_LADDERS.keys()].join(', ');
    throw new ConfigError([`MUNICIPALITY_FILE ${file}: ladderId ${parsed.data.ladderId} is not a known ladder (${known})`]);
  }
  return parsed.data;
}

/** Empty strings count as unset: `.env` templates ship `BOT_ID=` lines. */
function pickKnown(source: Record<string, string | undefined>): Record<string, string | undefined> {
  const known = Object.keys(EnvSchema.innerType().shape);
  return Object.fromEntries(known.map((key) => [key, source[key] === '' ? undefined : source[key]]));
}

function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
