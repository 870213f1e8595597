/**
 * The HTTP front's seam: a request in, an answer out, as undici's interceptors compose onto
 * `dispatch`. The front's own handling of an SWF request (authentication, routing, parsing,
 * validation, access, the engine) is the innermost dispatch; a plug wraps it, to answer before
 * it or to change what it answers. The front never asks which plug is on: the contract's front
 * has none. reference/deviations/front.ts plugs the catalogue's wire deviations in here.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { JSON_CONTENT_TYPE } from '../src/contract/protocol.ts';
import type { SwfFault } from './faults.ts';

/** An SWF request as the front has read it. */
export interface FrontRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Who a plug says sent it: the front then takes it as authenticated, without checking the signature. */
  principal?: string;
}

/** An answer, before it is written. */
export interface FrontAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Whether it carries an x-amzn-RequestId (every answer does, as the contract has it). */
  requestId: boolean;
  /** The fault it answers, when it is one. */
  fault?: { code: string; type: string; message: string };
}

export type Dispatch = (request: FrontRequest) => Promise<FrontAnswer>;
/** A plug of the front: given the dispatch inside it, its own. */
export type Interceptor = (next: Dispatch) => Dispatch;

/** The answer of a fault, as the contract has it: its status, the JSON envelope, and the X-Amzn-ErrorType header. */
export function faultAnswer(f: SwfFault): FrontAnswer {
  const namespace = f.type.split('#')[0];
  return {
    status: f.status,
    headers: {
      'Content-Type': JSON_CONTENT_TYPE,
      // The shape real AWS services use: the code, then where it is defined. SDKs keep what comes
      // before the ':' (spec fault.envelope.error-type-header, inferred).
      'X-Amzn-ErrorType': `${f.code}:http://internal.amazon.com/coral/${namespace}/`,
    },
    body: f.body(),
    requestId: true,
    fault: { code: f.code, type: f.type, message: f.message },
  };
}

/** The dispatch with the plugs around it, the first outermost. */
export const compose = (core: Dispatch, plugs: readonly Interceptor[]): Dispatch => plugs.reduceRight((next, plug) => plug(next), core);

/** A request's access, as the policy decides it: who, which operation, in which domain (undefined: in any), with what input. */
export interface AccessRequest {
  principal: string;
  operation: string;
  domain: string | undefined;
  input: Record<string, unknown>;
}

/** What an access plug may do besides deciding, as an implementation that checks late would. */
export interface AccessTools {
  /** Calls an operation of the engine, whatever the policy says. */
  call(operation: string, input: unknown): unknown;
}

/** Whether the policy allows a request: the front's access seam. */
export type Access = (request: AccessRequest, tools: AccessTools) => boolean | Promise<boolean>;
/** A plug of the access seam: given the decision inside it, its own. */
export type AccessPlug = (next: Access) => Access;
