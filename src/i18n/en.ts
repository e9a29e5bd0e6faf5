import type { Catalogue } from './nb';

/** English, the second language (chosen when the Teams client's locale is English). */
export const en: Catalogue = {
  common: {
    appName: 'Laget',
    back: 'Back',
    cancel: 'Cancel',
    dangerNow: 'Is a child in danger right now? Call 112 (police) or the child welfare emergency service at once.',
    privacy:
      'Laget stores only a case code, at most initials or an alias, and the workflow – never a national identity number. Nothing that could identify a child is posted in a channel without consent.',
  },
  welcome: {
    title: 'Hi! I am Laget',
    intro: 'Laget ("the team around the child") helps you act early when you worry about a child – here, in a chat with me.',
    points: [
      'Raise a worry: put it into words, place it in a worry zone and prepare the conversation with the parents (the URO method).',
      'Follow the ladder: goals, actions with owner and deadline, evaluation dates and consent – step by step.',
      'Your nearest leader is kept informed and approves where your municipality’s model requires it.',
      'The duty to report to child welfare always comes first: you can report at any time, without waiting for anyone.',
    ],
    aboutUroTitle: 'What is the URO method?',
    aboutUro:
      'The URO method ("raising a worry") is about acting on the small, uneasy feeling early, taking responsibility for it yourself and raising it concretely, so that dialogue and cooperation with the parents stay possible.',
    zonesTitle: 'The worry zones',
    zones: [
      'No worry – ordinary care.',
      'Small worry – trust your own resources; raise it in everyday contact.',
      'Grey zone – your own means are not enough: plan a conversation with the parents.',
      'Great worry – act now: involve your leader and consider reporting to child welfare.',
      'Acute – danger now: police or the child welfare emergency service at once.',
    ],
    aboutLadderTitle: 'How the ladder works',
    aboutLadder:
      'Step 1: what we can do within our own unit, and a short, planned conversation with the parents. Steps 2 and 3 open with the evaluation: a – the child is better (keep in touch), b – not better (next measures). From step 2b the nearest leader is kept informed. Step 3b brings in other services with the parents’ consent.',
    helpHint: 'Write "help" at any time to see this again.',
  },
  hint: {
    unknown: 'I did not understand that. Write "help" to see what I can do.',
  },
  team: {
    introTitle: 'Laget has been added to the team',
    intro:
      'Hi! I help the interdisciplinary team with its meeting rhythm: the call for cases, the agenda and the minutes template before each meeting. In the channel I show case codes only – never names, initials or anything else that could identify a child.',
    channelHint: 'In the channel I only answer team commands. Write to me in a 1:1 chat to raise a worry about a child.',
  },
  errors: {
    invalidTitle: 'That did not work',
    invalidPayload: 'The form arrived with wrong or missing fields, so I saved nothing. Nothing has changed.',
    invalidField: 'Check the field "{field}".',
    tryAgain: 'Try again from the card, or write "help".',
    storeUnavailableTitle: 'Could not save right now',
    storeUnavailable: 'I could not reach the storage. Nothing is lost – try again in a moment with the same card.',
    unexpected: 'Something went wrong on my side. Nothing has changed. Try again in a moment.',
    tenantRefused: 'This organisation does not have access to Laget.',
  },
};
