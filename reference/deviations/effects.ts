/**
 * The catalogue's wrong effects: what the two operations do to an execution, how a child policy
 * travels, what closing leaves, when a decision's cancel request is delivered, and how decision
 * tasks and the visibility operations answer. Each is a plug for the engine's seams
 * (engine/seams.ts), written as a wrapper of the seam's behaviour inside it (`next`).
 */
import { isTimeMember } from '../../src/contract/timestamps.ts';
import type { Execution } from '../engine/model.ts';
import { SwfFault } from '../faults.ts';
import type { Seams } from '../engine/seams.ts';
import type { DeviationTable } from './deviation.ts';

/** A wrapper of some of the engine's seams: given each seam's behaviour so far, the deviation's. */
export type Plug = { [K in keyof Seams]?: (next: Seams[K]) => Seams[K] };

type Json = Record<string, unknown>;
type Ref = { domain: string; workflowId: string; runId: string };

/** Applies `f` to an output that may be a promise (the long polls answer later). */
const then = (out: unknown, f: (value: unknown) => unknown): unknown => (out instanceof Promise ? out.then(f) : f(out));

const find = (view: Parameters<Seams['target']>[2], ref: Ref | undefined): Execution | undefined =>
  ref ? view.runsOf(ref.domain, ref.workflowId).find((x) => x.runId === ref.runId) : undefined;

/** Remembers which execution each decision task token handed out belongs to, from the polls' answers. */
function tokenBook() {
  const byToken = new Map<string, Ref>();
  return {
    note(domain: string, out: unknown): unknown {
      const task = out as { taskToken?: string; workflowExecution?: { workflowId: string; runId: string } } | undefined;
      if (task?.taskToken && task.workflowExecution) byToken.set(task.taskToken, { domain, ...task.workflowExecution });
      return out;
    },
    of: (token: unknown) => (typeof token === 'string' ? byToken.get(token) : undefined),
  };
}

/** Deep-maps the numbers under keys that name a point in time. */
function inMilliseconds(value: unknown, key = ''): unknown {
  if (typeof value === 'number' && isTimeMember(key)) return Math.round(value * 1000);
  if (Array.isArray(value)) return value.map((v) => inMilliseconds(v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inMilliseconds(v, k)]));
  return value;
}

/** A DecisionTaskScheduled event of the execution's own task list, as the engine records one. */
const recordScheduled = (e: Execution, tools: Parameters<Seams['cancel']>[3]) =>
  tools.record(e, 'DecisionTaskScheduled', {
    taskList: { name: e.config.taskList },
    startToCloseTimeout: e.config.taskStartToCloseTimeout,
  });

/**
 * How a closed execution closed, from its state and history: terminated by a request (`direct`),
 * terminated by its parent's child policy (`policy`), or otherwise (`close`).
 */
function howClosed(e: Execution): 'direct' | 'policy' | 'close' {
  if (e.closeStatus !== 'TERMINATED') return 'close';
  return terminatedBy(e)?.cause === 'CHILD_POLICY_APPLIED' ? 'policy' : 'direct';
}

/** The attributes of the execution's last WorkflowExecutionTerminated event, if it has one. */
const terminatedBy = (e: Execution): Json | undefined =>
  [...e.events].reverse().find((ev) => ev.eventType === 'WorkflowExecutionTerminated')?.workflowExecutionTerminatedEventAttributes as
    | Json
    | undefined;

/** An operation refused in a deprecated domain, before anything is looked up. */
const refusedWhenDeprecated =
  (refused: string): NonNullable<Plug['operation']> =>
  (next) =>
  (name, input, call, view, tools) => {
    const domain = String((input as Json).domain);
    if (name === refused && view.domain(domain)?.status === 'DEPRECATED')
      throw new SwfFault('DomainDeprecatedFault', `Domain is deprecated: ${domain}`);
    return next(name, input, call, view, tools);
  };

