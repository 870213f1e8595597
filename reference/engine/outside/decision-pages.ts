/**
 * What a decision task hands a decider besides its task: the history in reverse order or in
 * pages, and what an empty poll answers besides no task token. No clause of the two operations
 * names them; the battery's decider reads the first page of short histories.
 */
import type { DecisionTask, PollForDecisionTaskInput } from '../../../src/generated/types.ts';
import { fault } from '../../faults.ts';
import { defined, type Execution, type Store } from '../model.ts';
import { DEFAULT_PAGE, pageTokens } from './paging.ts';
import type { TaskTokens } from './polls.ts';

export type Page = { maximumPageSize?: number; reverseOrder?: boolean };

/** What a long poll that ends with no task answers. */
export const emptyDecisionTask = (): DecisionTask => ({ startedEventId: 0, previousStartedEventId: 0 });

/** The page a poll asks for. */
export const requestedPage = (input: PollForDecisionTaskInput): Page =>
  defined({ maximumPageSize: input.maximumPageSize, reverseOrder: input.reverseOrder });

/** The first page of a task's history, and the token of the next when there is one. */
export function firstPage(e: Execution, token: string, page: Page): { events: Execution['events']; nextPageToken?: string } {
  const events = page.reverseOrder ? [...e.events].reverse() : [...e.events];
  const size = page.maximumPageSize || DEFAULT_PAGE;
  return defined({
    events: events.slice(0, size),
    nextPageToken: events.length > size ? pageTokens.encode(`task:${token}:${page.reverseOrder ? 'r' : 'f'}`, size) : undefined,
  });
}

/** A next page of a decision task's history, by the token of the page before it. */
function nextPage(store: Store, tokens: TaskTokens<string>, token: string, page: Page): DecisionTask {
  const decoded = pageTokens.decode(token);
  const match = /^task:(.+):([fr])$/.exec(decoded.kind);
  const key = match && tokens.find(match[1]!);
  const e = key ? store.executions.get(key) : undefined;
  if (!match || !e) throw fault.validation('The nextPageToken is not valid for this request');
  const upTo = e.events.slice(0, e.decision.startedEventId);
  const events = match[2] === 'r' ? upTo.reverse() : upTo;
  const size = page.maximumPageSize || DEFAULT_PAGE;
  const next = decoded.offset + size;
  return defined({
    taskToken: match[1],
    startedEventId: e.decision.startedEventId,
    workflowExecution: { workflowId: e.workflowId, runId: e.runId },
    workflowType: e.type,
    events: events.slice(decoded.offset, next),
    previousStartedEventId: e.previousStartedEventId,
    nextPageToken: next < events.length ? pageTokens.encode(decoded.kind, next) : undefined,
  });
}

/** A poll for a next page of a task's history is answered at once; any other poll is `poll`'s. */
export function pageOr(
  store: Store,
  tokens: TaskTokens<string>,
  input: PollForDecisionTaskInput,
  page: Page,
  poll: () => Promise<DecisionTask>,
): Promise<DecisionTask> {
  return input.nextPageToken ? Promise.resolve(nextPage(store, tokens, input.nextPageToken, page)) : poll();
}
