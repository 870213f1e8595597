/**
 * Where the engine lets another behaviour in, without knowing what it is: the execution a
 * RequestCancel or Terminate request resolves to. The engine's own resolution is the contract's;
 * reference/deviations/ plugs wrong ones in, one per catalogue entry, to prove the battery and the
 * model-based runs catch them. The engine never asks which deviation is on (undici's dispatcher
 * seam is the model: the client core does not know it is being mocked).
 */
import type { Attributes, Domain, Execution } from './model.ts';

/** A request of one of the two operations, as far as finding its execution goes. */
export interface TargetRequest {
  operation: 'cancel' | 'terminate';
  domain: string;
  workflowId: string;
  runId?: string;
}

/** What a lookup may read of the store. */
export interface LookupView {
  /** The runs of a workflowId in a domain, oldest first. */
  runsOf(domain: string, workflowId: string): readonly Execution[];
  /** Every execution of every domain. */
  all(): Iterable<Execution>;
  /** The domain, or undefined when it is not registered. */
  domain(name: string): Domain | undefined;
}

/**
 * Resolves a request: the contract's way (a runId names that run, which must be open; without one,
 * or with an empty one, the open run of the workflowId; UnknownResourceFault otherwise), or the
 * way of the seams inside this one, which may make the request a no-op (undefined).
 */
export type Resolve = (request: TargetRequest) => Execution | undefined;

/** An event on its way into a history. */
export interface PendingEvent {
  eventType: string;
  eventId: number;
  /** Undefined: the event carries no attributes object at all. */
  attributes: Attributes | undefined;
  /** Whether it schedules a decision task. */
  wakes: boolean;
}

export interface Seams {
  /** The event recorded in the execution's history; undefined records nothing. */
  record(e: Execution, event: PendingEvent): PendingEvent | undefined;

  /**
   * The execution a request acts on. `resolve` is the engine's own resolution; undefined makes the
   * request a successful no-op. An execution that is not open is acted on as it is.
   */
  target(request: TargetRequest, resolve: Resolve, view: LookupView): Execution | undefined;
}

/** The engine as the contract has it: every seam passes through. */
export const contractSeams: Seams = {
  target: (request, resolve) => resolve(request),
  record: (_e, event) => event,
};
