import type { DirectoryStore } from '../store/directory';
import type { PeopleRepository } from '../store/people';

/**
 * The stored records besides cases and teams that the bot's flows reach, as the narrow ports they
 * use. src/bot imports nothing from src/store (the dependency rules forbid it, types included): a
 * flow gets these, the case service and the team service — never a repository.
 */

/** A person's profile: language, personal chat, unfinished flow, units (a point read; a change with its ETag). */
export type Profiles = Pick<PeopleRepository, 'read' | 'update' | 'mriOf'>;

/** Who works where, as last read from the directory: a person's entry, a unit (point reads). */
export type DirectoryReader = Pick<DirectoryStore, 'person' | 'unit'>;

/** Where a proactive message goes (kept with the person and with each job). */
export type { ConversationAddress, PersonalAddress } from '../store/conversation-address';

/** The store could not be reached: the person is told "nothing is lost, try again". */
export { StoreUnavailable } from '../store/documents';
