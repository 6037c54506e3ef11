import { randomUUID } from 'node:crypto';
import {
  checkOutputModes,
  lookupSink,
  MemoryStream,
  resolveTrigger,
  Session,
  SluiceError,
  simpleString,
  type TriggerSpec,
} from '@sluice/engine';
import {
  type BuildContext,
  buildQueryFrame,
  memoryStreamName,
  NotAQueryError,
  SpecError,
  sinkOptionsOf,
} from './build-query.js';
import type { OutputMode, QuerySpec, ValidationError, ValidationResult } from './schemas.js';

/** Turns whatever building or checking a spec threw into the error the API reports. */
export function describeSpecError(error: unknown): ValidationError {
  const field = error instanceof SpecError ? error.field : undefined;
  const cause = error instanceof SpecError ? error.cause : error;
  const out: ValidationError = {
    message: cause instanceof Error ? cause.message : String(cause),
    errorClass: cause instanceof SluiceError || cause instanceof NotAQueryError ? cause.errorClass : null,
  };
  if (field !== undefined) out.field = field;
  // Positions are into the SQL text; a source's DDL error has its own position, meaningless to the editor.
  if (cause instanceof SluiceError && cause.position && field === '/sql') {
    out.line = cause.position.line;
    out.column = cause.position.column;
  }
  return out;
}

/**
 * Parses and analyses a spec on a throwaway session (nothing starts): the output schema, EXPLAIN,
 * the output modes the query shape and the sink allow, each source's columns, and every error.
 */
export function validateSpec(spec: QuerySpec, ctx: Omit<BuildContext, 'queryId'>): ValidationResult {
  const queryId = `validate-${randomUUID()}`;
  const session = Session.builder().create();
  const result: ValidationResult = {
    ok: false,
    errors: [],
    schema: [],
    plan: '',
    outputModes: [],
    sources: {},
  };
  try {
    const built = buildQueryFrame(session, spec, { ...ctx, queryId });
    for (const [alias, df] of Object.entries(built.sources)) {
      result.sources[alias] = df.schema.fields.map((f) => ({ name: f.name, type: simpleString(f.dataType) }));
    }
    const { df } = built;
    result.schema = df.schema.fields.map((f) => ({
      name: f.name,
      type: simpleString(f.dataType),
      nullable: f.nullable,
    }));
    try {
      result.plan = df.explainString('extended');
    } catch (error) {
      result.errors.push(describeSpecError(new SpecError('/sql', error)));
    }

    const checks = checkOutputModes(df);
    let sinkModes: readonly OutputMode[] = ['append', 'update', 'complete'];
    try {
      const provider = lookupSink(spec.sink.format);
      sinkModes = provider.supportedOutputModes;
      try {
        provider.validate?.(sinkOptionsOf(spec, ctx), spec.outputMode);
      } catch (error) {
        result.errors.push(describeSpecError(new SpecError('/sink/options', error)));
      }
    } catch (error) {
      result.errors.push(describeSpecError(new SpecError('/sink/format', error)));
    }
    result.outputModes = checks
      .filter((c) => c.ok && sinkModes.includes(c.outputMode))
      .map((c) => c.outputMode);
    if (!result.outputModes.includes(spec.outputMode)) {
      const refusal = checks.find((c) => c.outputMode === spec.outputMode)?.error;
      const message =
        refusal ?? `Data source ${spec.sink.format} does not support ${spec.outputMode} output mode.`;
      result.errors.push({
        message,
        errorClass: /^\[([A-Z0-9_.]+)\]/.exec(message)?.[1] ?? 'STREAMING_OUTPUT_MODE.UNSUPPORTED_DATASOURCE',
        field: '/outputMode',
      });
    }
  } catch (error) {
    result.errors.push(describeSpecError(error));
  } finally {
    for (const [alias, source] of Object.entries(spec.sources)) {
      if (source.format === 'memory') MemoryStream.drop(memoryStreamName(queryId, alias));
    }
  }
  if (spec.trigger && Object.keys(spec.trigger).length > 0) {
    try {
      resolveTrigger(spec.trigger as TriggerSpec);
    } catch (error) {
      result.errors.push(describeSpecError(new SpecError('/trigger', error)));
    }
  }
  result.ok = result.errors.length === 0;
  return result;
}
