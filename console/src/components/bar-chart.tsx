// A small SVG grouped bar chart: one group per category (a model, a day), one bar per measure.
import { formatNumber } from "./format.js";

export interface BarMeasure {
  name: string;
  className: string;
  format?: (value: number) => string;
}

const width = 640;
const height = 220;
const margin = { top: 12, right: 12, bottom: 44, left: 52 };

export function BarChart(props: {
  title: string;
  categories: readonly string[];
  measures: readonly BarMeasure[];
  /** values[category][measure] */
  values: readonly (readonly (number | undefined)[])[];
  yLabel: string;
}) {
  const flat = props.values.flat().filter((value): value is number => value !== undefined);
  const max = Math.max(0, ...flat) || 1;
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const groupWidth = plotWidth / Math.max(1, props.categories.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, props.measures.length);
  const describe = props.categories
    .map(
      (category, index) =>
        `${category}: ${props.measures
          .map((measure, measureIndex) => {
            const value = props.values[index]?.[measureIndex];
            return `${measure.name} ${value === undefined ? "n/a" : (measure.format ?? formatNumber)(value)}`;
          })
          .join(", ")}`,
    )
    .join("; ");
  if (props.categories.length === 0) {
    return (
      <figure className="chart">
        <figcaption>{props.title}</figcaption>
        <p className="muted">No data yet.</p>
      </figure>
    );
  }
  const short = (label: string) => (label.length > 22 ? `${label.slice(0, 21)}…` : label);
  return (
    <figure className="chart">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${props.title}. ${describe}`}>
        {[0, 0.5, 1].map((fraction) => (
          <g key={fraction} className="chart-grid">
            <line
              x1={margin.left}
              x2={width - margin.right}
              y1={margin.top + plotHeight * (1 - fraction)}
              y2={margin.top + plotHeight * (1 - fraction)}
            />
            <text x={margin.left - 6} y={margin.top + plotHeight * (1 - fraction) + 4} textAnchor="end">
              {formatNumber(max * fraction, 2)}
            </text>
          </g>
        ))}
        <text
          className="chart-axis"
          x={12}
          y={height / 2}
          textAnchor="middle"
          transform={`rotate(-90 12 ${height / 2})`}
        >
          {props.yLabel}
        </text>
        {props.categories.map((category, index) => {
          const groupX = margin.left + groupWidth * index + groupWidth * 0.1;
          return (
            <g key={category}>
              {props.measures.map((measure, measureIndex) => {
                const value = props.values[index]?.[measureIndex];
                if (value === undefined) return null;
                const barHeight = (value / max) * plotHeight;
                return (
                  <rect
                    key={measure.name}
                    className={measure.className}
                    x={groupX + barWidth * measureIndex}
                    y={margin.top + plotHeight - barHeight}
                    width={Math.max(1, barWidth - 2)}
                    height={barHeight}
                  >
                    <title>{`${category} — ${measure.name}: ${(measure.format ?? formatNumber)(value)}`}</title>
                  </rect>
                );
              })}
              <text
                className="chart-axis"
                x={groupX + groupWidth * 0.4}
                y={height - margin.bottom + 16}
                textAnchor="middle"
              >
                {short(category)}
              </text>
            </g>
          );
        })}
      </svg>
      <ul className="legend">
        {props.measures.map((measure) => (
          <li key={measure.name} className={measure.className}>
            {measure.name}
          </li>
        ))}
      </ul>
    </figure>
  );
}
