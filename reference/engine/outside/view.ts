/** The lookup view the engine hands its seams: read only by deviation plugs (the contract's seams read nothing). */
import { keys, type Store } from '../model.ts';
import type { LookupView } from '../seams.ts';

export const lookupView = (store: Store): LookupView => ({
  runsOf: (domain, workflowId) => store.runsOf(domain, workflowId),
  all: () => store.executions.values(),
  domain: (name) => store.domains.get(name),
  typeDefaultPolicy: (e) => store.types.get(keys.type(e.domain, e.type))?.defaults.childPolicy,
  executions: (wanted) => [...wanted].flatMap((key) => store.executions.get(key) ?? []),
});
