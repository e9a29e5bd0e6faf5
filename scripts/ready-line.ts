/**
 * The one line `npm start` prints for machines once everything listens, e.g.
 * `LAGET_READY {"botUrl":"http://127.0.0.1:3978/api/messages","playgrounds":[…],"exampleCases":8}`.
 * Kept apart from start-local.ts so a test can read it without starting anything.
 */
export type ReadyInfo = {
  /** Where the Playgrounds post activities: the bot's /api/messages. */
  botUrl: string;
  /** One Agents Playground per person, with the port it really got (it picks another when taken). */
  playgrounds: Array<{ key: string; name: string; url: string }>;
  exampleCases: number;
};

const PREFIX = 'LAGET_READY ';

export function readyLine(info: ReadyInfo): string {
  return `${PREFIX}${JSON.stringify(info)}`;
}

/** The ready info in one line of output, or undefined when the line is something else. */
export function parseReadyLine(line: string): ReadyInfo | undefined {
  if (!line.startsWith(PREFIX)) return undefined;
  return JSON.parse(line.slice(PREFIX.length)) as ReadyInfo;
}
