// What the chat screen hands down to everything under it, each as a context of its own: people's names
// and faces, reactions, presence, read state and reporting. One call keeps the screen about its layout.
import type { PalaverBridge } from '../../../src-shared/ipc.ts';
import type { Chat } from './chat.svelte.ts';
import { People, providePeople } from './people.svelte.ts';
import { peopleById } from './people-api.ts';
import { providePresence } from './presence.svelte.ts';
import { provideReactions, serverReactions } from './reactions.svelte.ts';
import { provideReadState } from './read-state.svelte.ts';
import { provideReportMessage, reportMessages } from './reports-api.ts';

/** Call while the chat screen is being set up: Svelte's contexts are set during a component's creation. */
export function provideChatContexts(chat: Chat, bridge: Pick<PalaverBridge, 'presenceHints'>): void {
  providePeople(new People(peopleById(chat.pb)));
  provideReactions(serverReactions(chat.pb, chat.self.id));
  providePresence(chat.pb, () => bridge.presenceHints());
  provideReadState(chat.reads);
  provideReportMessage(reportMessages(chat.pb));
}