export const effectDeviations: DeviationTable<() => Plug> = {
  // RequestCancelWorkflowExecution
  'cancel-records-nothing': {
    does: 'RequestCancelWorkflowExecution answers 200 and records nothing',
    breaks: ['cancel.event.recorded', 'cancel.state.cancel-requested'],
    plug: () => ({
      cancel: () => () => undefined,
    }),
  },
  'cancel-flag-not-set': {
    does: 'the cancel request is recorded, but cancelRequested stays false',
    breaks: ['cancel.state.cancel-requested'],
    plug: () => ({
      cancel: (next) => (e, act, view, tools) => {
        next(e, act, view, tools);
        e.cancelRequested = false;
      },
    }),
  },
  'cancel-second-decision-task': {
    does: 'a cancel request schedules a decision task even when one is already scheduled',
    breaks: ['cancel.decision-task.single-active'],
    plug: () => ({
      cancel: (next) => (e, act, view, tools) => {
        const scheduled = e.decision.state === 'scheduled';
        next(e, act, view, tools);
        if (scheduled) recordScheduled(e, tools);
      },
    }),
  },
  'cancel-reaches-children': {
    does: 'a cancel request is passed on to the open children',
    breaks: ['cancel.children.untouched'],
    plug: () => ({
      cancel: (next) => (e, act, view, tools) => {
        next(e, act, view, tools);
        for (const child of view.executions(e.children)) if (child.status === 'OPEN') tools.requestCancel(child, {});
      },
    }),
  },
  'cancel-closes-execution': {
    does: 'a cancel request closes the execution as CANCELED',
    breaks: ['cancel.state.stays-open'],
    plug: () => ({
      cancel: (next) => (e, act, view, tools) => {
        next(e, act, view, tools);
        if (e.status === 'OPEN') tools.close(e, 'CANCELED');
      },
    }),
  },
  'cancel-flag-kept-after-close': {
    does: 'a closed execution still reads cancelRequested true after a cancel request',
    breaks: ['cancel.state.closed-reads-false'],
    plug: () => ({
      closed: (next) => (e, view, tools) => {
        next(e, view, tools);
        // What it read before the close: asked to cancel, when its history holds the request.
        e.cancelRequested = e.events.some((ev) => ev.eventType === 'WorkflowExecutionCancelRequested');
      },
    }),
  },
  // The target's cancel request is recorded while the decision is being completed, before its own events.
  'cancel-external-in-decision': {
    does: 'a RequestCancelExternalWorkflowExecution decision reaches its target while the decisions are applied, so a requester that closes in the same decision records ExternalWorkflowExecutionCancelRequested before its close event',
    breaks: ['cancel.by-decision.after-close'],
    plug: () => ({ deliver: () => (work) => work() }),
  },
  // TerminateWorkflowExecution
  'terminate-drops-reason-with-policy': {
    does: 'reason is dropped when a childPolicy is given too',
    breaks: ['terminate.event.reason-details'],
    plug: () => ({
      terminate: (next) => (e, input, act, view, tools) =>
        next(e, input.childPolicy ? { ...input, reason: undefined } : input, act, view, tools),
    }),
  },
  'terminate-stays-open': {
    does: 'the terminated event is recorded, but the execution stays OPEN',
    breaks: ['terminate.state.closed'],
    plug: () => ({
      terminate: () => (e, input, _act, _view, tools) => {
        tools.record(e, 'WorkflowExecutionTerminated', {
          reason: input.reason,
          details: input.details,
          childPolicy: input.childPolicy ?? e.config.childPolicy,
          cause: 'OPERATOR_INITIATED',
        });
      },
    }),
  },
  'terminate-records-type-policy': {
    does: "the terminated event records the workflow type's default child policy, whatever the start or the request said",
    breaks: ['terminate.event.child-policy', 'child-policy.source.start', 'child-policy.source.request'],
    plug: () => ({
      record: (next) => (e, event, view) => {
        const out = next(e, event, view);
        return out && out.eventType === 'WorkflowExecutionTerminated'
          ? { ...out, attributes: { ...out.attributes, childPolicy: view.typeDefaultPolicy(e) ?? out.attributes?.childPolicy } }
          : out;
      },
    }),
  },
  'terminate-close-status-canceled': {
    does: 'a terminated execution is closed with closeStatus CANCELED',
    breaks: ['terminate.state.closed'],
    plug: () => ({
      closed: (next) => (e, view, tools) => {
        next(e, view, tools);
        if (howClosed(e) === 'direct') e.closeStatus = 'CANCELED';
      },
    }),
  },
  'terminate-close-time-is-start': {
    does: "closeTimestamp is the execution's start time",
    breaks: ['terminate.state.closed'],
    plug: () => ({
      closed: (next) => (e, view, tools) => {
        next(e, view, tools);
        if (howClosed(e) === 'direct') e.closeTimestamp = e.startTimestamp;
      },
    }),
  },
  'terminated-child-parent-silent': {
    does: 'terminating a child directly records nothing in its parent',
    breaks: ['terminate.child.parent-notified'],
    plug: () => ({
      record: (next) => (parent, event, view) => {
        const out = next(parent, event, view);
        if (out?.eventType !== 'ChildWorkflowExecutionTerminated') return out;
        const child = find(view, {
          domain: parent.domain,
          ...(out.attributes?.workflowExecution as { workflowId: string; runId: string }),
        });
        return child && terminatedBy(child)?.cause === 'OPERATOR_INITIATED' ? undefined : out;
      },
    }),
  },
  'terminate-waits-for-decider': {
    does: "with a decision task out at a decider, termination waits for the decider's answer",
    breaks: ['terminate.immediate.decision-in-flight'],
    plug: () => {
      const held = new Map<string, Parameters<Seams['terminate']>[1]>();
      const tokens = tokenBook();
      return {
        terminate: (next) => (e, input, act, view, tools) => {
          if (e.decision.state === 'started') held.set(e.key, input);
          else next(e, input, act, view, tools);
        },
        operation: (next) => (name, input, call, view, tools) => {
          const out = next(name, input, call, view, tools);
          if (name === 'PollForDecisionTask') return then(out, (o) => tokens.note((input as Json).domain as string, o));
          if (name !== 'RespondDecisionTaskCompleted') return out;
          const e = find(view, tokens.of((input as Json).taskToken));
          const request = e && held.get(e.key);
          if (e && request && e.status === 'OPEN') {
            held.delete(e.key);
            tools.terminate(e, request);
          }
          return out;
        },
      };
    },
  },
  // Decision tasks
  'late-decision-accepted': {
    does: "a decider's answer for a task of a terminated execution is accepted and its events appended",
    breaks: ['terminate.immediate.late-decision-rejected', 'terminate.no-events-after'],
    plug: () => {
      const tokens = tokenBook();
      return {
        operation: (next) => (name, input, call, view, tools) => {
          if (name === 'RespondDecisionTaskCompleted') {
            const e = find(view, tokens.of((input as Json).taskToken));
            if (e && e.status !== 'OPEN') {
              tools.record(e, 'DecisionTaskCompleted', {
                executionContext: (input as Json).executionContext,
                scheduledEventId: 0,
                startedEventId: 0,
              });
              return undefined;
            }
          }
          const out = next(name, input, call, view, tools);
          return name === 'PollForDecisionTask' ? then(out, (o) => tokens.note((input as Json).domain as string, o)) : out;
        },
      };
    },
  },
  'terminated-task-still-polled': {
    does: 'a decision task scheduled before termination can still be polled, adding DecisionTaskStarted',
    breaks: ['terminate.no-events-after'],
    plug: () => {
      // Executions terminated with a decision task scheduled, by domain and task list: still handed out.
      const stale = new Map<string, Execution[]>();
      const listKey = (domain: string, taskList: string) => `${domain}\u0000${taskList}`;
      return {
        record: (next) => (e, event, view) => {
          if (event.eventType === 'WorkflowExecutionTerminated' && e.decision.state === 'scheduled') {
            const key = listKey(e.domain, e.config.taskList);
            stale.set(key, [...(stale.get(key) ?? []), e]);
          }
          return next(e, event, view);
        },
        operation: (next) => (name, input, call, view, tools) => {
          const i = input as { domain?: string; taskList?: { name?: string }; identity?: string };
          const queue = name === 'PollForDecisionTask' ? stale.get(listKey(String(i.domain), String(i.taskList?.name))) : undefined;
          const e = queue?.shift();
          if (!e) return next(name, input, call, view, tools);
          const startedEventId = tools.record(e, 'DecisionTaskStarted', { identity: i.identity, scheduledEventId: 0 });
          return {
            taskToken: `stale-${e.key}`,
            startedEventId,
            previousStartedEventId: 0,
            workflowExecution: { workflowId: e.workflowId, runId: e.runId },
            workflowType: e.type,
            events: [...e.events],
          };
        },
      };
    },
  },
  'decision-task-held-while-started': {
    does: 'an event arriving while a decision task is started schedules the next one only when the started one completes',
    breaks: ['cancel.decision-task.while-started'],
    plug: () => {
      const tokens = tokenBook();
      return {
        record: (next) => (e, event, view) =>
          event.eventType === 'DecisionTaskScheduled' && e.decision.state === 'started' ? undefined : next(e, event, view),
        operation: (next) => (name, input, call, view, tools) => {
          const out = next(name, input, call, view, tools);
          if (name === 'PollForDecisionTask') return then(out, (o) => tokens.note((input as Json).domain as string, o));
          if (name !== 'RespondDecisionTaskCompleted') return out;
          // The task scheduled while the other was out is recorded only now that it completed.
          const e = find(view, tokens.of((input as Json).taskToken));
          if (e?.decision.state === 'scheduled' && e.events[e.decision.scheduledEventId - 1]?.eventType !== 'DecisionTaskScheduled') {
            e.decision.scheduledEventId = recordScheduled(e, tools);
          }
          return out;
        },
      };
    },
  },
  // Child policies
  'type-default-policy-ignored': {
    does: "an execution started without a childPolicy gets TERMINATE, whatever its type's default",
    breaks: ['child-policy.source.type-default'],
    plug: () => ({
      operation: (next) => (name, input, call, view, tools) =>
        next(
          name,
          name === 'StartWorkflowExecution' && !(input as Json).childPolicy ? { ...(input as Json), childPolicy: 'TERMINATE' } : input,
          call,
          view,
          tools,
        ),
    }),
  },
  'terminate-ignores-request-policy': {
    does: 'a childPolicy in the request is recorded but not applied',
    breaks: ['child-policy.source.request'],
    plug: () => ({
      policy: (next) => (app, view) => {
        const out = next(app, view);
        return howClosed(out.parent) === 'direct' ? { ...out, effect: out.parent.config.childPolicy } : out;
      },
    }),
  },
  'policy-not-applied': {
    does: 'no child policy is applied when a parent is terminated',
    breaks: ['child-policy.terminate.children-terminated', 'child-policy.request-cancel.children-cancel-requested'],
    plug: () => ({
      policy: (next) => (app, view) => {
        const out = next(app, view);
        return howClosed(out.parent) === 'close' ? out : { ...out, children: [] };
      },
    }),
  },
  'policy-not-recursive': {
    does: 'a child terminated by policy does not apply its own policy to its children',
    breaks: ['child-policy.terminate.recursive'],
    plug: () => ({
      policy: (next) => (app, view) => {
        const out = next(app, view);
        return howClosed(out.parent) === 'policy' ? { ...out, children: [] } : out;
      },
    }),
  },
  'policy-only-on-terminate': {
    does: 'the child policy is applied when the parent is terminated, not when it completes, fails or is cancelled',
    breaks: ['child-policy.on-close.request-cancel', 'child-policy.on-close.terminate'],
    plug: () => ({
      policy: (next) => (app, view) => {
        const out = next(app, view);
        return howClosed(out.parent) === 'close' ? { ...out, children: [] } : out;
      },
    }),
  },
  'policy-first-child-only': {
    does: 'the child policy reaches the first open child only',
    breaks: [
      'child-policy.terminate.children-terminated',
      'child-policy.request-cancel.children-cancel-requested',
      'child-policy.on-close.terminate',
      'child-policy.on-close.request-cancel',
    ],
    plug: () => ({
      policy: (next) => (app, view) => {
        const out = next(app, view);
        return { ...out, children: out.children.slice(0, 1) };
      },
    }),
  },
  'policy-abandon-terminates': {
    does: 'ABANDON terminates the children',
    breaks: ['child-policy.abandon.children-open'],
    plug: () => ({
      policy: (next) => (app, view) => {
        const out = next(app, view);
        return out.effect === 'ABANDON' ? { ...out, effect: 'TERMINATE' } : out;
      },
    }),
  },
  'policy-request-cancel-terminates': {
    does: 'REQUEST_CANCEL terminates the children instead of requesting their cancellation',
    breaks: ['child-policy.request-cancel.children-cancel-requested'],
    plug: () => ({
      policy: (next) => (app, view) => {
        const out = next(app, view);
        return out.effect === 'REQUEST_CANCEL' ? { ...out, effect: 'TERMINATE' } : out;
      },
    }),
  },
  'policy-touches-closed-children': {
    does: 'the child policy adds events to children that already closed',
    breaks: ['child-policy.closed-children-untouched'],
    plug: () => ({
      // A terminated parent's policy reaches its children that had closed before it, too.
      closed: (next) => (e, view, tools) => {
        const closedBefore = [...view.all()].filter(
          (x) => x.parent?.workflowId === e.workflowId && x.parent.runId === e.runId && x.status !== 'OPEN',
        );
        next(e, view, tools);
        if (howClosed(e) === 'close') return;
        const effect = (terminatedBy(e)?.childPolicy as typeof e.config.childPolicy | undefined) ?? e.config.childPolicy;
        const cause = 'CHILD_POLICY_APPLIED';
        for (const child of closedBefore) {
          if (effect === 'TERMINATE') tools.record(child, 'WorkflowExecutionTerminated', { childPolicy: child.config.childPolicy, cause });
          else if (effect === 'REQUEST_CANCEL') tools.record(child, 'WorkflowExecutionCancelRequested', { cause });
        }
      },
    }),
  },
  // Visibility and the wire
  'started-task-counted-open': {
    does: 'openDecisionTasks counts a started decision task, not only a scheduled one',
    breaks: ['cancel.decision-task.open-count'],
    plug: () => ({
      operation: (next) => (name, input, call, view, tools) => {
        const out = next(name, input, call, view, tools);
        if (name !== 'DescribeWorkflowExecution') return out;
        const i = input as { domain: string; execution: { workflowId: string; runId: string } };
        const e = find(view, { domain: i.domain, ...i.execution });
        return then(out, (o) =>
          e?.decision.state === 'started'
            ? { ...(o as Json), openCounts: { ...((o as Json).openCounts as Json), openDecisionTasks: 1 } }
            : o,
        );
      },
    }),
  },
  'terminate-still-counted-open': {
    does: 'a terminated execution is still listed and counted as open',
    breaks: ['terminate.state.listed-closed'],
    plug: () => ({
      operation: (next) => (name, input, call, view, tools) => {
        const out = next(name, input, call, view, tools);
        if (name !== 'CountOpenWorkflowExecutions' && name !== 'ListOpenWorkflowExecutions') return out;
        const { reverseOrder: _r, nextPageToken: _n, ...filters } = input as Json;
        const closed = call('ListClosedWorkflowExecutions', { ...filters, maximumPageSize: 1000 }) as {
          executionInfos?: { closeStatus?: string }[];
        };
        const terminated = (closed.executionInfos ?? []).filter((x) => x.closeStatus === 'TERMINATED');
        return then(out, (o) =>
          name === 'CountOpenWorkflowExecutions'
            ? { ...(o as Json), count: (o as { count: number }).count + terminated.length }
            : { ...(o as Json), executionInfos: [...(((o as Json).executionInfos as unknown[]) ?? []), ...terminated] },
        );
      },
    }),
  },
  'timestamps-in-milliseconds': {
    does: 'timestamps are epoch milliseconds',
    breaks: ['wire.timestamps.epoch-seconds'],
    plug: () => ({
      operation: (next) => (name, input, call, view, tools) => then(next(name, input, call, view, tools), (o) => inMilliseconds(o)),
    }),
  },
  'list-timestamps-in-milliseconds': {
    does: 'the list operations give startTimestamp and closeTimestamp in epoch milliseconds (Describe and histories in seconds)',
    breaks: ['wire.timestamps.epoch-seconds'],
    mechanism: 'every exchange',
    plug: () => ({
      operation: (next) => (name, input, call, view, tools) => {
        const out = next(name, input, call, view, tools);
        return /^List(Open|Closed)WorkflowExecutions$/.test(name) ? then(out, (o) => inMilliseconds(o)) : out;
      },
    }),
  },
  'terminate-trims-texts': {
    does: 'TerminateWorkflowExecution records reason and details with the spaces at their ends trimmed',
    breaks: ['terminate.event.reason-details'],
    mechanism: 'values',
    plug: () => ({
      terminate: (next) => (e, input, act, view, tools) =>
        next(
          e,
          {
            ...input,
            ...(input.reason !== undefined ? { reason: input.reason.trim() } : {}),
            ...(input.details !== undefined ? { details: input.details.trim() } : {}),
          },
          act,
          view,
          tools,
        ),
    }),
  },
  'policy-recursive-on-terminate-only': {
    does: 'a child terminated by policy applies its own policy to the grandchildren only when the root was terminated by a request, not when it closed by a decision',
    breaks: ['child-policy.terminate.recursive'],
    mechanism: 'model',
    plug: () => ({
      policy: (next) => (app, view) => {
        const out = next(app, view);
        if (howClosed(out.parent) !== 'policy' || !app.parent.parent) return out;
        const root = find(view, { domain: app.parent.domain, ...app.parent.parent });
        return root && root.closeStatus !== 'TERMINATED' ? { ...out, children: [] } : out;
      },
    }),
  },
  // Deprecated domains: the two operations refused there, as a start is.
  'deprecated-domain-refuses-cancel': {
    does: 'RequestCancelWorkflowExecution is refused in a deprecated domain',
    breaks: ['deprecated.cancel'],
    plug: () => ({ operation: refusedWhenDeprecated('RequestCancelWorkflowExecution') }),
  },
  'deprecated-domain-refuses-terminate': {
    does: 'TerminateWorkflowExecution is refused in a deprecated domain',
    breaks: ['deprecated.terminate'],
    plug: () => ({ operation: refusedWhenDeprecated('TerminateWorkflowExecution') }),
  },
  'deprecated-domain-starts': {
    does: 'a deprecated domain accepts new executions',
    breaks: ['deprecated.no-new-executions'],
    plug: () => ({
      operation: (next) => (name, input, call, view, tools) => {
        const domain = name === 'StartWorkflowExecution' ? view.domain(String((input as Json).domain)) : undefined;
        if (domain?.status !== 'DEPRECATED') return next(name, input, call, view, tools);
        domain.status = 'REGISTERED';
        try {
          return next(name, input, call, view, tools);
        } finally {
          domain.status = 'DEPRECATED';
        }
      },
    }),
  },
};
