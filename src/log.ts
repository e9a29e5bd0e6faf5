import pino from 'pino';

/**
 * Structured JSON logs. Log ids and codes (correlation id, case code, tenant), never child data:
 * aliases, free text and names stay out of logs by construction — callers pass only ids.
 */
export type Logger = pino.Logger;

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { app: 'laget' },
    redact: { paths: ['*.text', '*.alias', '*.password', '*.key', 'authorization', '*.authorization'], censor: '[redacted]' },
  });
}
