// A small SVG line chart (loss curves, usage over days). Each series is drawn as a polyline with a marker per
// point; the chart is an image with a text alternative that states the latest values.
import { formatNumber } from "./format.js";

export interface LineSeries {
  name: string;
  points: readonly { x: number; y: number }[];
  /** A CSS class that sets the stroke colour (chart-series-0…3). */
  className: string;
}

const width = 640;
const height = 240;
const margin = { top: 12, right: 16, bottom: 32, left: 52 };

function ticks(min: number, max: number, count: number): number[] {
  if (min === max) return [min];
  const step = (max - min) / (count - 1);
  return Array.from({ length: count }, (_, index) => min + step * index);
}

export function LineChart(props: {
  title: string;
  series: readonly LineSeries[];
  xLabel: string;
  yLabel: string;
}) {
  const all = props.series.flatMap((series) => series.points);
  const describe = props.series
    .map((series) => {
      const last = series.points.at(-1);
      return `${series.name}: ${series.points.length} points${last ? `, last ${formatNumber(last.y)} at ${props.xLabel} ${last.x}` : ""}`;
    })
    .join("; ");
  if (all.length === 0) {
    return (
      <figure className="chart">
        <figcaption>{props.title}</figcaption>
        <p className="muted">No data yet.</p>
      </figure>
    );
  }
  const xMin = Math.min(...all.map((point) => point.x));
  const xMax = Math.max(...all.map((point) => point.x));
  const yMin = Math.min(0, ...all.map((point) => point.y));
  const yMax = Math.max(...all.map((point) => point.y)) || 1;
  const x = (value: number) =>
    margin.left +
    (xMax === xMin ? 0.5 : (value - xMin) / (xMax - xMin)) * (width - margin.left - margin.right);
  const y = (value: number) =>
    height - margin.bottom - ((value - yMin) / (yMax - yMin || 1)) * (height - margin.top - margin.bottom);

  return (
    <figure className="chart">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${props.title}. ${describe}`}>
        {ticks(yMin, yMax, 5).map((tick) => (
          <g key={`y${tick}`} className="chart-grid">
            <line x1={margin.left} x2={width - margin.right} y1={y(tick)} y2={y(tick)} />
            <text x={margin.left - 6} y={y(tick) + 4} textAnchor="end">
              {formatNumber(tick, 2)}
            </text>
          </g>
        ))}
        {ticks(xMin, xMax, Math.min(6, xMax - xMin + 1)).map((tick) => (
          <text
            key={`x${tick}`}
            className="chart-axis"
            x={x(tick)}
            y={height - margin.bottom + 16}
            textAnchor="middle"
          >
            {Math.round(tick)}
          </text>
        ))}
        <text className="chart-axis" x={width / 2} y={height - 4} textAnchor="middle">
          {props.xLabel}
        </text>
        <text
          className="chart-axis"
          x={12}
          y={height / 2}
          textAnchor="middle"
          transform={`rotate(-90 12 ${height / 2})`}
        >
          {props.yLabel}
        </text>
        {props.series.map((series) => (
          <g
            key={series.name}
            className={series.className}
            data-series={series.name}
            data-points={series.points.length}
          >
            <polyline
              fill="none"
              points={series.points.map((point) => `${x(point.x)},${y(point.y)}`).join(" ")}
            />
            {series.points.map((point) => (
              <circle
                key={`${point.x}`}
                cx={x(point.x)}
                cy={y(point.y)}
                r={series.points.length > 60 ? 1.5 : 3}
              />
            ))}
          </g>
        ))}
      </svg>
      <ul className="legend">
        {props.series.map((series) => (
          <li key={series.name} className={series.className}>
            {series.name}
          </li>
        ))}
      </ul>
    </figure>
  );
}
