/**
 * The layer table of docs/architecture.md as rules: `npm run lint` fails on an import that breaks it.
 * Each layer lists the folders of src/ it may import; the SDKs and the database client are allowed
 * in one layer each (Entra credentials in the two that reach Azure services). Shared modules at the
 * top of src/: log.ts (the Logger), config.ts (the parsed environment), clock.ts, paths.ts, concurrency.ts; src/laget.ts and src/index.ts wire everything and nothing in
 * src/ imports them.
 */

/** What each folder of src/ may import from src/, besides itself. */
const LAYERS = {
  domain: [],
  i18n: [],
  store: ['domain/', 'log.ts', 'config.ts', 'concurrency.ts'],
  directory: ['domain/', 'store/', 'log.ts', 'config.ts', 'concurrency.ts'],
  cards: ['domain/', 'i18n/', 'paths.ts'],
  scheduler: ['domain/', 'store/', 'log.ts'],
  workflow: ['domain/', 'store/', 'directory/', 'cards/', 'scheduler/', 'i18n/', 'log.ts'],
  // Not store/ (types included): a flow reaches stored records only through the workflow's services.
  bot: ['domain/', 'cards/', 'scheduler/', 'workflow/', 'i18n/', 'log.ts', 'config.ts', 'clock.ts'],
  http: ['bot/', 'log.ts'],
};

const escapeDots = (path) => path.replace(/[.]/g, '\\.');
const allowedIn = (layer) => [`^src/${layer}/`, ...LAYERS[layer].map((target) => `^src/${escapeDots(target)}`)];

const layerRules = Object.keys(LAYERS).map((layer) => ({
  name: `layer-${layer}`,
  severity: 'error',
  comment: `src/${layer}/ may import only ${LAYERS[layer].join(', ') || 'itself'} from src/ (docs/architecture.md, "Layers")`,
  from: { path: `^src/${layer}/` },
  to: { path: '^src/', pathNot: allowedIn(layer) },
}));

/** Only these folders may import these packages. */
const PACKAGES_AT_HOME = [
  [
    'sdk-at-the-edge',
    'node_modules/(botbuilder[^/]*|botframework-[^/]+|@microsoft/teams-ai)/',
    '^src/(bot|http)/',
    'Bot Framework and Teams AI v1 only in src/bot and src/http',
  ],
  ['restify-in-http', 'node_modules/restify/', '^src/http/', 'the HTTP server only in src/http'],
  [
    'cosmos-in-store',
    'node_modules/(@azure/cosmos|@vercel/cosmosdb-server)/',
    // Named exception: the jobs container's repository lives in src/scheduler (its own Cosmos query for
    // due jobs). It belongs in src/store with the other repositories; moved after the feature merges.
    ['^src/store/', '^src/scheduler/job-store\\.ts$'],
    'the database client only in src/store',
  ],
  [
    'identity-in-store-and-directory',
    'node_modules/@azure/identity/',
    '^src/(store|directory)/',
    'Entra credentials only where Cosmos DB and Microsoft Graph are reached',
  ],
  ['graph-in-directory', 'node_modules/@microsoft/microsoft-graph-client/', '^src/directory/', 'the Graph client only in src/directory'],
  ['templating-in-cards', 'node_modules/adaptivecards[^/]*/', '^src/cards/', 'card templating only in src/cards'],
  ['pino-in-log', 'node_modules/pino/', '^src/log\\.ts$', 'the logger library only behind src/log.ts'],
];

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'src/domain decides and does no I/O: it imports zod, luxon and itself, no Node module, no other layer',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/', '^node_modules/(zod|luxon)/'] },
    },
    ...layerRules,
    {
      name: 'one-path-to-a-case',
      severity: 'error',
      comment:
        'cases are read and changed through the case service (src/workflow/case-service.ts), which authorizes and audits: nothing else outside src/store reaches the case repository (docs/architecture.md, "Layers")',
      from: { path: '^src/', pathNot: ['^src/store/', '^src/workflow/case-service\\.ts$', '^src/laget\\.ts$'] },
      to: { path: '^src/store/case-repository\\.ts$' },
    },
    {
      name: 'shared-modules',
      severity: 'error',
      comment: 'src/log.ts, config.ts, clock.ts, paths.ts, concurrency.ts import only the domain and each other',
      from: { path: '^src/[^/]+\\.ts$', pathNot: '^src/(laget|index)\\.ts$' },
      to: { path: '^src/', pathNot: ['^src/domain/', '^src/[^/]+\\.ts$'] },
    },
    {
      name: 'wiring-on-top',
      severity: 'error',
      comment: 'src/laget.ts wires the layers and src/index.ts starts it: nothing else in src/ imports them',
      from: { path: '^src/', pathNot: '^src/index\\.ts$' },
      to: { path: '^src/(laget|index)\\.ts$' },
    },
    ...PACKAGES_AT_HOME.map(([name, pkg, home, comment]) => ({
      name,
      severity: 'error',
      comment,
      from: { path: '^src/', pathNot: home },
      to: { path: `^${pkg}` },
    })),
    {
      name: 'cards-drawn-in-cards',
      severity: 'error',
      comment:
        'a card is filled from its template (render.ts) and its inputs built (inputs.ts) only in src/cards: other layers call a card function with view data (docs/architecture.md, "Cards")',
      from: { path: '^src/', pathNot: '^src/cards/' },
      to: { path: '^src/cards/(render|inputs)\\.ts$' },
    },
    {
      name: 'src-not-to-tests',
      severity: 'error',
      comment: 'the app does not import tests, benchmarks or scripts',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'src-not-to-dev-dependencies',
      severity: 'error',
      comment: 'what the app imports is a runtime dependency in package.json',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'no module depends on itself through others',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-non-package-json',
      severity: 'error',
      comment: 'every package imported is named in package.json (not only present as a dependency of one)',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'every import resolves',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-deprecated-core',
      severity: 'error',
      comment: 'no deprecated Node module',
      from: {},
      to: { dependencyTypes: ['core'], path: '^(node:)?(punycode|domain|constants|sys|_linklist|_stream_wrap)$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
