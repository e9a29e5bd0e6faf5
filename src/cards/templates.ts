import type { Catalogue } from '../i18n';
import type { ExecuteVerb, Verb } from './payloads';

/**
 * The data each template in cards/ is expanded with: one entry per `cards/<name>.json`, so
 * `renderCard('approval', data)` fails to compile when `data` is not what approval.json binds, and
 * an unknown template name fails too. A test (test/unit/card-templates.test.ts) checks every
 * template against its typed sample (test/support/template-samples.ts): the template binds no key
 * the sample lacks, the sample carries no key the template never reads, and the card renders.
 *
 * A `${…}` the data does not fill is left in the card as typed text, so every key is required: a
 * part a card leaves out is an empty string or list, which the template's `$when` hides.
 */

/** What an Action.Submit posts: `verb` routes it, so it must be a verb of the route table's payloads (src/cards/payloads.ts). */
export type ActionData = { readonly verb: Verb; readonly [field: string]: unknown };
/** A button that posts `data` (an Action.Submit). */
export type CardButton = { title: string; data: ActionData };
/** An Action.Execute button (Universal Actions): the verb is its own field. */
export type ExecuteButton = { title: string; verb: ExecuteVerb; data: object };
/** A fact of a FactSet, and a choice of a ChoiceSet: a title and a value. */
export type Fact = { title: string; value: string };
type Choice = { title: string; value: string };
/** An element built in code (an input from src/cards/inputs.ts, a heading) and placed by the template. */
type CardElement = object;
/** A container's or a TextBlock's style, as Adaptive Cards 1.5 names them. */
export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
type ActionStyle = 'default' | 'positive' | 'destructive';

