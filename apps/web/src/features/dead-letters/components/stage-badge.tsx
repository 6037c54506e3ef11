import { Badge } from '@mantine/core';

const COLOURS: Record<string, string> = { parse: 'orange', eval: 'red', sink: 'grape' };

/** Where the record failed: parse, eval or sink. */
export function StageBadge({ stage }: { stage: string }) {
  return (
    <Badge size="xs" variant="light" color={COLOURS[stage] ?? 'gray'} tt="none" miw={44}>
      {stage}
    </Badge>
  );
}
