import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PNG } from 'pngjs';

/**
 * Draws Laget's two Teams icons: the team around the child.
 * Three people (the team) around a smaller person in the middle (the child). The same mark in
 * both icons, so the icon in Teams' left rail matches the tile.
 *
 * - appPackage/color.png    192×192, teal rounded square, white team, warm yellow child.
 * - appPackage/outline.png   32×32, white on transparent only (what Teams requires).
 *
 * Run after changing the drawing: `npx tsc && node dist/scripts/make-icons.js`, then commit the PNGs.
 */

type Rgb = readonly [number, number, number];

/** Teal of the tile, top → bottom; the manifest's accentColor (#1A7F7A) lies between them. */
const TEAL_TOP: Rgb = [0x23, 0x8f, 0x88];
const TEAL_BOTTOM: Rgb = [0x13, 0x6e, 0x6a];
const WHITE: Rgb = [0xff, 0xff, 0xff];
const CHILD_YELLOW: Rgb = [0xff, 0xd1, 0x66];

/** How many samples per pixel side: 4 × 4 gives smooth edges without a graphics library. */
const SUPERSAMPLE = 4;

/** One person: a round head over rounded shoulders, in unit coordinates (0..1 of the drawing area). */
type Figure = {
  x: number;
  headY: number;
  headRadius: number;
  /** The shoulders are the top half of a disc centred on the baseline. */
  baseline: number;
  shoulderRadius: number;
  /** Width of the gap the figure cuts into the figures behind it. */
  gap: number;
};

/**
 * The child in the middle, the team around it: one person above, one at each side.
 * The child and the person above it cut a small gap around themselves, so shapes never merge at 32 px.
 */
const CHILD: Figure = { x: 0.5, headY: 0.6, headRadius: 0.085, baseline: 0.93, shoulderRadius: 0.16, gap: 0.035 };
const TEAM: readonly Figure[] = [
  { x: 0.5, headY: 0.12, headRadius: 0.11, baseline: 0.47, shoulderRadius: 0.2, gap: 0.04 },
  { x: 0.17, headY: 0.43, headRadius: 0.1, baseline: 0.8, shoulderRadius: 0.165, gap: 0 },
  { x: 0.83, headY: 0.43, headRadius: 0.1, baseline: 0.8, shoulderRadius: 0.165, gap: 0 },
];

type Sample = 'none' | 'background' | 'team' | 'child';

function distance(x: number, y: number, cx: number, cy: number): number {
  return Math.hypot(x - cx, y - cy);
}

/** Whether (x, y) lies on the figure, grown outwards by `grow` (to test for its gap). */
function inFigure(x: number, y: number, f: Figure, grow: number): boolean {
  const head = distance(x, y, f.x, f.headY) <= f.headRadius + grow;
  const shoulders = y <= f.baseline + grow && distance(x, y, f.x, f.baseline) <= f.shoulderRadius + grow;
  // A gap between head and shoulders, as in the usual "person" glyph.
  const neckGap = 0.035;
  const belowHead = distance(x, y, f.x, f.headY) > f.headRadius + neckGap - grow;
  return head || (shoulders && belowHead);
}

/** What lies at (x, y) of the mark, front to back: the child, a gap, one of the team, or nothing. */
function markAt(x: number, y: number): 'team' | 'child' | 'gap' | undefined {
  if (inFigure(x, y, CHILD, 0)) return 'child';
  if (inFigure(x, y, CHILD, CHILD.gap)) return 'gap';
  const [front, ...sides] = TEAM;
  if (inFigure(x, y, front!, 0)) return 'team';
  if (inFigure(x, y, front!, front!.gap)) return 'gap';
  for (const side of sides) if (inFigure(x, y, side, 0)) return 'team';
  return undefined;
}

/** Inside a rounded square covering the whole canvas, corner radius as a fraction of the side. */
function inRoundedSquare(x: number, y: number, cornerRadius: number): boolean {
  const qx = Math.max(cornerRadius - x, x - (1 - cornerRadius), 0);
  const qy = Math.max(cornerRadius - y, y - (1 - cornerRadius), 0);
  return Math.hypot(qx, qy) <= cornerRadius;
}

/**
 * Renders size×size pixels; `classify` says what each sub-sample is, `colour` what it looks like.
 * Colours are averaged premultiplied, so edges blend instead of fringing.
 */
function render(
  size: number,
  classify: (x: number, y: number) => Sample,
  colour: (sample: Exclude<Sample, 'none'>, y: number) => Rgb,
): PNG {
  const png = new PNG({ width: size, height: size });
  const n = SUPERSAMPLE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          const sample = classify(x, y);
          if (sample === 'none') continue;
          const [cr, cg, cb] = colour(sample, y);
          r += cr;
          g += cg;
          b += cb;
          a += 1;
        }
      }
      const i = (py * size + px) * 4;
      const samples = n * n;
      // Un-premultiply; fully transparent pixels are white so the outline holds no other colour.
      png.data[i] = a === 0 ? 255 : Math.round(r / a);
      png.data[i + 1] = a === 0 ? 255 : Math.round(g / a);
      png.data[i + 2] = a === 0 ? 255 : Math.round(b / a);
      png.data[i + 3] = Math.round((a / samples) * 255);
    }
  }
  return png;
}

function mix(from: Rgb, to: Rgb, t: number): Rgb {
  const channel = (k: 0 | 1 | 2) => Math.round(from[k] + (to[k] - from[k]) * t);
  return [channel(0), channel(1), channel(2)];
}

/** 192×192 full-colour icon: teal rounded square, three white people, a warm yellow child in the middle. */
export function drawColorIcon(size = 192): PNG {
  // The mark keeps to the middle ~70 % of the tile, as Teams' icon guidance asks.
  const inset = 0.16;
  const scale = 1 - 2 * inset;
  return render(
    size,
    (x, y) => {
      if (!inRoundedSquare(x, y, 0.2)) return 'none';
      const found = markAt((x - inset) / scale, (y - inset) / scale);
      return found === 'team' || found === 'child' ? found : 'background';
    },
    (sample, y) => (sample === 'team' ? WHITE : sample === 'child' ? CHILD_YELLOW : mix(TEAL_TOP, TEAL_BOTTOM, y)),
  );
}

/** 32×32 outline icon: the same mark in white on transparent, with ~1 px padding. */
export function drawOutlineIcon(size = 32): PNG {
  const inset = 1 / 32;
  const scale = 1 - 2 * inset;
  return render(
    size,
    (x, y) => {
      const found = markAt((x - inset) / scale, (y - inset) / scale);
      return found === 'team' || found === 'child' ? 'team' : 'none';
    },
    () => WHITE,
  );
}

export function writeIcons(appPackageDir: string): string[] {
  const written: string[] = [];
  for (const [file, png] of [
    ['color.png', drawColorIcon()],
    ['outline.png', drawOutlineIcon()],
  ] as const) {
    const target = join(appPackageDir, file);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, PNG.sync.write(png, { colorType: 6 }));
    written.push(target);
  }
  return written;
}

if (require.main === module) {
  // dist/scripts/make-icons.js → the repository root is two levels up.
  const appPackageDir = resolve(__dirname, '..', '..', 'appPackage');
  for (const file of writeIcons(appPackageDir)) process.stdout.write(`wrote ${file}\n`);
}
