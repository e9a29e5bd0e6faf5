/**
 * The pure domain of Laget: ladders, URO zones and worry form, the case, the rules, the access
 * policy. No I/O and no SDKs: the store, the bot and the scheduler call in here and do the rest.
 */
export * from './primitives';
export * from './time';
export * from './national-id';
export * from './case-code';
export * from './zones';
export * from './ladder';
export * from './ladder-steps';
export * from './worry-form';
export * from './team-questions';
export * from './consent';
export * from './records';
export * from './events';
export * from './case';
export * from './commands';
export * from './refusals';
export * from './notices';
export * from './rules';
export * from './decide';
export * from './access';
export * from './views';
export * from './aggregates';
