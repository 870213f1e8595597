/**
 * The catalogue's wrong lookups (runId resolution, unknown executions, deprecated domains), each
 * plugged into the engine's target seam (engine/seams.ts). Each wraps the resolution it is given,
 * so that they compose; the catalogue (catalogue.ts) says what each does and which clauses it breaks.
 */
import { fault, SwfFault } from '../faults.ts';
import type { Execution } from '../engine/model.ts';
import type { Seams } from '../engine/seams.ts';
import type { DeviationTable } from './deviation.ts';

type TargetSeam = Seams['target'];

const isOpen = (e: Execution | undefined): boolean => e?.status === 'OPEN';

/** The resolution with a different match of workflowIds: found among these runs instead of the workflowId's own. */
function resolveAmong(runs: Execution[], workflowId: string, runId: string | undefined): Execution {
  if (runId) {
    const e = runs.find((x) => x.runId === runId);
    if (!e || !isOpen(e)) throw fault.unknownExecutionWithRun(workflowId, runId);
    return e;
  }
  const e = runs.find((x) => x.status === 'OPEN');
  if (!e) throw fault.unknownExecution(workflowId);
  return e;
}

export const lookupDeviations: DeviationTable<TargetSeam> = {
  'unknown-domain-validation': {
    does: 'an unknown domain is ValidationException instead of UnknownResourceFault',
    breaks: ['fault.unknown.domain'],
    plug: (req, resolve, view) => {
      if (!view.domain(req.domain))
        throw fault.validation(
          `1 validation error detected: Value '${req.domain}' at 'domain' failed to satisfy constraint: Member must name a domain`,
        );
      return resolve(req);
    },
  },
  'unknown-message-without-names': {
    does: 'the two operations\' UnknownResourceFault says only "Unknown execution"',
    breaks: ['fault.unknown.message-with-run-id.operations', 'fault.unknown.message-without-run-id'],
    plug: (req, resolve, view) => {
      try {
        return resolve(req);
      } catch (error) {
        // Only the execution's fault loses its names; an unknown domain keeps its own.
        if (error instanceof SwfFault && error.code === 'UnknownResourceFault' && view.domain(req.domain))
          throw new SwfFault('UnknownResourceFault', 'Unknown execution');
        throw error;
      }
    },
  },
  'workflowid-any-case': {
    does: 'workflowIds are matched case-insensitively',
    breaks: ['runid.names-exact'],
    plug: (req, resolve, view) => {
      if (!view.domain(req.domain)) return resolve(req);
      const runs = [...view.all()].filter((x) => x.domain === req.domain && x.workflowId.toLowerCase() === req.workflowId.toLowerCase());
      return resolveAmong(runs, req.workflowId, req.runId);
    },
  },
  'execution-found-in-any-domain': {
    does: 'executions are looked up by workflowId in every domain',
    breaks: ['fault.unknown.other-domain'],
    plug: (req, resolve, view) => {
      if (!view.domain(req.domain)) return resolve(req);
      return resolveAmong(
        [...view.all()].filter((x) => x.workflowId === req.workflowId),
        req.workflowId,
        req.runId,
      );
    },
  },
  'omitted-runid-refused': {
    does: 'a request without a runId is UnknownResourceFault',
    breaks: ['runid.omitted.current-open'],
    plug: (req, resolve, view) => {
      if (!req.runId && view.domain(req.domain)) throw fault.unknownExecution(req.workflowId);
      return resolve(req);
    },
  },
  'explicit-runid-refused': {
    does: "a request naming the open run's runId is UnknownResourceFault",
    breaks: ['runid.explicit.open'],
    plug: (req, resolve) => {
      const e = resolve(req);
      if (req.runId) throw fault.unknownExecutionWithRun(req.workflowId, req.runId);
      return e;
    },
  },
  'empty-runid-literal': {
    does: 'an empty runId is looked up as the runId "", so nothing is found',
    breaks: ['runid.empty-is-omitted'],
    plug: (req, resolve, view) => {
      if (req.runId === '' && view.domain(req.domain)) throw fault.unknownExecutionWithRun(req.workflowId, '');
      return resolve(req);
    },
  },
  'runid-ignored': {
    does: 'an explicit runId is ignored: the current open run is acted on',
    breaks: ['runid.explicit.foreign', 'runid.explicit.closed'],
    plug: (req, resolve) => resolve({ ...req, runId: undefined }),
  },
  'runid-prefix-match': {
    does: 'a runId matches any run whose runId starts with it',
    breaks: ['runid.explicit.exact'],
    plug: (req, resolve, view) => {
      if (!req.runId) return resolve(req);
      const e = view.runsOf(req.domain, req.workflowId).find((x) => x.runId.startsWith(req.runId!));
      return e && isOpen(e) ? e : resolve(req);
    },
  },
  'runid-closed-accepted': {
    does: 'an explicit runId of a closed run is accepted (200) and nothing happens',
    breaks: ['runid.explicit.closed'],
    plug: (req, resolve, view) => {
      const e = req.runId ? view.runsOf(req.domain, req.workflowId).find((x) => x.runId === req.runId) : undefined;
      return e && !isOpen(e) ? undefined : resolve(req);
    },
  },
  'runid-closed-written': {
    does: 'an explicit runId of a run that closed by completion or continue-as-new is acted on',
    breaks: ['runid.explicit.closed-no-effect', 'runid.explicit.closed'],
    plug: (req, resolve, view) => {
      const e = req.runId ? view.runsOf(req.domain, req.workflowId).find((x) => x.runId === req.runId) : undefined;
      return e && !isOpen(e) && e.closeStatus !== 'TERMINATED' ? e : resolve(req);
    },
  },
  'omitted-acts-on-latest-run': {
    does: 'without a runId, the most recently started run is acted on, open or not',
    breaks: ['runid.omitted.no-open-run-no-effect', 'runid.omitted.no-open-run'],
    plug: (req, resolve, view) => {
      const runs = req.runId ? [] : view.runsOf(req.domain, req.workflowId);
      return runs.length ? runs.at(-1) : resolve(req);
    },
  },
  'omitted-acts-on-first-run': {
    does: 'without a runId, the first run ever started with the workflowId is acted on',
    breaks: ['runid.omitted.after-restart', 'runid.omitted.after-continue-as-new'],
    plug: (req, resolve, view) => {
      const runs = req.runId ? [] : view.runsOf(req.domain, req.workflowId);
      return runs.length ? runs[0] : resolve(req);
    },
  },
  'unknown-workflowid-succeeds': {
    does: 'an unknown workflowId answers 200 and nothing happens',
    breaks: ['fault.unknown.workflow-id'],
    plug: (req, resolve, view) => {
      if (view.domain(req.domain) && ![...view.all()].some((x) => x.workflowId === req.workflowId)) return undefined;
      return resolve(req);
    },
  },
};
