/**
 * What a typed message asks for. Teams users write commands in many ways ("Hjelp!", "@Laget hjelp",
 * "help"), so text is normalised before matching; anything unknown gets a hint, never silence.
 */
export type TextCommand = 'help' | 'newCase' | 'myCases' | 'cancel' | 'resume' | 'approvals' | 'units' | 'report';

export const COMMANDS: Readonly<Record<TextCommand, readonly string[]>> = {
  help: ['hjelp', 'help', 'hei', 'hallo', 'hi', 'hello', 'start', 'meny', 'menu', '?'],
  newCase: [
    'ny sak',
    'ny',
    'uro',
    'jeg er urolig for et barn',
    'jeg er urolig',
    'urolig for et barn',
    'new case',
    'i am worried about a child',
  ],
  myCases: ['mine saker', 'saker', 'my cases', 'cases'],
  cancel: ['avbryt', 'stopp', 'cancel', 'stop'],
  resume: ['fortsett', 'continue', 'resume'],
  approvals: ['til godkjenning', 'godkjenning', 'godkjenninger', 'awaiting approval', 'approvals'],
  units: ['mine enheter', 'enheter', 'min enhet', 'my units', 'units'],
  report: ['rapport', 'tertialrapport', 'report', 'tertial report'],
};

export function normaliseText(text: string | undefined): string {
  return (text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .toLowerCase()
    .replace(/[!.,:;«»"']/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function commandOf(text: string | undefined): TextCommand | undefined {
  const normalised = normaliseText(text);
  if (normalised === '') return undefined;
  return (Object.keys(COMMANDS) as TextCommand[]).find((command) => COMMANDS[command].includes(normalised));
}
