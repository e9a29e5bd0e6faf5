/**
 * What an Adaptive Card template reads from its data, found by walking the template: every
 * `${…}` expression, in the scope it is evaluated in (an element with `"$data": "${list}"` is
 * repeated for each item of `list`, and its expressions read the item; `$root.x` reads the top).
 * Paths are written `a.b`, with `[]` for "each item of the list": `cases.[].heading`.
 */

/** What a template reads: values it shows (`reads`, each whole), and the lists it repeats an element for (`lists`). */
export type Bindings = { reads: string[]; lists: string[] };

const FUNCTIONS_AND_LITERALS = new Set(['true', 'false', 'null']);

/**
 * The data paths one expression (the text between `${` and `}`) reads, in the scope `scope`, and
 * the lists it only counts (`count(list)` reads the length, not the items).
 */
function pathsOf(expression: string, scope: string[]): { reads: string[][]; counted: string[][] } {
  const counted: string[][] = [];
  const code = expression.replace(/'[^']*'|"[^"]*"/g, ' ').replace(/count\(\s*([\w$.]+)\s*\)/g, (_, list: string) => {
    counted.push(...pathsOf(list, scope).reads);
    return ' ';
  });
  const found: string[][] = [];
  for (const match of code.matchAll(/[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*(\s*\()?/g)) {
    if (match[1] !== undefined) continue; // a function: count(…), if(…)
    const [head, ...rest] = match[0].split('.');
    if (head === undefined || FUNCTIONS_AND_LITERALS.has(head) || head === '$index') continue;
    if (head === '$root') found.push(rest);
    else if (head === '$data') found.push([...scope, ...rest]);
    else found.push([...scope, head, ...rest]);
  }
  return { reads: found, counted };
}

function expressionsIn(text: string): string[] {
  return [...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]!);
}

/** Every data path the template reads (deduplicated, as `a.b` / `list.[].key`). */
export function templateBindings(template: unknown): Bindings {
  const found = new Set<string>();
  const lists = new Set<string>();
  const add = (path: string[]) => found.add(path.join('.'));
  const walk = (node: unknown, scope: string[]): void => {
    if (Array.isArray(node)) {
      node.forEach((child) => walk(child, scope));
      return;
    }
    if (typeof node === 'string') {
      for (const expression of expressionsIn(node)) {
        const { reads, counted } = pathsOf(expression, scope);
        reads.forEach(add);
        counted.forEach((list) => lists.add(list.join('.')));
      }
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    let inner = scope;
    const data = record.$data;
    if (typeof data === 'string') {
      const [list] = expressionsIn(data).flatMap((expression) => pathsOf(expression, scope).reads);
      if (list) {
        lists.add(list.join('.'));
        inner = [...list, '[]'];
      }
    }
    for (const [key, child] of Object.entries(record)) if (key !== '$data' && key !== '$schema') walk(child, inner);
  };
  walk(template, []);
  return { reads: [...found].sort(), lists: [...lists].sort() };
}

/** The values at `path` in `data`, one per list item on the way; `missing` if some object on the way lacks the key. */
function valuesAt(data: unknown, path: string[]): unknown[] | 'missing' {
  let values = [data];
  for (const step of path) {
    const next: unknown[] = [];
    for (const value of values) {
      if (step === '[]') {
        if (Array.isArray(value)) next.push(...(value as unknown[]));
      } else if (value && typeof value === 'object' && Object.hasOwn(value, step)) {
        next.push((value as Record<string, unknown>)[step]);
      } else if (value && typeof value === 'object') return 'missing';
    }
    values = next;
  }
  return values;
}

/** Bindings of the template that the data does not have (checked in every list item the data gives). */
export function unboundPaths(bindings: Bindings, data: unknown): string[] {
  return [...bindings.lists, ...bindings.reads].filter((binding) => valuesAt(data, binding.split('.')) === 'missing');
}

/**
 * Keys of the data the template never reads. A value the template takes whole (`"data": "${data}"`,
 * `"body": "${inputs}"`) is read with all it holds; `skip` names values not walked (the catalogue `t`,
 * of which each template reads a few sentences).
 */
export function unreadPaths(bindings: Bindings, data: unknown, skip: ReadonlySet<string> = new Set(['t'])): string[] {
  const reads = bindings.reads.map((binding) => `${binding}.`);
  const lists = bindings.lists.map((list) => `${list}.`);
  const unread: string[] = [];
  const walk = (value: unknown, path: string): void => {
    const here = `${path}.`;
    const read = reads.some((r) => r.startsWith(here) || here.startsWith(r)) || lists.some((list) => list.startsWith(here));
    if (path !== '' && !read) {
      unread.push(path);
      return;
    }
    if (path !== '' && (skip.has(path) || reads.some((read) => here.startsWith(read)))) return; // read whole
    if (Array.isArray(value)) {
      value.forEach((item) => walk(item, `${path}.[]`));
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) walk(child, path === '' ? key : `${path}.${key}`);
    }
  };
  walk(data, '');
  return [...new Set(unread)].sort();
}
