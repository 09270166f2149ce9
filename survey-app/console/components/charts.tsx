// Plain SVG charts. The figures themselves are always text beside the drawing (read by screen
// readers and copied by people); the drawing is decoration for the eye, hidden from assistive
// technology. Geometry is in SVG attributes, colours in console.css: nothing a strict CSP blocks.
import type { ComponentChildren } from 'preact';

const clip = (value: number, max: number) => Math.min(max, Math.max(0, value));

/** A line whose width stays a hairline however far the bar is stretched sideways. */
function Stroke(props: { class?: string; x1: number; x2: number; y1: number; y2: number }) {
  return <line {...props} vector-effect="non-scaling-stroke" />;
}

/** A bar from 0 to `value` on a 0-`max` scale, with the interval as a whisker. */
export function IntervalBar(props: {
  value: number | null;
  ci?: readonly [number, number] | null;
  max?: number;
  tone?: 'good' | 'warn' | 'plain';
}) {
  const max = props.max ?? 100;
  const scale = (v: number) => (clip(v, max) / max) * 100;
  const ci = props.ci;
  return (
    <svg
      class={`bar bar-${props.tone ?? 'plain'}`}
      viewBox="0 0 100 12"
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
    >
      <rect class="bar-track" x="0" y="2" width="100" height="8" />
      {[25, 50, 75].map((x) => (
        <Stroke key={x} class="bar-grid" x1={x} x2={x} y1={0} y2={12} />
      ))}
      {props.value === null ? null : (
        <rect class="bar-fill" x="0" y="2" width={scale(props.value)} height="8" />
      )}
      {ci ? (
        <g class="bar-whisker">
          <Stroke x1={scale(ci[0])} x2={scale(ci[1])} y1={6} y2={6} />
          {ci.map((end, i) => (
            // The two ends may coincide, so the key is which end it is.
            <Stroke key={i} x1={scale(end)} x2={scale(end)} y1={1} y2={11} />
          ))}
        </g>
      ) : null}
    </svg>
  );
}

export interface BarDatum {
  key: string;
  label: ComponentChildren;
  value: number | null;
  ci: readonly [number, number] | null;
  /** The figure as text: the value, its interval, anything the reader needs. */
  text: ComponentChildren;
}

/** Horizontal bars, one a row, each with its label and its figures as text. */
export function BarChart(props: { rows: BarDatum[]; axisLabel: string }) {
  return (
    <div class="bar-chart">
      <ul class="bar-rows">
        {props.rows.map((row) => (
          <li key={row.key} class="bar-row">
            <span class="bar-label">{row.label}</span>
            <IntervalBar value={row.value} ci={row.ci} />
            <span class="bar-value">{row.text}</span>
          </li>
        ))}
      </ul>
      <div class="bar-axis" aria-hidden="true">
        <span class="bar-axis-spacer" />
        <span class="bar-axis-ticks">
          <span>0</span>
          <span>25</span>
          <span>50</span>
          <span>75</span>
          <span>100</span>
        </span>
        <span class="bar-axis-label">{props.axisLabel}</span>
      </div>
    </div>
  );
}
