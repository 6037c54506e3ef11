import {
  Alert,
  Badge,
  Button,
  Code,
  Grid,
  Group,
  Kbd,
  Skeleton,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../../../lib/api';
import type { QueryView, TableRowsEvent } from '../../../lib/sluice-types';
import { useCreatePreview } from '../api/create-preview';
import { useCreateQuery } from '../api/create-query';
import { deletePreview, useDeletePreview } from '../api/delete-preview';
import { useEditedQuery } from '../api/get-query';
import { useFunctions } from '../api/list-functions';
import { useStartEditedQuery } from '../api/start-query';
import { useUpdateQuery } from '../api/update-query';
import { useValidation, type ValidationError, validateQueryQuery } from '../api/validate-query';
import { type EditorDraft, fromSpec, newDraft, newSource, toSpec, usePersistentDraft } from '../draft';
import { applyPreviewRows, PreviewPanel, type PreviewState } from './preview-panel';
import { RunSettings } from './run-settings';
import { SourceForm } from './source-form';
import { firstLine, type SourceColumns, SqlEditor } from './sql-editor';

const PREVIEW_MAX_ROWS = 1000;
const PREVIEW_MAX_SECONDS = 60;

function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const where = error.body.line ? ` (line ${error.body.line}, column ${error.body.column ?? 1})` : '';
    return `${firstLine(error.message)}${where}`;
  }
  return error instanceof Error ? error.message : String(error);
}

function ProblemList({ errors, pending }: { errors: ValidationError[]; pending: boolean }) {
  if (errors.length === 0) {
    return (
      <Text size="xs" c={pending ? 'dimmed' : 'teal'} data-testid="validation-status">
        {pending ? 'Checking…' : '✓ The query analyses'}
      </Text>
    );
  }
  return (
    <Stack gap={2} data-testid="validation-status" role="list" aria-label="Problems">
      {errors.map((e, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced whole on every validation.
        <Text key={i} size="xs" c="red" role="listitem" style={{ wordBreak: 'break-word' }}>
          {e.line !== undefined ? `Line ${e.line}, column ${e.column ?? 1}: ` : e.field ? `${e.field}: ` : ''}
          {firstLine(e.message)}
        </Text>
      ))}
    </Stack>
  );
}