export interface CardTemplates {
  welcome: {
    t: Catalogue;
    flows: readonly { verb: Verb; title: string }[];
    resume: { text: string; button: string; data: ActionData };
  };
  'team-intro': { title: string; text: string };
  error: { title: string; message: string; details: readonly string[]; hint: string; buttons: CardButton[] };
  'uro-start': {
    t: Catalogue;
    units: readonly { id: string; name: string }[];
    unitId: string;
    /** The leaders to choose between (empty when there is only one), each with their unit. */
    leaders: readonly { id: string; name: string; unitName: string }[];
    submit: ActionData;
  };
  'uro-report-path': {
    t: Catalogue;
    caseLine: string;
    dangerNow: boolean;
    violence: boolean;
    dangerText: string;
    noAutoReport: string;
    reportUrl: string;
    submit: ActionData;
    showSuspect: boolean;
    suspect: ActionData;
    showAnsweredWrong: boolean;
    answeredWrong: ActionData;
    showBack: boolean;
    back: ActionData;
  };
  'uro-zone': {
    t: Catalogue;
    caseLine: string;
    zones: readonly { id: string; label: string; guidance: string }[];
    selected: string;
    submit: ActionData;
    report: ActionData;
    cancel: ActionData;
  };
  'uro-no-worry': { t: Catalogue; caseLine: string; close: ActionData; back: ActionData };
  'worry-form': {
    t: Catalogue;
    title: string;
    caseLine: string;
    intro: string;
    guidance: readonly string[];
    showAlias: boolean;
    alias: string;
    inputs: readonly CardElement[];
    submit: ActionData;
    back: ActionData;
    report: ActionData;
    cancel: ActionData;
  };
  'uro-guide': {
    t: Catalogue;
    title: string;
    sections: readonly { heading: string; text: string }[];
    practical: readonly Fact[];
    reminder: string;
    partC: ActionData;
    edit: ActionData;
    report: ActionData;
  };
  'uro-stage-1': {
    t: Catalogue;
    caseLine: string;
    back: ActionData;
    report: ActionData;
    cancel: ActionData;
    title: string;
    intro: string;
    parts: readonly { label: string; points: string[] }[];
    inputs: readonly CardElement[];
    submitTitle: string;
    submit: ActionData;
  };
  'case-overview': {
    t: Catalogue;
    title: string;
    notice: string;
    noticeStyle: ContainerStyle;
    /** The next thing to do; `data` is empty when there is none (`button` is empty and the template draws no button). */
    next: { text: string; button: string; data: ActionData | Record<string, never> };
    facts: readonly Fact[];
    sections: { heading: string; rows: readonly { text: string; subtle: boolean; buttons: CardButton[] }[] }[];
    buttons: readonly CardButton[];
    more: readonly CardButton[];
  };
  evaluation: {
    t: Catalogue;
    banner: string;
    title: string;
    intro: string;
    goals: readonly { text: string }[];
    missingTitle: string;
    /** A missing piece of work, with the button that leads to it (the template draws one for each). */
    missing: readonly { text: string; button: string; data: ActionData }[];
    voiceMissing: string;
    voiceButton: string;
    voice: ActionData;
    open: boolean;
    question: string;
    choiceA: string;
    choiceB: string;
    answeredBy: boolean;
    answeredByValue: string;
    givers: readonly Choice[];
    sameDay: boolean;
    sameDayReason: string;
    today: string;
    latestNext: string;
    nextOnLabel: string;
    nextOnError: string;
    outcome: string;
    comment: string;
    nextOn: string;
    submit: ActionData;
    showClose: boolean;
    close: ActionData;
    back: ActionData;
  };
  'case-form': {
    title: string;
    caseLine: string;
    intro: readonly string[];
    note: string;
    inputs: readonly CardElement[];
    submitTitle: string;
    submitStyle: ActionStyle;
    submit: ActionData;
    extra: readonly CardButton[];
  };
  'next-step': {
    t: Catalogue;
    title: string;
    caseLine: string;
    description: readonly string[];
    needs: readonly string[];
    approval: boolean;
    buttons: readonly CardButton[];
  };
  'case-list': {
    title: string;
    empty: string;
    showing: string;
    cases: readonly { heading: string; line: string; button: string; data: ActionData }[];
    footer: readonly CardButton[];
  };
  reminder: { title: string; text: string; buttons: readonly CardButton[] };
  'step-entry': {
    title: string;
    caseLine: string;
    notice: string;
    description: readonly string[];
    consentLine: string;
    consentStyle: ContainerStyle;
    inputs: readonly CardElement[];
    submitTitle: string;
    submit: ActionData;
    extra: readonly CardButton[];
  };
  approval: {
    t: Catalogue;
    title: string;
    banner: string;
    intro: string;
    facts: readonly Fact[];
    justification: string;
    status: string;
    statusStyle: ContainerStyle;
    decidable: boolean;
    buttons: readonly (ExecuteButton & { style: ActionStyle })[];
    /** Universal Actions: the verb the clients of `userIds` send to fetch their own view. */
    refresh: { action: { type: 'Action.Execute'; verb: ExecuteVerb; data: object }; userIds: readonly string[] };
  };
  consent: {
    t: Catalogue;
    title: string;
    /** `withdraw` is empty on a record that is no longer active (the template draws no button for it). */
    records: readonly { line: string; active: boolean; withdraw: ActionData | Record<string, never> }[];
    childAgeNote: string;
    childOfAgeLabel: string;
    archivedAtLabel: string;
    givers: readonly Choice[];
    services: readonly Choice[];
    teams: readonly Choice[];
    preselected: string;
    today: string;
    defaultValidUntil: string;
    record: ActionData;
    refuse: ActionData;
    back: ActionData;
  };
  'consent-withdraw': { t: Catalogue; title: string; line: string; givers: readonly Choice[]; submit: ActionData; back: ActionData };
  handover: {
    t: Catalogue;
    title: string;
    intro: string;
    colleagues: readonly { id: string; name: string }[];
    search: boolean;
    dataset: string;
    submitTitle: string;
    submit: ActionData;
    back: ActionData;
  };
  notice: { title: string; paragraphs: readonly string[]; facts: readonly Fact[]; buttons: CardButton[] };
  form: {
    title: string;
    subtitle: string;
    intro: string;
    inputs: readonly CardElement[];
    actions: readonly (CardButton & { style: ActionStyle; associatedInputs: 'auto' | 'none' })[];
  };
  'team-post': {
    title: string;
    paragraphs: readonly string[];
    lines: readonly string[];
    footnote: string;
    buttons: readonly CardButton[];
    executes: readonly ExecuteButton[];
  };
  report: {
    intro: string;
    title: string;
    scope: string;
    asOf: string;
    deviationsTitle: string;
    deviations: readonly Fact[];
    keyTitle: string;
    key: readonly Fact[];
    chartTitle: string;
    chart: string;
    chartAlt: string;
    buttons: readonly CardButton[];
  };
}

export type CardTemplate = keyof CardTemplates;

/** Facts from (title, value) pairs, in order. */
export function factsOf(pairs: readonly (readonly [string, string])[]): Fact[] {
  return pairs.map(([title, value]) => ({ title, value }));
}
