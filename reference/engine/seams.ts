/**
 * Where the engine lets another behaviour in, without knowing what it is: an operation on its way
 * in and out, the execution a request of the two operations resolves to, what such a request does
 * to it, an event on its way into a history, a child policy on its way to the children, and an
 * execution once closed. The engine's own behaviour at each is the contract's;
 * reference/deviations/ plugs wrong ones in, one per catalogue entry, to prove the battery and the
 * model-based runs catch them. The engine never asks which deviation is on (undici's dispatcher
 * seam is the model: the client core does not know it is being mocked).
 */
import type { ChildPolicy, CloseStatus, TerminateWorkflowExecutionInput } from '../../src/generated/types.ts';
import type { Attributes, Domain, Execution } from './model.ts';

/** A request of one of the two operations, as far as finding its execution goes. */
export interface TargetRequest {
  domain: string;
  workflowId: string;
  runId?: string;
}

/** What a seam may read of the store. */
export interface LookupView {
  /** The runs of a workflowId in a domain, oldest first. */
  runsOf(domain: string, workflowId: string): readonly Execution[];
  /** Every execution of every domain. */
  all(): Iterable<Execution>;
  /** The domain, or undefined when it is not registered. */
  domain(name: string): Domain | undefined;
  /** The default child policy of the execution's workflow type, if it has one. */
  typeDefaultPolicy(e: Execution): ChildPolicy | undefined;
  /** The executions of these keys that the store still holds. */
  executions(keys: Iterable<string>): Execution[];
}

/** What a seam may do with an execution, the engine's way. */
export interface EngineTools {
  /** Records an event (through the record seam), returning its id. */
  record(e: Execution, eventType: string, attributes: Attributes): number;
  requestCancel(e: Execution, attributes: Attributes): void;
  close(e: Execution, closeStatus: CloseStatus): void;
  /** TerminateWorkflowExecution's effect on an open execution, as the contract has it. */
  terminate(e: Execution, input: TerminateWorkflowExecutionInput): void;
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

/** A closed parent's child policy on its way to the children. */
export interface PolicyApplication {
  /** The parent, closed: how it closed is in its state and history. */
  parent: Execution;
  /** What reaches each child. */
  effect: ChildPolicy;
  /** The children it reaches, open when the parent closed. */
  children: readonly Execution[];
}

export interface Seams {
  /** Any operation of the engine: its input and output pass through here; `call` runs the engine's own operation of a name. */
  operation(name: string, input: unknown, call: (name: string, input: unknown) => unknown, view: LookupView, tools: EngineTools): unknown;
  /**
   * The execution a request of the two operations acts on. `resolve` is the engine's own
   * resolution; undefined makes the request a successful no-op. An execution that is not open is
   * acted on as it is.
   */
  target(request: TargetRequest, resolve: Resolve, view: LookupView): Execution | undefined;
  /** What RequestCancelWorkflowExecution does to the execution it resolved to: `act` is the contract's. */
  cancel(e: Execution, act: () => void, view: LookupView, tools: EngineTools): void;
  /** What TerminateWorkflowExecution does to the execution it resolved to, with what it asked: `act` is the contract's. */
  terminate(
    e: Execution,
    input: TerminateWorkflowExecutionInput,
    act: (input: TerminateWorkflowExecutionInput) => void,
    view: LookupView,
    tools: EngineTools,
  ): void;
  /** The event recorded in the execution's history; undefined records nothing. */
  record(e: Execution, event: PendingEvent, view: LookupView): PendingEvent | undefined;
  /** The child policy that reaches a closed parent's children. */
  policy(application: PolicyApplication, view: LookupView): PolicyApplication;
  /** An execution has just closed (its history says how). */
  closed(e: Execution, view: LookupView, tools: EngineTools): void;
  /**
   * A cancel request made by a decision, on its way to its target: the contract delivers it once
   * the decision task has completed (recorded).
   */
  deliver(work: () => void): void;
}

/** The engine as the contract has it: every seam passes through. */
export const contractSeams: Seams = {
  operation: (name, input, call) => call(name, input),
  target: (request, resolve) => resolve(request),
  cancel: (_e, act) => act(),
  terminate: (_e, input, act) => act(input),
  record: (_e, event) => event,
  policy: (application) => application,
  closed: () => undefined,
  deliver: (work) => queueMicrotask(work),
};