function Workspace({ editing, initial }: { editing: QueryView | undefined; initial: EditorDraft }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const storageKey = editing ? `sluice.editor.draft.${editing.id}` : 'sluice.editor.draft';
  const { draft: stored, setDraft, discard, forget } = usePersistentDraft(storageKey, initial);
  const draft = stored ?? initial;
  const spec = useMemo(() => toSpec(draft), [draft]);
  const [debouncedSpec] = useDebouncedValue(spec, 400);
  const validation = useValidation(debouncedSpec);
  const functions = useFunctions();
  const [tab, setTab] = useState<string | null>('problems');
  const insertRef = useRef<((text: string) => void) | null>(null);

  // A parse error leaves `sources` empty; completion keeps the last columns it knew.
  const [columns, setColumns] = useState<SourceColumns>({});
  useEffect(() => {
    const sources = validation.data?.sources;
    // Only a real change reconfigures the editor's language (which would close an open completion).
    if (sources && Object.keys(sources).length > 0) {
      setColumns((current) => (JSON.stringify(current) === JSON.stringify(sources) ? current : sources));
    }
  }, [validation.data?.sources]);

  const [preview, setPreview] = useState<PreviewState | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const createPreview = useCreatePreview();
  const stopPreview = useDeletePreview();
  const previewRef = useRef<PreviewState | null>(null);
  previewRef.current = preview;
  useEffect(
    () => () => {
      // Leaving the editor ends a preview still running on the server.
      const running = previewRef.current;
      if (running && !running.stopped) void deletePreview(running.id).catch(() => {});
    },
    [],
  );

  const create = useCreateQuery();
  const update = useUpdateQuery();
  const start = useStartEditedQuery();
  const [nameError, setNameError] = useState<string | null>(null);

  const set = (patch: Partial<EditorDraft>) => setDraft({ ...draft, ...patch });
  const errors = validation.data?.errors ?? [];
  const stale = validation.isFetching || debouncedSpec !== spec;

  const runPreview = async () => {
    setPreviewError(null);
    setTab('preview');
    const running = previewRef.current;
    if (running && !running.stopped) {
      await deletePreview(running.id).catch(() => {});
    }
    createPreview.mutate(
      { spec, maxRows: PREVIEW_MAX_ROWS, maxSeconds: PREVIEW_MAX_SECONDS },
      {
        onSuccess: (created) =>
          setPreview({
            id: created.id,
            table: created.table,
            schema: created.schema,
            rows: [],
            startedAt: Date.now(),
            stopped: false,
            maxRows: PREVIEW_MAX_ROWS,
            maxSeconds: PREVIEW_MAX_SECONDS,
          }),
        onError: (error) => {
          setPreview(null);
          setPreviewError(errorText(error));
        },
      },
    );
  };

  /** Ctrl/Cmd-Enter: validate what is typed now, then preview it when it analyses. */
  const validateAndPreview = async () => {
    const result = await client.fetchQuery(validateQueryQuery(spec)).catch((error: unknown) => {
      notifications.show({ color: 'red', title: 'Validation failed', message: errorText(error) });
      return null;
    });
    if (!result) return;
    if (result.ok) await runPreview();
    else setTab('problems');
  };

  const onStartError = (error: unknown) => {
    if (error instanceof ApiError && error.body.field === '/name') setNameError(error.message);
    notifications.show({ color: 'red', title: 'The query was not started', message: errorText(error) });
  };

  const startNew = () =>
    create.mutate(
      { spec, start: true },
      {
        onSuccess: (view) => {
          forget();
          navigate(`/queries/${view.id}`);
        },
        onError: onStartError,
      },
    );

  const save = (andStart: boolean) => {
    if (!editing) return;
    update.mutate(
      { id: editing.id, spec },
      {
        onSuccess: (view) => {
          forget();
          if (!andStart) {
            notifications.show({ message: `Saved ${view.name}` });
            navigate(`/queries/${view.id}`);
            return;
          }
          start.mutate(view.id, { onSuccess: () => navigate(`/queries/${view.id}`), onError: onStartError });
        },
        onError: onStartError,
      },
    );
  };

  useEffect(() => {
    // Ctrl/Cmd-Enter anywhere on the page, not only inside the SQL editor.
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.defaultPrevented) {
        event.preventDefault();
        void validateAndPreview();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const running = editing && (editing.status === 'running' || editing.status === 'starting');
  const busy = create.isPending || update.isPending || start.isPending;
  const aliases = draft.sources.map((s) => s.alias);

  return (
    <section aria-labelledby="page-title">
      <Group justify="space-between" mb="xs" gap="xs" wrap="wrap">
        <Group gap="xs" wrap="nowrap">
          <Title order={1} id="page-title">
            {editing ? 'Edit query' : 'Editor'}
          </Title>
          {!validation.isPending && (
            <Badge color={stale ? 'gray' : validation.data?.ok ? 'teal' : 'red'} variant="light" tt="none">
              {stale
                ? 'checking'
                : validation.data?.ok
                  ? 'valid'
                  : `${errors.length} problem${errors.length === 1 ? '' : 's'}`}
            </Badge>
          )}
        </Group>
        <Group gap={6} wrap="wrap">
          <Button
            variant="subtle"
            color="gray"
            onClick={discard}
            title="Forget the changes kept in this browser"
          >
            Discard draft
          </Button>
          <Button
            variant="default"
            onClick={() => void validateAndPreview()}
            loading={createPreview.isPending}
          >
            Preview{' '}
            <Kbd size="xs" ml={6}>
              Ctrl ⏎
            </Kbd>
          </Button>
          {editing ? (
            <>
              <Button
                variant="light"
                onClick={() => save(false)}
                loading={update.isPending}
                disabled={running || busy}
              >
                Save
              </Button>
              <Button onClick={() => save(true)} loading={start.isPending} disabled={running || busy}>
                Save and start
              </Button>
            </>
          ) : (
            <Button onClick={startNew} loading={create.isPending} disabled={busy}>
              Start
            </Button>
          )}
        </Group>
      </Group>
      {running && (
        <Alert color="yellow" mb="xs" py={6}>
          This query is running: stop it before saving changes.
        </Alert>
      )}
      <Grid gutter="sm">
        <Grid.Col span={{ base: 12, md: 4, xl: 3 }}>
          <Stack gap={6}>
            <TextInput
              label="Query name"
              value={draft.name}
              error={nameError}
              onChange={(e) => {
                setNameError(null);
                set({ name: e.currentTarget.value });
              }}
              classNames={{ input: 'mono' }}
            />
            <Text size="xs" fw={600} mt={4}>
              Sources
            </Text>
            {draft.sources.map((source, index) => (
              <SourceForm
                // biome-ignore lint/suspicious/noArrayIndexKey: the alias is edited in place, so the position is the identity.
                key={index}
                index={index}
                source={source}
                columns={validation.data?.sources[source.alias] ?? columns[source.alias]}
                onChange={(next) => set({ sources: draft.sources.map((s, i) => (i === index ? next : s)) })}
                onRemove={
                  draft.sources.length > 1
                    ? () => set({ sources: draft.sources.filter((_, i) => i !== index) })
                    : undefined
                }
                onInsert={(text) => insertRef.current?.(text)}
              />
            ))}
            <Button
              variant="light"
              size="compact-xs"
              disabled={draft.sources.length >= 8}
              onClick={() => {
                let n = draft.sources.length + 1;
                while (aliases.includes(`source${n}`)) n += 1;
                set({ sources: [...draft.sources, newSource(`source${n}`)] });
              }}
              style={{ alignSelf: 'flex-start' }}
            >
              Add source
            </Button>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8, xl: 9 }}>
          <Stack gap={6}>
            <SqlEditor
              value={draft.sql}
              onChange={(sql) => setDraft((current) => ({ ...(current ?? initial), sql }))}
              errors={stale ? [] : errors}
              columns={columns}
              functions={functions.data ?? []}
              onRun={() => void validateAndPreview()}
              insertRef={insertRef}
            />
            <ProblemList errors={errors} pending={validation.isPending} />
            <RunSettings draft={draft} allowedModes={validation.data?.outputModes} onChange={set} />
            <Tabs value={tab} onChange={setTab} keepMounted={false}>
              <Tabs.List>
                <Tabs.Tab value="problems">Problems{errors.length > 0 ? ` (${errors.length})` : ''}</Tabs.Tab>
                <Tabs.Tab value="schema">Output schema</Tabs.Tab>
                <Tabs.Tab value="explain">EXPLAIN</Tabs.Tab>
                <Tabs.Tab value="preview">Preview</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="problems" pt={6}>
                {validation.isPending ? (
                  <Skeleton height={40} />
                ) : validation.isError ? (
                  <Alert color="red">{errorText(validation.error)}</Alert>
                ) : errors.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    No problems. Preview the rows or start the query.
                  </Text>
                ) : (
                  <Stack gap={6}>
                    {errors.map((e, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced whole on every validation.
                      <Alert key={i} color="red" py={6} title={e.errorClass ?? 'Error'}>
                        <Text size="xs" mb={2}>
                          {e.field ? `at ${e.field}` : ''}
                          {e.line !== undefined ? ` · line ${e.line}, column ${e.column ?? 1}` : ''}
                        </Text>
                        <Code block style={{ whiteSpace: 'pre-wrap', fontSize: 11 }}>
                          {e.message}
                        </Code>
                      </Alert>
                    ))}
                  </Stack>
                )}
              </Tabs.Panel>
              <Tabs.Panel value="schema" pt={6}>
                {(validation.data?.schema.length ?? 0) === 0 ? (
                  <Text size="sm" c="dimmed">
                    The output schema appears once the query analyses.
                  </Text>
                ) : (
                  <Table fz="xs" verticalSpacing={2} withTableBorder aria-label="Output schema">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Column</Table.Th>
                        <Table.Th>Type</Table.Th>
                        <Table.Th>Nullable</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {validation.data?.schema.map((c) => (
                        <Table.Tr key={c.name}>
                          <Table.Td className="mono">{c.name}</Table.Td>
                          <Table.Td className="mono">{c.type}</Table.Td>
                          <Table.Td>{c.nullable ? 'yes' : 'no'}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
              </Tabs.Panel>
              <Tabs.Panel value="explain" pt={6}>
                {validation.data?.plan ? (
                  <Code block style={{ maxHeight: 360, overflow: 'auto', fontSize: 11 }}>
                    {validation.data.plan}
                  </Code>
                ) : (
                  <Text size="sm" c="dimmed">
                    The plan appears once the query analyses.
                  </Text>
                )}
              </Tabs.Panel>
              <Tabs.Panel value="preview" pt={6}>
                <PreviewPanel
                  preview={preview}
                  error={previewError}
                  onRows={(event: TableRowsEvent) => setPreview((p) => (p ? applyPreviewRows(p, event) : p))}
                  stopping={stopPreview.isPending}
                  onStop={() => {
                    if (!preview) return;
                    stopPreview.mutate(preview.id, {
                      onSettled: () => setPreview((p) => (p ? { ...p, stopped: true } : p)),
                    });
                  }}
                />
              </Tabs.Panel>
            </Tabs>
          </Stack>
        </Grid.Col>
      </Grid>
    </section>
  );
}

/** `/editor` (a new query) and `/queries/:id/edit` (an existing, stopped one). */
export function EditorPage() {
  const { id } = useParams();
  const edited = useEditedQuery(id);
  const fresh = useMemo(() => newDraft(), []);
  const initial = useMemo(() => (edited.data ? fromSpec(edited.data.spec) : null), [edited.data]);
  if (id === undefined) return <Workspace key="new" editing={undefined} initial={fresh} />;
  if (edited.isPending) {
    return (
      <Stack aria-label="Loading the query">
        <Title order={1} id="page-title">
          Edit query
        </Title>
        <Skeleton height={300} />
      </Stack>
    );
  }
  if (edited.isError || !initial) {
    return (
      <section aria-labelledby="page-title">
        <Title order={1} id="page-title" mb="sm">
          Edit query
        </Title>
        <Alert color="red" title="Could not load the query">
          {edited.error?.message}{' '}
          <Button size="compact-xs" variant="light" onClick={() => navigateBack()}>
            Back to queries
          </Button>
        </Alert>
      </section>
    );
  }
  return <Workspace key={id} editing={edited.data} initial={initial} />;
}

function navigateBack() {
  window.location.assign('/queries');
}
