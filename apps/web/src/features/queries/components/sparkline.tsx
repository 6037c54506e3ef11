import { Line, LineChart, YAxis } from 'recharts';

/** A tiny trend line without axes, for table cells. */
export function Sparkline({
  values,
  color,
  label,
}: {
  values: (number | null)[];
  color: string;
  label: string;
}) {
  const data = values.map((v, i) => ({ i, v }));
  return (
    <LineChart width={72} height={20} data={data} role="img" aria-label={label}>
      <YAxis hide domain={[0, 'dataMax']} />
      <Line
        type="monotone"
        dataKey="v"
        stroke={color}
        strokeWidth={1.4}
        dot={false}
        isAnimationActive={false}
      />
    </LineChart>
  );
}
