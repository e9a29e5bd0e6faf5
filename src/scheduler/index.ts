/**
 * Scheduled messages: jobs in Cosmos, claimed with ETags, posted through a rate-limited sender
 * behind a port the bot implements. No botbuilder, teams-ai or restify here (a layering rule).
 */
export * from '../store/conversation-address';
export * from './conversation-port';
export * from './job';
export * from './job-id';
export * from './job-runner';
export * from './job-store';
export * from './due-walk';
export * from './json';
export * from './meeting-jobs';
export * from './rate-limit';
export * from './scheduler';
export * from './sender';
