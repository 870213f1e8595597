import { describe, expect, test } from 'vitest';
import { checkCitation, valueAt } from '../../src/contract/citations.ts';
import { loadEvidence } from '../../src/contract/recordings.ts';
import { loadSpec } from '../../src/contract/spec.ts';

const recordings = loadEvidence();
const spec = loadSpec();
const citations = spec.clauses.flatMap((c) =>
  (c.recordings ?? []).map((r, i) => [`${c.id} #${i + 1}: ${r.file} ${r.entry} ${r.at}`, r] as const),
);

describe('grades earned by evidence', () => {
  test('every clause graded recorded cites a recording', () => {
    expect(spec.clauses.filter((c) => c.grade === 'recorded' && !c.recordings?.length).map((c) => c.id)).toEqual([]);
  });

  test('every recording says where it came from: a file at a commit, or a thread', () => {
    for (const { name, har } of recordings) {
      const p = har.log._provenance;
      if (p.kind === 're-serialised-answer') {
        expect(name, name).toMatch(/^reserialised\//);
        expect(p.commit, name).toMatch(/^[0-9a-f]{40}$/);
        expect(har.log.entries, name).toHaveLength(1);
      } else if (p.kind === 'quoted-response') {
        expect(name, name).toMatch(/^quoted\//);
        expect(p.url, name).toBe(`https://github.com/${p.repository}/${p.path}`);
        expect(har.log.entries, name).toHaveLength(1);
      } else {
        expect(name, name).not.toMatch(/\//);
        expect(p.commit, name).toMatch(/^[0-9a-f]{40}$/);
      }
      expect(p.recorded, name).toMatch(/^\d{4}(-\d{2}-\d{2})?$/);
    }
  });

  test('a clause cites recordings of its own recorded sources', () => {
    // A clause citing recordings names the source they come from.
    for (const clause of spec.clauses.filter((c) => c.recordings?.length)) {
      const keys = new Set(
        clause.recordings!.map((r) => {
          const p = recordings.find((x) => x.name === r.file)?.har.log._provenance;
          return p?.kind === 'quoted-response'
            ? 'recorded-faults'
            : p?.kind === 're-serialised-answer'
              ? 'reserialised-elife-bot'
              : p?.repository === 'botify-labs/simpleflow'
                ? 'recorded-simpleflow'
                : p?.repository === 'severb/flowy'
                  ? 'recorded-flowy'
                  : 'recorded-fsdecider';
        }),
      );
      const named = clause.sources.map((s) => s.doc);
      // A clause that rests on recordings (recorded, or inferred from them) names their source; a
      // documented one may cite them as corroboration of its page.
      for (const key of keys) if (clause.grade !== 'documented') expect(named, `${clause.id} cites ${key}`).toContain(key);
    }
  });

  test('a re-serialised answer is cited for its values only: never a header, a status, or its form', () => {
    const cited = citations.filter(([, c]) => c.file.startsWith('reserialised/'));
    expect(cited.length).toBeGreaterThan(0);
    for (const [name, c] of cited) expect(c.at, name).toMatch(/^response\./);
  });

  test.for(citations)('%s', ([, citation]) => {
    expect(checkCitation(recordings, citation)).toBeUndefined();
  });
});

describe('a citation that does not hold fails', () => {
  const [, citation] = citations.find(([name]) => name.startsWith('terminate.event.operator-cause'))!;
  test('a different value', () => {
    expect(checkCitation(recordings, { ...citation, equals: 'CHILD_POLICY_APPLIED' })).toMatch(
      /is "OPERATOR_INITIATED", not "CHILD_POLICY_APPLIED"/,
    );
  });
  test('a place that is not there', () => {
    expect(checkCitation(recordings, { ...citation, at: 'response.events[eventId=99].eventType' })).toMatch(/is undefined/);
  });
  test('an exchange or file that is not there', () => {
    expect(checkCitation(recordings, { ...citation, entry: 9 })).toMatch(/has no exchange 9/);
    expect(checkCitation(recordings, { ...citation, file: 'nowhere.har' })).toMatch(/no recording nowhere.har/);
  });
  test('a value the source did not print, however it is cited', () => {
    const delivered = { file: 'fsdecider.request-cancel-external-delivered.har', entry: 1 };
    const at = 'response.events[eventId=11].externalWorkflowExecutionCancelRequestedEventAttributes.workflowExecution';
    expect(checkCitation(recordings, { ...delivered, at, equals: { runId: '<not-printed:1>', workflowId: '<not-printed:2>' } })).toMatch(
      /did not print .*no clause may rest on it/,
    );
    expect(checkCitation(recordings, { ...delivered, at: `${at}.runId`, equals: '<run-id:2>' })).toMatch(/did not print/);
  });
  test('paths reach members, elements, selected elements and headers', () => {
    const r = recordings.find((x) => x.name === 'simpleflow.cancel-requested.har')!;
    expect(valueAt(r, 4, 'response.events[6].eventType')).toBe('WorkflowExecutionCancelRequested');
    expect(valueAt(r, 4, 'response.events[eventType=WorkflowExecutionCanceled].eventId')).toBe(11);
    expect(valueAt(r, 2, 'requestHeaders.x-amz-target')).toMatch(/StartWorkflowExecution$/);
    expect(valueAt(r, 2, 'response.runId')).toBe('<run-id:1>');
  });
});
