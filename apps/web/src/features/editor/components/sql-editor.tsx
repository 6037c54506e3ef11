import {
  autocompletion,
  type Completion,
  type CompletionContext,
  type CompletionResult,
} from '@codemirror/autocomplete';
import { sql } from '@codemirror/lang-sql';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap, placeholder as placeholderText } from '@codemirror/view';
import { useComputedColorScheme } from '@mantine/core';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import type { EngineFunction } from '../api/list-functions';
import type { ValidationError } from '../api/validate-query';
import { sparkDialect } from '../spark-dialect';

export type SourceColumns = Record<string, { name: string; type: string }[]>;

/** Columns of every source and the engine's functions, for completion without a `table.` prefix. */
function columnsAndFunctions(columns: SourceColumns, functions: EngineFunction[]) {
  const options: Completion[] = [];
  for (const [alias, fields] of Object.entries(columns)) {
    for (const field of fields) {
      options.push({ label: field.name, type: 'property', detail: `${alias} · ${field.type}`, boost: 1 });
    }
  }
  for (const fn of functions) options.push({ label: fn.name, type: 'function', detail: fn.kind });
  return (context: CompletionContext): CompletionResult | null => {
    const word = context.matchBefore(/[\w$]+/);
    if (!word && !context.explicit) return null;
    const before = context.state.sliceDoc(
      Math.max(0, (word?.from ?? context.pos) - 1),
      word?.from ?? context.pos,
    );
    if (before === '.') return null;
    return { from: word?.from ?? context.pos, options, validFor: /^[\w$]*$/ };
  };
}

function languageFor(columns: SourceColumns, functions: EngineFunction[]): Extension {
  const dialect = sparkDialect(functions.map((f) => f.name));
  const schema = Object.fromEntries(
    Object.entries(columns).map(([alias, fields]) => [
      alias,
      fields.map((f) => ({ label: f.name, type: 'property', detail: f.type })),
    ]),
  );
  const support = sql({ dialect, schema, upperCaseKeywords: true });
  return [support, support.language.data.of({ autocomplete: columnsAndFunctions(columns, functions) })];
}

/** The server's errors as squiggles at their line and column (1-based), to the end of the word there. */
export function toDiagnostics(state: EditorState, errors: ValidationError[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const error of errors) {
    if (error.line === undefined || error.field !== '/sql') continue;
    const lineNo = Math.min(Math.max(error.line, 1), state.doc.lines);
    const line = state.doc.line(lineNo);
    const from = Math.min(line.from + Math.max((error.column ?? 1) - 1, 0), line.to);
    const rest = state.sliceDoc(from, line.to);
    const word = /^[\w$]+/.exec(rest)?.[0].length ?? 1;
    out.push({
      from,
      to: Math.min(from + word, line.to),
      severity: 'error',
      source: error.errorClass ?? undefined,
      message: `Line ${error.line}, column ${error.column ?? 1}: ${firstLine(error.message)}`,
    });
  }
  return out;
}

export function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

interface SqlEditorProps {
  value: string;
  onChange: (sql: string) => void;
  errors: ValidationError[];
  columns: SourceColumns;
  functions: EngineFunction[];
  /** Ctrl/Cmd-Enter. */
  onRun: () => void;
  /** Set while mounted: inserts text at the cursor (the sources panel's column buttons). */
  insertRef?: { current: ((text: string) => void) | null };
  /** Shown while the editor is empty. */
  placeholder?: string;
}

/** CodeMirror 6 with Spark SQL highlighting, completion, the server's errors inline and Ctrl/Cmd-Enter. */
export function SqlEditor({
  value,
  onChange,
  errors,
  columns,
  functions,
  onRun,
  insertRef,
  placeholder,
}: SqlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const language = useRef(new Compartment());
  const theme = useRef(new Compartment());
  const hint = useRef(new Compartment());
  const callbacks = useRef({ onChange, onRun });
  callbacks.current = { onChange, onRun };
  const scheme = useComputedColorScheme('light');

  // biome-ignore lint/correctness/useExhaustiveDependencies: created once; later props flow in through the effects below.
  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          keymap.of([
            {
              key: 'Mod-Enter',
              preventDefault: true,
              run: () => {
                callbacks.current.onRun();
                return true;
              },
            },
          ]),
          basicSetup,
          autocompletion({ activateOnTyping: true }),
          lintGutter(),
          language.current.of(languageFor(columns, functions)),
          theme.current.of(EditorView.theme({}, { dark: scheme === 'dark' })),
          EditorView.lineWrapping,
          hint.current.of(placeholder ? placeholderText(placeholder) : []),
          EditorView.contentAttributes.of({ 'aria-label': 'SQL' }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) callbacks.current.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    if (insertRef) {
      insertRef.current = (text: string) => {
        editor.dispatch(editor.state.replaceSelection(text));
        editor.focus();
      };
    }
    return () => {
      editor.destroy();
      view.current = null;
      if (insertRef) insertRef.current = null;
    };
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: language.current.reconfigure(languageFor(columns, functions)) });
  }, [columns, functions]);

  useEffect(() => {
    view.current?.dispatch({
      effects: hint.current.reconfigure(placeholder ? placeholderText(placeholder) : []),
    });
  }, [placeholder]);

  useEffect(() => {
    view.current?.dispatch({
      effects: theme.current.reconfigure(EditorView.theme({}, { dark: scheme === 'dark' })),
    });
  }, [scheme]);

  useEffect(() => {
    const editor = view.current;
    if (editor) editor.dispatch(setDiagnostics(editor.state, toDiagnostics(editor.state, errors)));
  }, [errors]);

  return <div ref={host} className="sql-editor" data-color-scheme={scheme} />;
}
