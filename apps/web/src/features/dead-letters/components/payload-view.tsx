import { Badge, Button, Code, CopyButton, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { formatBytes } from '../../../lib/format';
import { type EncodedBytes, hexDump, payloadBytes, prettyJson } from '../../../lib/payload';
import { jsonErrorPosition, parseErrorPosition } from '../parse-position';

type View = 'text' | 'json' | 'hex';

/** The text with the character at `at` marked (the parse error's place); the end is marked as ⏎. */
function Marked({ text, at }: { text: string; at: number }) {
  const line = text.slice(0, at).split('\n').length;
  const column = at - text.lastIndexOf('\n', at - 1);
  return (
    <>
      {text.slice(0, at)}
      <mark
        className="parse-error-mark"
        data-testid="parse-error-mark"
        title={`parse error at line ${line}, column ${column}`}
      >
        {at < text.length ? text[at] : '⏎'}
      </mark>
      {text.slice(at + 1)}
    </>
  );
}

/**
 * A dead letter's value as text, pretty JSON or hex. For a parse failure the place where parsing
 * stopped is marked: the position the error message names, else the one JSON.parse finds. JSON that
 * does not parse is shown as text with that mark and the parser's complaint.
 */
export function PayloadView({
  value,
  stage,
  errorMessage,
}: {
  value: EncodedBytes | null;
  stage: string;
  errorMessage: string;
}) {
  const [view, setView] = useLocalStorage<View>({ key: 'sluice.dead-letters.view', defaultValue: 'json' });
  if (value === null) {
    return (
      <Text size="xs" c="dimmed">
        The record had no value (null).
      </Text>
    );
  }
  const bytes = payloadBytes(value);
  const isText = value.encoding === 'utf8';
  const shownView: View = !isText ? 'hex' : view;
  let body: React.ReactNode;
  let note: string | undefined;
  let badge: { label: string; color: string } = {
    label: shownView,
    color: shownView === 'hex' ? 'grape' : 'blue',
  };
  let copyText: string;
  if (shownView === 'hex') {
    copyText = hexDump(bytes);
    body = copyText;
    if (!isText) note = 'not valid UTF-8: shown as hex';
  } else {
    const text = value.data;
    const pretty = shownView === 'json' ? prettyJson(text) : undefined;
    if (pretty?.json !== undefined) {
      copyText = pretty.json;
      body = pretty.json;
    } else {
      copyText = text;
      const at = stage === 'parse' ? parseErrorPosition(errorMessage, text) : undefined;
      body = at === undefined ? text : <Marked text={text} at={at} />;
      if (shownView === 'json') {
        note = `not JSON: ${jsonErrorPosition(text)?.message ?? 'does not parse'}`;
        badge = { label: 'invalid JSON', color: 'red' };
      }
    }
  }
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="xs">
        <Group gap={6}>
          <Badge size="xs" variant="light" color={badge.color} tt="none">
            {badge.label}
          </Badge>
          <Text size="xs" c="dimmed">
            {formatBytes(bytes.length)}
          </Text>
        </Group>
        <Group gap={4}>
          <SegmentedControl
            size="xs"
            value={shownView}
            onChange={(v) => setView(v as View)}
            aria-label="Show the value as"
            data={[
              { value: 'text', label: 'Text', disabled: !isText },
              { value: 'json', label: 'JSON', disabled: !isText },
              { value: 'hex', label: 'Hex' },
            ]}
          />
          <CopyButton value={copyText}>
            {({ copied, copy }) => (
              <Button size="compact-xs" variant="subtle" onClick={copy} aria-label="Copy the value">
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Group>
      {note && (
        <Text size="xs" c="orange">
          {note}
        </Text>
      )}
      <Code
        block
        aria-label="Value"
        data-rendering={shownView}
        style={{
          maxHeight: 320,
          overflow: 'auto',
          fontSize: 11.5,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-all',
        }}
      >
        {body}
      </Code>
    </Stack>
  );
}
