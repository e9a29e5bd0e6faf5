/**
 * Norwegian bokmål, the default language of Laget. Every user-facing sentence lives here
 * (and in en.ts with the same shape); cards and handlers refer to keys, never to literals.
 */
export const nb = {
  common: {
    appName: 'Laget',
    back: 'Tilbake',
    cancel: 'Avbryt',
    dangerNow: 'Er et barn i fare nå? Ring 112 (politi) eller barnevernvakten med en gang.',
    privacy:
      'Laget lagrer bare en sakskode, eventuelt initialer eller kallenavn, og arbeidsflyten – aldri fødselsnummer. Ingenting som kan identifisere et barn legges ut i en kanal uten samtykke.',
  },
  welcome: {
    title: 'Hei! Jeg er Laget',
    intro: 'Laget rundt barnet hjelper deg å handle tidlig når du er urolig for et barn – her i en samtale med meg.',
    points: [
      'Ta opp uro: sett ord på uroen, plasser den i en urosone og forbered samtalen med foreldrene (URO-metoden).',
      'Følg trappen: mål, tiltak med ansvarlig og frist, evalueringsdatoer og samtykke – trinn for trinn.',
      'Nærmeste leder holdes orientert og godkjenner der kommunens modell krever det.',
      'Meldeplikten til barnevernet går alltid foran: du kan melde bekymring når som helst, uten å vente på noen.',
    ],
    aboutUroTitle: 'Hva er URO-metoden?',
    aboutUro:
      'URO-metoden («Å ta opp uro») handler om å ta tak i den lille, urolige følelsen tidlig, ta ansvar for den selv og ta den opp konkret, slik at dialogen og samarbeidet med foreldrene blir mulig.',
    zonesTitle: 'Urosonene',
    zones: [
      'Ingen uro – vanlig omsorg.',
      'Liten uro – stol på egne ressurser, ta det opp i den daglige kontakten.',
      'Gråsone – egne midler strekker ikke til: planlegg en samtale med foreldrene.',
      'Stor uro – handle nå: involver leder og vurder melding til barnevernet.',
      'Akutt – fare nå: politi eller barnevernvakt straks.',
    ],
    aboutLadderTitle: 'Slik virker trappen',
    aboutLadder:
      'Trinn 1: hva kan vi gjøre i egen enhet, og en kort, planlagt samtale med foreldrene. Trinn 2 og 3 åpner med evalueringen: a – barnet har det bedre (hold kontakten), b – ikke bedre (neste tiltak). Fra trinn 2b holdes nærmeste leder orientert. Trinn 3b trekker inn andre tjenester med foreldrenes samtykke.',
    helpHint: 'Skriv «hjelp» når som helst for å se dette igjen.',
  },
  hint: {
    unknown: 'Det forstod jeg ikke. Skriv «hjelp» for å se hva jeg kan gjøre.',
  },
  team: {
    introTitle: 'Laget er lagt til i teamet',
    intro:
      'Hei! Jeg hjelper det tverrfaglige teamet med møterytmen: innkalling til saker, saksliste og referatmal før hvert møte. I kanalen viser jeg bare sakskoder – aldri navn, initialer eller andre opplysninger som kan identifisere et barn.',
    channelHint: 'I kanalen svarer jeg bare på kommandoer til teamet. Skriv til meg i en 1:1-chat for å ta opp uro om et barn.',
  },
  errors: {
    invalidTitle: 'Det gikk ikke',
    invalidPayload: 'Skjemaet kom fram med feil eller manglende felt, så jeg har ikke lagret noe. Ingenting er endret.',
    invalidField: 'Sjekk feltet «{field}».',
    tryAgain: 'Prøv igjen fra kortet, eller skriv «hjelp».',
    storeUnavailableTitle: 'Kunne ikke lagre akkurat nå',
    storeUnavailable: 'Jeg fikk ikke kontakt med lagringen. Ingenting er tapt – prøv igjen om litt med samme kort.',
    unexpected: 'Noe gikk galt hos meg. Ingenting er endret. Prøv igjen om litt.',
    tenantRefused: 'Denne organisasjonen har ikke tilgang til Laget.',
  },
} as const;

type Widen<T> = T extends string ? string : T extends readonly (infer U)[] ? readonly Widen<U>[] : { readonly [K in keyof T]: Widen<T[K]> };

/** The shape every language must fill: the same keys as bokmål, any text. */
export type Catalogue = Widen<typeof nb>;
