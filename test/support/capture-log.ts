import pino from 'pino';
import type { Logger } from '../../src/log';

/** A real pino logger whose lines the test can read: to assert that a failure was logged. */
export function captureLog(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}
