import { en } from './en';
import { nb, type Catalogue } from './nb';

export type Locale = 'nb' | 'en';
export type { Catalogue };

const catalogues: Record<Locale, Catalogue> = { nb, en };

/** Bokmål unless the client asks for English; nynorsk and other Norwegian variants get bokmål. */
export function localeFrom(clientLocale: string | undefined): Locale {
  return clientLocale?.toLowerCase().startsWith('en') ? 'en' : 'nb';
}

export function catalogue(locale: Locale): Catalogue {
  return catalogues[locale];
}

/** Fills `{name}` placeholders in a catalogue sentence. */
export function format(sentence: string, values: Record<string, string | number>): string {
  return sentence.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
