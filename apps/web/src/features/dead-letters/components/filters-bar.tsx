import { Button, Group, Select, TextInput } from '@mantine/core';
import { useDebouncedCallback, useHotkeys } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import { RANGES } from '../filters';

export interface FilterValues {
  query: string | null;
  topic: string | null;
  stage: string | null;
  error: string | null;
  q: string | null;
  range: string | null;
  replayed: string | null;
}

/** The filters of the page; each change is written to the URL (so a view is a shareable link). */
export function FiltersBar({
  values,
  onChange,
  onClear,
  queryNames,
  errorClasses,
}: {
  values: FilterValues;
  onChange: (name: keyof FilterValues, value: string | null) => void;
  onClear: () => void;
  queryNames: string[];
  errorClasses: string[];
}) {
  const search = useRef<HTMLInputElement>(null);
  useHotkeys([['/', () => search.current?.focus()]]);
  const [text, setText] = useState(values.q ?? '');
  const [topic, setTopic] = useState(values.topic ?? '');
  useEffect(() => setText(values.q ?? ''), [values.q]);
  useEffect(() => setTopic(values.topic ?? ''), [values.topic]);
  const commitText = useDebouncedCallback((v: string) => onChange('q', v.trim() || null), 350);
  const commitTopic = useDebouncedCallback((v: string) => onChange('topic', v.trim() || null), 350);
  const anySet = Object.values(values).some((v) => v !== null);
  const withCurrent = (options: string[], current: string | null) =>
    current && !options.includes(current) ? [current, ...options] : options;
  return (
    <Group gap={6} wrap="wrap" align="flex-end" role="search" aria-label="Filter dead letters">
      <Select
        size="xs"
        label="Query"
        placeholder="Any query"
        data={withCurrent(queryNames, values.query)}
        value={values.query}
        onChange={(v) => onChange('query', v)}
        searchable
        clearable
        w={{ base: 'calc(50% - 3px)', sm: 170 }}
      />
      <TextInput
        size="xs"
        label="Source topic"
        placeholder="Any topic"
        value={topic}
        onChange={(e) => {
          setTopic(e.currentTarget.value);
          commitTopic(e.currentTarget.value);
        }}
        w={{ base: 'calc(50% - 3px)', sm: 140 }}
      />
      <Select
        size="xs"
        label="Stage"
        placeholder="Any stage"
        data={[
          { value: 'parse', label: 'parse' },
          { value: 'eval', label: 'eval' },
          { value: 'sink', label: 'sink' },
        ]}
        value={values.stage}
        onChange={(v) => onChange('stage', v)}
        clearable
        w={{ base: 'calc(50% - 3px)', sm: 100 }}
      />
      <Select
        size="xs"
        label="Error class"
        placeholder="Any error"
        data={withCurrent(errorClasses, values.error)}
        value={values.error}
        onChange={(v) => onChange('error', v)}
        searchable
        clearable
        w={{ base: 'calc(50% - 3px)', sm: 200 }}
      />
      <TextInput
        ref={search}
        size="xs"
        label="Text"
        placeholder="In message or payload  ( / )"
        value={text}
        onChange={(e) => {
          setText(e.currentTarget.value);
          commitText(e.currentTarget.value);
        }}
        w={{ base: 'calc(50% - 3px)', sm: 200 }}
      />
      <Select
        size="xs"
        label="Time"
        placeholder="All time"
        data={Object.entries(RANGES).map(([value, r]) => ({ value, label: r.label }))}
        value={values.range}
        onChange={(v) => onChange('range', v)}
        clearable
        w={{ base: 'calc(50% - 3px)', sm: 140 }}
      />
      <Select
        size="xs"
        label="Replayed"
        placeholder="Either"
        data={[
          { value: 'no', label: 'Not replayed' },
          { value: 'yes', label: 'Replayed' },
        ]}
        value={values.replayed}
        onChange={(v) => onChange('replayed', v)}
        clearable
        w={{ base: 'calc(50% - 3px)', sm: 120 }}
      />
      {anySet && (
        <Button size="xs" variant="subtle" onClick={onClear}>
          Clear filters
        </Button>
      )}
    </Group>
  );
}
