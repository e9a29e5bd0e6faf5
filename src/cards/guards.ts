/**
 * The checks every outgoing card passes before it leaves Laget. Teams renders Adaptive Cards
 * up to version 1.5, routes Action.Execute by its verb, and refuses messages over ~28 KB.
 */
const CARD_VERSION = '1.5';
export const MAX_CARD_BYTES = 25 * 1024;

export type AdaptiveCardJson = { type: 'AdaptiveCard'; version: string; [key: string]: unknown };

export class CardCheckFailed extends Error {
  constructor(
    readonly card: string,
    readonly problems: readonly string[],
  ) {
    super(`card ${card} failed its checks: ${problems.join('; ')}`);
    this.name = 'CardCheckFailed';
  }
}

export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  const root = card as Partial<AdaptiveCardJson> | null;
  if (!root || root.type !== 'AdaptiveCard') problems.push('root is not an AdaptiveCard');
  if (root?.version !== CARD_VERSION) problems.push(`version is ${String(root?.version)}, Teams needs ${CARD_VERSION}`);
  visit(card, (node, path) => {
    if (node.type === 'Action.Execute' && (typeof node.verb !== 'string' || node.verb.trim() === '')) {
      problems.push(`Action.Execute at ${path} has no verb`);
    }
    // No silent buttons: an input the client checks (required, a first or last value, a pattern) says what is wrong under it.
    if (typeof node.type === 'string' && node.type.startsWith('Input.')) {
      const constrained = node.isRequired === true || node.min !== undefined || node.max !== undefined || node.regex !== undefined;
      if (constrained && (typeof node.errorMessage !== 'string' || node.errorMessage.trim() === '')) {
        problems.push(`${String(node.type)} "${String(node.id)}" at ${path} has a constraint but no errorMessage`);
      }
      if (typeof node.label !== 'string' || node.label.trim() === '')
        problems.push(`${String(node.type)} "${String(node.id)}" at ${path} has no label`);
    }
    if (node.type === 'Action.Submit') {
      const data = node.data as { verb?: unknown } | undefined;
      if (typeof data?.verb !== 'string' || data.verb === '') problems.push(`Action.Submit at ${path} has no data.verb`);
    }
  });
  const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
  if (bytes > MAX_CARD_BYTES) problems.push(`card is ${bytes} bytes, more than ${MAX_CARD_BYTES}`);
  return problems;
}

function visit(node: unknown, onObject: (node: Record<string, unknown>, path: string) => void, path = '$'): void {
  if (Array.isArray(node)) {
    node.forEach((child, index) => visit(child, onObject, `${path}[${index}]`));
  } else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    onObject(record, path);
    for (const [key, child] of Object.entries(record)) visit(child, onObject, `${path}.${key}`);
  }
}
