// Grouped horizontal bar charts as inline SVG: one group per metric, one bar per model, so the report needs no
// script, font or image from anywhere. Each group is scaled on its own (0–1 metrics on 0–1; latency, cost and
// perplexity to the largest value in the group), and every bar carries its value as text.
import { escapeHtml } from "./html-escape.js";

export interface BarGroup {
  label: string;
  /** One value per series (model); undefined draws no bar. */
  values: (number | undefined)[];
  /** Fixed upper end of the scale (1 for 0–1 metrics); default: the group's largest value. */
  scaleMax?: number;
  format(value: number): string;
}

export const seriesColors = ["#2b6cb0", "#dd6b20"];

export function svgBarChart(
  groups: readonly BarGroup[],
  seriesNames: readonly string[],
  title: string,
): string {
  const labelWidth = 150;
  const barAreaWidth = 360;
  const valueWidth = 90;
  const barHeight = 16;
  const groupGap = 12;
  const legendHeight = 22;
  const series = Math.max(1, seriesNames.length);
  const groupHeight = series * barHeight + groupGap;
  const height = legendHeight + groups.length * groupHeight + 4;
  const width = labelWidth + barAreaWidth + valueWidth;
  const parts: string[] = [];
  seriesNames.forEach((name, index) => {
    const x = labelWidth + index * 180;
    parts.push(
      `<rect x="${x}" y="4" width="12" height="12" fill="${seriesColors[index % seriesColors.length]}"/>`,
      `<text x="${x + 16}" y="14" font-size="12">${escapeHtml(truncate(name, 24))}</text>`,
    );
  });
  groups.forEach((group, groupIndex) => {
    const top = legendHeight + groupIndex * groupHeight;
    const present = group.values.filter(
      (value): value is number => value !== undefined && Number.isFinite(value),
    );
    const scale = group.scaleMax ?? Math.max(...present, 0);
    parts.push(
      `<text x="${labelWidth - 8}" y="${top + (series * barHeight) / 2 + 4}" font-size="12" text-anchor="end">${escapeHtml(group.label)}</text>`,
    );
    group.values.forEach((value, index) => {
      if (value === undefined || !Number.isFinite(value)) return;
      const length = scale > 0 ? Math.max(1, (Math.min(value, scale) / scale) * barAreaWidth) : 1;
      const y = top + index * barHeight;
      parts.push(
        `<rect x="${labelWidth}" y="${y + 2}" width="${length.toFixed(1)}" height="${barHeight - 4}" fill="${seriesColors[index % seriesColors.length]}"><title>${escapeHtml(`${seriesNames[index] ?? ""}: ${group.format(value)}`)}</title></rect>`,
        `<text x="${labelWidth + length + 4}" y="${y + barHeight - 4}" font-size="11">${escapeHtml(group.format(value))}</text>`,
      );
    });
  });
  return `<svg role="img" aria-label="${escapeHtml(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">${parts.join("")}</svg>`;
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `…${text.slice(-(length - 1))}`;
}
