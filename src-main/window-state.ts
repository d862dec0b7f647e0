// Where the window opens: where it was, unless the store holds garbage or that place is off every screen.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Bounds for new BrowserWindow(); without x/y Electron centres the window. */
export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

export const DEFAULT_SIZE = { width: 1100, height: 720 } as const;
/** The window must keep at least this much on some screen to be reachable with the mouse. */
const MIN_VISIBLE = 100;
const MIN_SIZE = 100;
const MAX_COORDINATE = 100_000;

function isCoordinate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_COORDINATE;
}

/** The saved bounds as whole numbers, or null if they are not a plausible window. */
export function parseBounds(saved: unknown): Rect | null {
  if (typeof saved !== 'object' || saved === null) return null;
  const { x, y, width, height } = saved as Record<string, unknown>;
  if (!isCoordinate(x) || !isCoordinate(y) || !isCoordinate(width) || !isCoordinate(height)) return null;
  if (width < MIN_SIZE || height < MIN_SIZE) return null;
  return { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) };
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * The saved bounds when they are valid and at least 100x100 px of them lies on one display's work
 * area; otherwise the default size, centred.
 */
export function restoreBounds(
  saved: unknown,
  displays: readonly Rect[],
  defaults: { width: number; height: number } = DEFAULT_SIZE,
): WindowBounds {
  const fallback = { width: defaults.width, height: defaults.height };
  const bounds = parseBounds(saved);
  if (bounds === null) return fallback;
  const visible = displays.some((display) => {
    const { width, height } = overlap(bounds, display);
    return width >= MIN_VISIBLE && height >= MIN_VISIBLE;
  });
  return visible ? bounds : fallback;
}
